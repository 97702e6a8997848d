#include "cli/package_check.hpp"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <thread>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <variant>
#include <vector>

#include "extract/dependencies.hpp"
#include "extract/environment_probe.hpp"
#include "extract/source_bytes.hpp"
#include "extract/static_extractor.hpp"
#include "extract/targets.hpp"
#include "importspy/architecture/architecture_check.hpp"
#include "importspy/check/checker.hpp"
#include "importspy/contract/contract.hpp"
#include "importspy/contract/loader.hpp"
#include "importspy/facts/module_file.hpp"
#include "cli/draw_loader.hpp"
#include "importspy/draw/graph_picture.hpp"
#include "importspy/graph/dependency_check.hpp"
#include "importspy/graph/import_graph.hpp"
#include "importspy/render/html.hpp"
#include "importspy/project/result_cache.hpp"
#include "importspy/project/target_discovery.hpp"
#include "importspy/util/sha256.hpp"
#include "importspy/render/batch.hpp"
#include "importspy/source/reader.hpp"
#include "importspy/source/source_error.hpp"
#include "interop/errors.hpp"

namespace importspy::bindings {
namespace {

namespace fs = std::filesystem;
namespace nb = nanobind;
using json = nlohmann::json;

struct Package {
  std::vector<ModuleFacts> facts;  // sorted by module name; a module that cannot be read has no imports
  std::vector<std::string> files;  // the same order, as shown to the user
  std::vector<std::optional<TargetError>> errors;  // the same order: why a module could not be read
};

struct PackageError {
  std::string message;
};

bool has_init(const fs::path& folder) {
  std::error_code ec;
  return fs::is_regular_file(folder / "__init__.py", ec);
}

std::string join(const std::string& prefix, const std::string& name) { return prefix.empty() ? name : prefix + "." + name; }

// The modules of a package (a folder, or a dotted name on sys.path), by dotted name, each with its file.
std::vector<std::pair<std::string, fs::path>> package_modules(const std::string& target) {
  std::error_code ec;
  fs::path root;
  // A dotted name is looked up as Python would import it (the working directory first for the command
  // line, then sys.path), importing nothing.
  if (fs::is_directory(target, ec)) {
    root = fs::path(target);
  } else if (auto located = locate_module_file(target, module_search_path()); located && located->filename() == "__init__.py") {
    root = located->parent_path();
  } else if (located) {
    throw PackageError{"`" + target + "` is a module (" + display_path(*located) + "), not a package; check it alone with `importspy check " + target + "`"};
  } else {
    throw PackageError{"`" + target + "` is neither a folder nor a package found on sys.path"};
  }
  root = root.lexically_normal();
  if (root.filename().empty()) root = root.parent_path();
  const std::string root_name = package_name_of(root);

  std::vector<std::pair<std::string, fs::path>> modules;  // (dotted name, file)
  // Breadth first over the package's folders: a subfolder is a subpackage only with an __init__.py.
  std::vector<std::pair<std::string, fs::path>> folders{{root_name, root}};
  std::set<fs::path> seen{fs::weakly_canonical(root, ec)};  // a symbolic link back up the tree is read once
  for (std::size_t i = 0; i < folders.size(); ++i) {
    const auto [prefix, folder] = folders[i];
    std::vector<fs::directory_entry> entries;
    for (const auto& entry : fs::directory_iterator(folder, fs::directory_options::skip_permission_denied, ec)) entries.push_back(entry);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
    for (const auto& entry : entries) {
      const fs::path path = entry.path();
      const std::string stem = path.stem().string();
      if (entry.is_directory(ec)) {
        if (has_init(path) && stem.find('.') == std::string::npos && seen.insert(fs::weakly_canonical(path, ec)).second) {
          folders.emplace_back(join(prefix, path.filename().string()), path);
        }
      } else if (path.extension() == ".py" && stem.find('.') == std::string::npos) {
        if (stem == "__init__") {
          if (!prefix.empty()) modules.emplace_back(prefix, path);
        } else {
          modules.emplace_back(join(prefix, stem), path);
        }
      }
    }
  }
  if (modules.empty()) throw PackageError{"no Python module in `" + target + "`"};
  std::sort(modules.begin(), modules.end());
  return modules;
}

// The modules of the package and their files as shown; with `keep_texts`, the bytes of each (a module
// that cannot be read has its error instead), which the result cache hashes before anything is read as
// Python. Without, each file is read when it is parsed and dropped then (parse_sources).
struct PackageSources {
  std::vector<std::pair<std::string, fs::path>> modules;
  std::vector<std::string> files;
  std::vector<std::string> texts;
  std::vector<std::optional<TargetError>> errors;
};

PackageSources read_sources(const std::string& target, bool keep_texts) {
  PackageSources sources;
  sources.modules = package_modules(target);
  for (const auto& [name, path] : sources.modules) {
    const std::string shown = path.lexically_relative(fs::current_path()).string();
    const std::string file = shown.empty() || shown.starts_with("..") ? path.string() : shown;
    sources.files.push_back(file);
    sources.errors.emplace_back();
    if (!keep_texts) continue;
    try {
      sources.texts.push_back(read_source_file(path, SourceLimits{}.max_bytes));
    } catch (const LocatedError& error) {
      sources.texts.emplace_back();
      sources.errors.back() = TargetError{"source-error", error.what(), error.file().empty() ? file : error.file(), error.line(), error.column()};
    }
  }
  return sources;
}

// How parse_sources reads each module: whole (all its facts) or its imports alone; `judge` sees each
// module read (whole or not) before its facts are cut down to its imports, unless `keep_whole` says to
// keep them all. A package check holds every module's imports and few modules' whole facts.
struct PackageReading {
  std::function<bool(std::size_t)> read_whole;
  std::function<bool(std::size_t)> keep_whole;
  std::function<void(std::size_t, const ModuleFacts&)> judge;
};

// The facts of every module read: one that cannot be read, or read as Python, has no imports and its error.
Package parse_sources(PackageSources& sources, const PackageReading& reading) {
  Package package;
  ReadOptions whole;
  whole.file_sha256 = false;
  whole.target = reading_target();
  ReadOptions imports = whole;
  imports.imports_only = true;
  for (std::size_t i = 0; i < sources.modules.size(); ++i) {
    const std::string& name = sources.modules[i].first;
    const std::string& file = sources.files[i];
    std::optional<TargetError> error = sources.errors[i];
    if (!error) {
      try {
        // The text is dropped once read: the package's text is never held whole (26 MB for sympy).
        const std::string text = sources.texts.empty() ? read_source_file(sources.modules[i].second, SourceLimits{}.max_bytes) : std::move(sources.texts[i]);
        const bool read_whole = reading.read_whole && reading.read_whole(i);
        ModuleFacts facts = read_module_source(text, file, name, read_whole ? whole : imports);
        if (reading.judge) reading.judge(i, facts);
        package.facts.push_back(read_whole && !(reading.keep_whole && reading.keep_whole(i)) ? import_facts_of(std::move(facts)) : std::move(facts));
      } catch (const LocatedError& failure) {
        error = TargetError{"source-error", failure.what(), failure.file().empty() ? file : failure.file(), failure.line(), failure.column()};
      }
    }
    if (error) {
      ModuleFacts unread;
      unread.name = name;
      unread.filename = file;
      package.facts.push_back(std::move(unread));
    }
    package.errors.push_back(std::move(error));
    package.files.push_back(file);
  }
  return package;
}

std::string edge_flags(const ImportEdge& edge) {
  std::string out;
  if (edge.lazy) out += ", lazy";
  if (edge.type_checking) out += ", TYPE_CHECKING";
  if (edge.main_guard) out += ", __main__";
  return out;
}

// "line 4, TYPE_CHECKING" for one import; "lines 1, 2, 5 [lazy]" for several, each with its flags.
std::string dependency_lines(const ModuleDependency& dependency) {
  if (dependency.imports.size() == 1) return "line " + std::to_string(dependency.imports[0].line) + edge_flags(dependency.imports[0]);
  std::string out = "lines ";
  for (std::size_t k = 0; k < dependency.imports.size(); ++k) {
    const ImportEdge& edge = dependency.imports[k];
    if (k > 0) out += ", ";
    out += std::to_string(edge.line);
    if (const std::string flags = edge_flags(edge); !flags.empty()) out += " [" + flags.substr(2) + "]";
  }
  return out;
}

// A contract's architecture rules in a picture: the first layers rule's layers as bands (top first; a
// container's layer is the container's module of that name), and each chain of each broken rule.
void draw_rules(GraphPicture& picture, const ArchitectureRules& rules, const Report& judged) {
  for (const ArchitectureRule& rule : rules.rules) {
    if (rule.type != ArchitectureRuleType::layers) continue;
    for (const Layer& layer : rule.layers.layers) {
      Band band;
      for (const LayerModule& module : layer.modules) {
        band.name += (band.name.empty() ? "" : layer.independent ? " | " : " : ") + module.name;
        if (rule.layers.containers.empty()) band.modules.push_back(module.name);
        for (const ModuleExpression& container : rule.layers.containers) band.modules.push_back(container.written + "." + module.name);
      }
      picture.bands.push_back(std::move(band));
    }
    break;  // one set of bands: a module sits in one band
  }
  for (const Violation& v : judged.violations) {
    for (const auto& steps : v.chains) {
      Chain chain{"rule", v.code + ": ", {}};
      for (const ChainStep& step : steps) {
        chain.label += (chain.modules.empty() ? "" : " -> ") + step.module;
        chain.modules.push_back(step.module);
      }
      picture.chains.push_back(std::move(chain));
    }
  }
}

std::string render_graph(const std::vector<std::string>& files, const ImportGraph& graph, const std::string& format, const std::string& target,
                         const std::function<void(GraphPicture&)>& add = {}) {
  if (format == "svg" || format == "html") {
    GraphPicture picture = picture_of(graph, files, "Import graph of " + target);
    if (add) add(picture);
    return cli::draw_graph(picture, format);
  }
  const auto cycles = import_cycles(graph);
  std::vector<std::vector<ModuleDependency>> dependencies;
  dependencies.reserve(graph.modules.size());
  std::size_t edges = 0, imports = 0;
  for (std::size_t i = 0; i < graph.modules.size(); ++i) {
    dependencies.push_back(dependencies_of(graph, i));
    edges += dependencies.back().size();
    for (const ModuleDependency& dependency : dependencies.back()) imports += dependency.imports.size();
  }
  if (format == "json") {
    json modules = json::array();
    for (std::size_t i = 0; i < graph.modules.size(); ++i) {
      json module_imports = json::array();
      for (const ModuleDependency& dependency : dependencies[i]) {
        json lines = json::array();
        bool lazy = true, type_checking = true, main_guard = true;  // every import of the edge is
        for (const ImportEdge& edge : dependency.imports) {
          if (lines.empty() || lines.back() != edge.line) lines.push_back(edge.line);
          lazy = lazy && edge.lazy;
          type_checking = type_checking && edge.type_checking;
          main_guard = main_guard && edge.main_guard;
        }
        module_imports.push_back({{"module", graph.modules[dependency.to]},
                                  {"lines", std::move(lines)},
                                  {"lazy", lazy},
                                  {"type_checking", type_checking},
                                  {"main_guard", main_guard}});
      }
      modules.push_back({{"name", graph.modules[i]}, {"file", files[i]}, {"imports", std::move(module_imports)}});
    }
    json cycle_list = json::array();
    for (const auto& cycle : cycles) {
      json names = json::array();
      for (std::size_t node : cycle) names.push_back(graph.modules[node]);
      cycle_list.push_back(std::move(names));
    }
    const json summary = {{"modules", graph.modules.size()}, {"imports", imports}, {"edges", edges}, {"cycles", cycles.size()}};
    return json{{"modules", std::move(modules)}, {"cycles", std::move(cycle_list)}, {"summary", summary}}.dump(2, ' ', false, json::error_handler_t::replace) +
           "\n";
  }
  if (format == "dot") {
    std::string out = "digraph imports {\n";
    for (const std::string& name : graph.modules) out += "  \"" + name + "\";\n";
    for (std::size_t i = 0; i < graph.modules.size(); ++i) {
      for (const ModuleDependency& dependency : dependencies[i]) {
        std::string lines;
        int last = 0;
        bool lazy = true, type_checking = true, main_guard = true;  // every import of the edge is
        for (const ImportEdge& edge : dependency.imports) {
          if (edge.line != last) lines += (lines.empty() ? "" : ", ") + std::to_string(edge.line);
          last = edge.line;
          lazy = lazy && edge.lazy;
          type_checking = type_checking && edge.type_checking;
          main_guard = main_guard && edge.main_guard;
        }
        out += "  \"" + graph.modules[i] + "\" -> \"" + graph.modules[dependency.to] + "\" [label=\"" + lines + "\"";
        if (type_checking) out += ", style=dotted";
        else if (lazy || main_guard) out += ", style=dashed";
        out += "];\n";
      }
    }
    return out + "}\n";
  }
  std::string out;
  for (std::size_t i = 0; i < graph.modules.size(); ++i) {
    out += graph.modules[i] + " (" + files[i] + ")\n";
    for (const ModuleDependency& dependency : dependencies[i]) out += "  -> " + graph.modules[dependency.to] + " (" + dependency_lines(dependency) + ")\n";
  }
  for (const auto& cycle : cycles) {
    out += "cycle:";
    for (std::size_t node : cycle) out += " " + graph.modules[node];
    out += "\n";
  }
  out += std::to_string(graph.modules.size()) + " modules, " + std::to_string(imports) + (imports == 1 ? " import, " : " imports, ") + std::to_string(edges) +
         (edges == 1 ? " edge, " : " edges, ") + std::to_string(cycles.size()) +
         (cycles.size() == 1 ? " cycle" : " cycles") + " (imports run at import time)\n";
  return out;
}

std::string source_error_text(const TargetError& error) {
  std::string where = error.file;
  if (error.line > 0) where += ":" + std::to_string(error.line) + ":" + std::to_string(error.column);
  return where + ": error: " + error.message + "\n";
}

}  // namespace

CommandOutput run_graph_command(const std::string& target, const std::string& format, const std::string& contract_path) {
  std::shared_ptr<const Contract> contract;
  if (!contract_path.empty()) {
    if (format != "svg" && format != "html") {
      return {2, {}, "importspy: error: a contract's architecture rules are drawn in pictures (--format svg or html); "
                     "`importspy check --package " + target + " -s " + contract_path + "` reports them in every format\n"};
    }
    try {
      contract = load_contract_file(contract_path);
    } catch (const ContractError& error) {
      return {2, {}, std::string(error.what()) + "\n"};
    }
    if (!contract->architecture_rules) {
      return {2, {}, "importspy: error: " + contract_path + " has no `architecture_rules:` to draw; add them (docs/architecture-rules.md) or leave out -s\n"};
    }
  }
  // Read as lint-imports reads its root packages: on every core, keeping only the imports.
  auto read = read_packages({target});
  if (auto* message = std::get_if<std::string>(&read)) return {2, {}, *message};
  const PackagesRead& package = std::get<PackagesRead>(read);
  std::function<void(GraphPicture&)> rules;
  if (contract) {
    rules = [&](GraphPicture& picture) {
      draw_rules(picture, *contract->architecture_rules, check_architecture(*contract->architecture_rules, package.graph, package.facts));
    };
  }
  // A module that cannot be read is named on standard error; the graph of the others is still shown.
  CommandOutput output;
  try {
    output = {0, render_graph(package.files, package.graph, format, target, rules), {}};
  } catch (const std::runtime_error& error) {  // Graphviz could not lay the picture out
    return {2, {}, std::string("importspy: error: ") + error.what() + "; write the graph with --format dot or json instead\n"};
  }
  for (const auto& error : package.errors) {
    if (!error) continue;
    output.err += source_error_text(*error);
    output.status = 2;
  }
  return output;
}

namespace {

// The packages a contract's architecture rules judge: the checked one (as the command names it) and each
// other package of the rules' `root_packages`, found as `lint-imports` finds its roots. One package
// (no other root named) is judged on the package's own graph.
std::vector<std::string> architecture_roots(const std::string& target, const PackageSources& sources, const ArchitectureRules& rules) {
  std::string name = sources.modules.front().first;  // the package itself: the module of the fewest components
  for (const auto& module : sources.modules) {
    if (std::count(module.first.begin(), module.first.end(), '.') < std::count(name.begin(), name.end(), '.')) name = module.first;
  }
  std::vector<std::string> roots{target};
  for (const std::string& root : rules.root_packages) {
    if (root != name && std::find(roots.begin(), roots.end(), root) == roots.end()) roots.push_back(root);
  }
  return roots;
}

// The architecture rules judged over several root packages, read by `read_packages` as `lint-imports`
// reads them: the report, or the first module that cannot be read, or why a package cannot be found.
std::variant<Report, TargetError> check_architecture_across(const ArchitectureRules& rules, const std::vector<std::string>& roots,
                                                            const std::string& contract) {
  auto read = read_packages(roots);
  if (auto* message = std::get_if<std::string>(&read)) {
    std::string text = *message;
    if (text.starts_with("importspy: error: ")) text = text.substr(18);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return TargetError{"not-found", text + " (a package of the contract's `root_packages`)", contract, 0, 0};
  }
  const PackagesRead& packages = std::get<PackagesRead>(read);
  for (const auto& error : packages.errors) {
    if (error) return *error;
  }
  return check_architecture(rules, packages.graph, packages.facts);
}

}  // namespace

std::variant<BatchResult, std::string> check_package(const std::string& target, const std::string& contract_path, const PackageCheckOptions& options) {
  if (contract_path.empty()) return std::string("importspy: error: --package needs a contract (-s CONTRACT)\n");
  std::shared_ptr<const Contract> contract;
  std::vector<std::shared_ptr<const Contract>> required;
  try {
    contract = load_contract_file(contract_path);
    required = load_required_contracts(*contract);
  } catch (const ContractError& error) {
    return std::string(error.what()) + "\n";
  }
  PackageSources sources;
  const bool cached = options.cache_directory && !options.trace;
  try {
    sources = read_sources(target, cached);
  } catch (const PackageError& error) {
    return "importspy: error: " + error.message + "\n";
  }
  const EnvironmentFacts environment = probe_environment(referenced_environment_names(*contract));
  const std::string shown_contract = display_path(contract_path);
  const std::size_t count = sources.modules.size();
  std::size_t begin = 0, end = count;
  if (options.shard) {
    begin = count * (options.shard->first - 1) / options.shard->second;
    end = count * options.shard->first / options.shard->second;
  }

  // A module's result depends on every module of the package (the graph) and on every contract: its cache
  // key holds the bytes of all of them, so any change anywhere is a miss for every module.
  std::optional<ResultCache> cache;
  std::vector<std::string> keys;
  std::string architecture_key;  // the architecture rules' report: keyed like every module's (the whole package)
  if (cached) {
    cache.emplace(*options.cache_directory);
    std::string contracts = read_source_file(contract_path, std::size_t{1} << 30);
    for (const auto& dependency : required) contracts += '\0' + read_source_file(dependency->source, std::size_t{1} << 30);
    std::string package = "package\0";
    for (std::size_t i = 0; i < count; ++i) {
      package += sources.modules[i].first + '\0' + sources.files[i] + '\0' + (sources.errors[i] ? "unreadable" : sha256_hex(sources.texts[i])) + '\0';
    }
    const std::string package_digest = sha256_hex(package);
    if (contract->architecture_rules) {
      std::string packages = package_digest;  // and every other root package's modules
      if (const auto roots = architecture_roots(target, sources, *contract->architecture_rules); roots.size() > 1) {
        const auto digest = digest_packages(roots);
        packages += '\0' + (std::holds_alternative<PackagesDigest>(digest) ? std::get<PackagesDigest>(digest).sha256 : std::get<std::string>(digest));
      }
      architecture_key = result_cache_key({IMPORTSPY_VERSION, "package/architecture", contracts, packages, shown_contract, "architecture_rules", shown_contract,
                                           &environment, contract->secret_names});
    }
    for (std::size_t i = begin; i < end; ++i) {
      keys.push_back(result_cache_key({IMPORTSPY_VERSION, "package/reader/" + reading_target_label(reading_target()), contracts, package_digest, sources.files[i], sources.modules[i].first, shown_contract,
                                       &environment, contract->secret_names}));
    }
  }
  BatchResult batch;
  if (options.shard) batch.shard = BatchShard{options.shard->first, options.shard->second};
  if (cache) {
    std::vector<TargetResult> served;
    for (std::size_t i = begin; i < end && served.size() == i - begin; ++i) {
      if (sources.errors[i]) break;
      auto report = cache->load(keys[i - begin]);
      if (!report) break;
      TargetResult result;
      result.target = sources.modules[i].first;
      result.file = sources.files[i];
      result.contract = shown_contract;
      result.report = std::move(report);
      result.cached = true;
      served.push_back(std::move(result));
    }
    // Every result of this shard (the architecture rules' too): nothing to read as Python.
    const bool judges_architecture = contract->architecture_rules && (!options.shard || options.shard->first == 1);
    std::optional<Report> architecture;
    if (served.size() == end - begin && judges_architecture) architecture = cache->load(architecture_key);
    if (served.size() == end - begin && judges_architecture && architecture) {
      TargetResult result;
      result.target = "architecture_rules";
      result.file = shown_contract;
      result.contract = shown_contract;
      result.report = std::move(architecture);
      result.cached = true;
      served.push_back(std::move(result));
    }
    if (served.size() == end - begin + (judges_architecture ? 1 : 0)) {
      batch.results = std::move(served);
      return batch;
    }
  }
  // Each module of the shard is judged against the contract as it is read; then only its imports are
  // kept (its whole facts only when the contract reads more than imports, and only until it is judged),
  // except a module that `requires:` names, whose contract may read all of its facts.
  const bool whole_for_contract = facts_needed(*contract) == FactsNeeded::all;
  std::vector<bool> required_whole(count, false);
  for (std::size_t k = 0; k < contract->required_contracts.size() && k < required.size(); ++k) {
    if (!required[k] || facts_needed(*required[k]) == FactsNeeded::imports) continue;
    for (std::size_t i = 0; i < count; ++i) {
      if (sources.modules[i].first == contract->required_contracts[k].module) required_whole[i] = true;
    }
  }
  std::vector<std::optional<Report>> own(count);
  PackageReading reading;
  reading.read_whole = [&](std::size_t i) { return required_whole[i] || (whole_for_contract && i >= begin && i < end); };
  reading.keep_whole = [&](std::size_t i) { return required_whole[i]; };
  reading.judge = [&](std::size_t i, const ModuleFacts& facts) {
    if (i >= begin && i < end) own[i] = check(*contract, environment, facts, {options.trace});
  };
  const Package package = parse_sources(sources, reading);
  const ImportGraph graph = build_import_graph(package.facts);
  const auto cycles = import_cycles(graph);
  for (std::size_t i = begin; i < end; ++i) {
    TargetResult result;
    result.target = graph.modules[i];
    result.file = package.files[i];
    result.contract = shown_contract;
    if (package.errors[i]) {
      result.error = package.errors[i];
    } else {
      result.report = std::move(own[i]);
      add_dependency_violations(*result.report, *contract, required, environment, graph, package.facts, i, &cycles);
      if (cache) cache->store(keys[i - begin], *result.report);
    }
    batch.results.push_back(std::move(result));
  }
  // The contract's architecture rules judge the package as a whole: one more result, in the first shard.
  if (contract->architecture_rules && (!options.shard || options.shard->first == 1)) {
    TargetResult result;
    result.target = "architecture_rules";
    result.file = shown_contract;
    result.contract = shown_contract;
    const std::vector<std::string> roots = architecture_roots(target, sources, *contract->architecture_rules);
    auto judged = roots.size() > 1 ? check_architecture_across(*contract->architecture_rules, roots, shown_contract)
                                   : std::variant<Report, TargetError>(check_architecture(*contract->architecture_rules, graph, package.facts));
    if (auto* error = std::get_if<TargetError>(&judged)) {
      result.error = std::move(*error);
    } else {
      Report& report = std::get<Report>(judged);
      report.contract_source = shown_contract;
      if (cache) cache->store(architecture_key, report);
      result.report = std::move(report);
    }
    batch.results.push_back(std::move(result));
  }
  return batch;
}

std::variant<PackagesDigest, std::string> digest_packages(const std::vector<std::string>& packages) {
  std::set<std::string> seen;
  std::string all = "packages\0";
  PackagesDigest digest;
  try {
    for (const std::string& target : packages) {
      if (!seen.insert(target).second) continue;
      for (const auto& [name, path] : package_modules(target)) {
        std::string bytes;
        try {
          bytes = sha256_hex(read_source_file(path, SourceLimits{}.max_bytes));
        } catch (const LocatedError&) {
          bytes = "unreadable";
        }
        all += name + '\0' + path.string() + '\0' + bytes + '\0';
        ++digest.modules;
      }
    }
  } catch (const PackageError& error) {
    return "importspy: error: " + error.message + "\n";
  }
  digest.sha256 = sha256_hex(all);
  return digest;
}

std::variant<PackagesRead, std::string> read_packages(const std::vector<std::string>& packages) {
  std::vector<std::pair<std::string, fs::path>> modules;  // (dotted name, file), each package's in order
  std::set<std::string> seen;
  try {
    for (const std::string& target : packages) {
      if (!seen.insert(target).second) continue;
      for (auto& module : package_modules(target)) modules.push_back(std::move(module));
    }
  } catch (const PackageError& error) {
    return "importspy: error: " + error.message + "\n";
  }
  PackagesRead read;
  read.facts.resize(modules.size());
  read.files.resize(modules.size());
  read.errors.resize(modules.size());
  const fs::path here = fs::current_path();
  // One module at a time per thread, keeping only what the graph and its rules need (name, file,
  // imports): a source and the rest of its facts are dropped as soon as it is read, so memory holds the
  // graph, not the package's text (26 MB for sympy). The reader touches no Python object.
  std::atomic<std::size_t> next{0};
  const std::optional<TargetEnvironment> target = reading_target();  // the command's (--for), read once for every thread
  const auto work = [&] {
    ReadOptions options;
    options.imports_only = true;
    options.target = target;
    for (std::size_t i = next++; i < modules.size(); i = next++) {
      const auto& [name, path] = modules[i];
      const std::string shown = path.lexically_relative(here).string();
      const std::string file = shown.empty() || shown.starts_with("..") ? path.string() : shown;
      read.facts[i].name = name;
      read.facts[i].filename = file;
      read.files[i] = file;
      try {
        ModuleFacts facts = read_module_source(read_source_file(path, SourceLimits{}.max_bytes), file, name, options);
        read.facts[i].imports = std::move(facts.imports);
      } catch (const LocatedError& failure) {
        read.errors[i] = TargetError{"source-error", failure.what(), failure.file().empty() ? file : failure.file(), failure.line(), failure.column()};
      } catch (const std::exception& failure) {
        read.errors[i] = TargetError{"internal-error", std::string("ImportSpy failed on this module: ") + failure.what() + "; please report it", file, 0, 0};
      }
    }
  };
  const std::size_t threads = std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), std::max<std::size_t>(1, modules.size() / 16));
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < threads; ++t) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();
  read.graph = build_import_graph(read.facts);
  return read;
}

std::string render_package_report(const BatchResult& batch, const std::string& target, const std::string& format, bool color) {
  if (format == "json") return render_batch_json(batch) + "\n";
  if (format == "sarif") return render_sarif(batch, IMPORTSPY_VERSION) + "\n";
  if (format == "junit") return render_junit(batch);
  if (format == "github") return render_github(batch);
  if (format == "html") return render_html(batch, {"ImportSpy report: " + target, IMPORTSPY_VERSION, {}});
  return render_batch_text(batch, {color, true});
}

}  // namespace importspy::bindings
