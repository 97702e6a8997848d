#include "cli/lint_imports.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>
#include <variant>

#include "importspy/architecture/architecture_check.hpp"
#include "importspy/contract/architecture.hpp"
#include "importspy/contract/import_linter_config.hpp"
#include "importspy/contract/loader.hpp"
#include "extract/source_bytes.hpp"
#include "extract/static_extractor.hpp"
#include "importspy/project/result_cache.hpp"
#include "importspy/render/batch.hpp"
#include "importspy/report/chain_groups.hpp"

namespace importspy::bindings {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// A run that cannot go on: the message lint-imports' users see on standard error, exit 1.
struct RunError {
  std::string message;
};

// One contract to check, with the file it came from.
struct Selected {
  std::size_t file = 0;  // index into the configurations
  const ArchitectureRule* rule = nullptr;
};

struct Checked {
  Selected selected;
  Report report;
  double seconds = 0;
};

// The graph of one set of root packages, shared by every file naming the same set.
struct Graph {
  std::vector<std::string> root_packages;
  PackagesRead read;
  double seconds = 0;
};

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// As import-linter prints durations: 0.127s under a second, 5.9s under ten, 132s above.
std::string format_duration(double seconds) {
  char buffer[32];
  if (seconds < 1) std::snprintf(buffer, sizeof buffer, "%.3fs", seconds);
  else if (seconds < 10) std::snprintf(buffer, sizeof buffer, "%.1fs", seconds);
  else std::snprintf(buffer, sizeof buffer, "%.0fs", seconds);
  return buffer;
}

std::string plural(std::size_t count, const std::string& one, const std::string& many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

std::string underline(const std::string& text, char mark) { return text + "\n" + std::string(text.size(), mark) + "\n"; }

std::string heading(const std::string& text, char mark) {
  const std::string line(text.size(), mark);
  return line + "\n" + text + "\n" + line + "\n";
}

// --contract: an id, or FILE:ID (the file as named, compared by its real path) when ids repeat.
std::vector<Selected> select_contracts(const std::vector<RawArchitecture>& raws, const std::vector<ArchitectureRules>& compiled,
                                       const std::vector<std::string>& requested) {
  std::vector<Selected> all;
  for (std::size_t f = 0; f < compiled.size(); ++f)
    for (const ArchitectureRule& rule : compiled[f].rules) all.push_back({f, &rule});
  if (requested.empty()) return all;
  const auto same_file = [](const std::string& a, const std::string& b) {
    std::error_code ec_a, ec_b;
    const fs::path real_a = fs::weakly_canonical(a, ec_a), real_b = fs::weakly_canonical(b, ec_b);
    return !ec_a && !ec_b && real_a == real_b;
  };
  std::set<std::size_t> chosen;
  std::vector<std::string> missing;
  std::string ambiguous;
  for (const std::string& wanted : requested) {
    std::vector<std::size_t> matches;
    for (std::size_t i = 0; i < all.size(); ++i)
      if (!all[i].rule->id.empty() && all[i].rule->id == wanted) matches.push_back(i);
    if (matches.empty() && wanted.find(':') != std::string::npos) {
      const std::string file = wanted.substr(0, wanted.rfind(':')), id = wanted.substr(wanted.rfind(':') + 1);
      for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].rule->id == id && same_file(raws[all[i].file].file, file)) matches.push_back(i);
    }
    if (matches.empty()) {
      missing.push_back(wanted);
    } else if (matches.size() > 1) {
      ambiguous += "Multiple contracts found with the id '" + wanted + "'. Try including the filename, e.g.\n\n";
      for (std::size_t i : matches) ambiguous += "--contract=" + raws[all[i].file].file + ":" + wanted + "\n";
    } else {
      chosen.insert(matches.front());
    }
  }
  if (missing.size() == 1)
    throw RunError{"Could not find contract '" + missing.front() + "'.\n\nYou asked to limit the check to that contract, but nothing exists with that id."};
  if (!missing.empty()) {
    std::set<std::string> sorted(missing.begin(), missing.end());
    std::string names;
    for (const std::string& name : sorted) names += (names.empty() ? "" : ", ") + name;
    throw RunError{"Could not find the following contract ids: " + names +
                   ".\n\nYou asked to limit the check to those contracts, but there are no contracts with those ids."};
  }
  if (!ambiguous.empty()) throw RunError{ambiguous};
  std::vector<Selected> out;
  for (std::size_t i : chosen) out.push_back(all[i]);
  return out;
}

// The number of importing module → imported module pairs, as import-linter counts "dependencies".
std::size_t dependency_count(const ImportGraph& graph, bool exclude_type_checking) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < graph.modules.size(); ++i) {
    for (const ModuleDependency& dependency : dependencies_of(graph, i)) {
      if (!exclude_type_checking) {
        ++count;
        continue;
      }
      for (const ImportEdge& edge : dependency.imports) {
        if (!edge.type_checking) {
          ++count;
          break;
        }
      }
    }
  }
  return count;
}

// With include_external_packages, import-linter's graph also holds each package outside the root
// packages that is imported (by its top-level name) and the imports of it: (modules, dependencies) added.
std::pair<std::size_t, std::size_t> external_counts(const PackagesRead& read, const std::vector<std::string>& roots, bool exclude_type_checking) {
  std::set<std::string> packages;
  std::set<std::pair<std::size_t, std::string>> imports;
  const auto top = [](const std::string& module) { return module.substr(0, module.find('.')); };
  std::set<std::string> inside;
  for (const std::string& root : roots) inside.insert(top(root));
  for (std::size_t i = 0; i < read.facts.size(); ++i) {
    for (const ImportFact& fact : read.facts[i].imports) {
      if (fact.module.empty() || fact.module.front() == '.' || (exclude_type_checking && fact.type_checking)) continue;
      const std::string name = top(fact.module);
      if (inside.count(name)) continue;  // `__future__` counts, as in grimp
      packages.insert(name);
      imports.emplace(i, name);
    }
  }
  return {packages.size(), imports.size()};
}

std::string link_text(const ChainLink& link) {
  std::string out = link.from.module + " -> " + link.to;
  if (link.from.line > 0) {
    std::string lines;
    for (int line : step_lines(link.from)) lines += (lines.empty() ? "" : ", ") + std::string("l.") + std::to_string(line);
    out += " (" + (link.from.file.empty() ? std::string() : link.from.file + ":") + lines + ")";
  }
  return out;
}

// One finding with its chains, as import-linter lists a broken contract's illegal imports: chains through
// the same middle merged (chain_groups.hpp), a further start or end of a group after `&`.
std::string render_finding(const Violation& violation) {
  std::string out = violation.message;
  if (!out.empty() && out.back() != ':' && !violation.chains.empty()) out += ":";
  out += "\n\n";
  for (const ChainGroup& group : group_chains(violation.chains)) {
    if (group.steps.size() < 2) continue;
    for (std::size_t k = 0; k < group.links.size(); ++k) {
      const bool more = k > 0 && group.links[k - 1].at == group.links[k].at;
      out += std::string(k == 0 ? "- " : "  ") + (more ? "& " : "") + link_text(group.links[k]) + "\n";
    }
    out += "\n";
  }
  if (!violation.hint.empty()) out += "hint: " + violation.hint + "\n\n";
  return out;
}

json finding_json(const Violation& violation) {
  json chains = json::array();
  for (const auto& chain : violation.chains) {
    json steps = json::array();
    for (const ChainStep& step : chain) steps.push_back({{"module", step.module}, {"file", step.file}, {"line", step.line}, {"lines", step_lines(step)}});
    chains.push_back(std::move(steps));
  }
  json groups = json::array();
  for (const ChainGroup& group : group_chains(violation.chains)) groups.push_back({{"chains", group.chains}, {"steps", group.steps}});
  return {{"code", violation.code}, {"message", violation.message}, {"hint", violation.hint}, {"chains", std::move(chains)}, {"chain_groups", std::move(groups)}};
}

// The CI formats render targets as for `check`. JUnit: one target per contract (a test case each).
// SARIF and GitHub place a finding in a file: one target per illegal chain, at its first import (the
// place to cut it); a finding without chains at its rule; a kept contract is one target without findings.
BatchResult as_batch(const std::vector<RawArchitecture>& raws, const std::vector<Checked>& checked, bool per_finding) {
  BatchResult batch;
  const auto located = [](Violation violation) {
    if (!violation.chains.empty() && !violation.chains.front().empty() && violation.source_line == 0)
      violation.source_line = violation.chains.front().front().line;
    return violation;
  };
  const auto file_of = [](const Violation& violation) {
    return violation.chains.empty() || violation.chains.front().empty() ? std::string() : violation.chains.front().front().file;
  };
  for (const Checked& each : checked) {
    TargetResult result;
    result.target = each.selected.rule->name;
    result.contract = raws[each.selected.file].file;
    Report report = each.report;
    report.violations.clear();
    if (per_finding && !each.report.violations.empty()) {
      for (const Violation& violation : each.report.violations) {
        std::vector<Violation> parts;
        if (violation.chains.size() <= 1) parts.push_back(violation);
        for (std::size_t c = 0; violation.chains.size() > 1 && c < violation.chains.size(); ++c) {
          Violation part = violation;
          part.chains = {violation.chains[c]};
          part.source_line = 0;
          parts.push_back(std::move(part));
        }
        for (Violation& part : parts) {
          TargetResult one = result;
          one.file = file_of(part);
          Report alone = report;
          report.warnings.clear();  // a contract's warnings go with its first finding only
          alone.violations = {located(std::move(part))};
          one.report = std::move(alone);
          batch.results.push_back(std::move(one));
        }
      }
      continue;
    }
    for (const Violation& violation : each.report.violations) report.violations.push_back(located(violation));
    if (!report.violations.empty()) result.file = file_of(report.violations.front());
    result.report = std::move(report);
    batch.results.push_back(std::move(result));
  }
  return batch;
}

}  // namespace

CommandOutput run_lint_imports(const LintImportsOptions& options) {
  CommandOutput output;
  std::string progress;  // --verbose: printed before the report, as lint-imports does
  const auto verbose = [&](const std::string& line) {
    if (options.verbose) progress += line + "\n";
  };
  const auto fail = [&](const std::string& message, const std::string& kind) {
    output.status = 1;
    output.out = progress;
    output.err = message + (options.debug && !kind.empty() ? "\n(" + kind + ")" : "") + "\n";
    return output;
  };
  if (options.verbose) verbose("Verbose mode.");

  std::vector<RawArchitecture> raws;
  std::vector<ArchitectureRules> compiled;
  std::vector<Selected> selected;
  try {
    raws = find_import_linter_config(options.config_files, fs::current_path());
    for (const RawArchitecture& raw : raws) compiled.push_back(compile_architecture(raw));
    selected = select_contracts(raws, compiled, options.contracts);
  } catch (const ContractError& error) {
    return fail(error.what(), std::string("contract error: ") + std::string(to_string(error.kind())));
  } catch (const RunError& error) {
    return fail(error.message, "");
  }

  // The files whose contracts are checked; files naming the same root packages share one graph.
  std::vector<std::size_t> files_needed;
  for (const Selected& each : selected)
    if (std::find(files_needed.begin(), files_needed.end(), each.file) == files_needed.end()) files_needed.push_back(each.file);
  if (files_needed.empty()) files_needed.push_back(0);
  const auto roots_of = [&](std::size_t file) {
    std::vector<std::string> roots = compiled[file].root_packages;
    std::sort(roots.begin(), roots.end());
    return roots;
  };

  // The result cache: each contract's report, and the counts of what was analysed, keyed by the engine,
  // the configuration file's bytes and every module's bytes (never their mere dates). A run whose
  // entries are all there reads no module as Python.
  std::optional<ResultCache> cache;
  std::vector<std::string> contract_keys;  // one per selected contract
  std::string summary_key;
  if (options.cache_directory) {
    cache.emplace(*options.cache_directory);
    std::map<std::vector<std::string>, std::string> digests;
    std::map<std::size_t, std::string> texts;
    std::string everything;
    for (std::size_t file : files_needed) {
      const std::vector<std::string> roots = roots_of(file);
      if (!digests.count(roots)) {
        auto digest = digest_packages(compiled[file].root_packages);
        const auto* found = std::get_if<PackagesDigest>(&digest);
        if (!found) {  // the graph building below says why
          cache.reset();
          break;
        }
        digests[roots] = found->sha256;
      }
      try {
        texts[file] = read_source_file(raws[file].file, std::size_t{4} << 20);
      } catch (const std::exception&) {
        cache.reset();
        break;
      }
      everything += texts[file] + '\0' + digests[roots] + '\0';
    }
    if (cache) {
      // Verdicts depend on the platform and Python the sources were read for (--for): one key each.
      const std::string kind = "lint-imports/" + reading_target_label(reading_target());
      summary_key = result_cache_key({IMPORTSPY_VERSION, kind + "/summary", everything, "", "", "", "", nullptr, {}});
      for (const Selected& each : selected) {
        const std::string position = each.rule->id + '\0' + std::to_string(each.rule - compiled[each.file].rules.data());
        contract_keys.push_back(result_cache_key({IMPORTSPY_VERSION, kind, texts[each.file], digests[roots_of(each.file)],
                                                  raws[each.file].file, position, raws[each.file].file, nullptr, {}}));
      }
    }
  }

  std::vector<Checked> checked;
  std::size_t modules = 0, dependencies = 0;
  std::vector<Graph> graphs;
  if (cache) {
    // The counts travel in a report's module_filename ("MODULES DEPENDENCIES"): the cache stores reports.
    std::optional<Report> summary = cache->load(summary_key);
    std::vector<Checked> served;
    for (std::size_t i = 0; summary && i < selected.size(); ++i) {
      std::optional<Report> report = cache->load(contract_keys[i]);
      if (!report) break;
      served.push_back({selected[i], std::move(*report), 0});
    }
    if (summary && served.size() == selected.size() &&
        std::sscanf(summary->module_filename.c_str(), "%zu %zu", &modules, &dependencies) == 2) {
      checked = std::move(served);
      verbose("Every contract's result is in the cache (" + options.cache_directory->string() + ").");
    }
  }
  if (checked.size() != selected.size() || selected.empty()) {
    checked.clear();
    modules = dependencies = 0;
    // One graph per distinct set of root packages, built in the order contracts first need it.
    std::map<std::size_t, std::size_t> graph_of_file;
    for (std::size_t file : files_needed) {
      const std::vector<std::string> roots = roots_of(file);
      std::size_t found = graphs.size();
      for (std::size_t g = 0; g < graphs.size(); ++g)
        if (graphs[g].root_packages == roots) found = g;
      if (found == graphs.size()) {
        verbose(cache ? "Building import graph (cache directory is " + options.cache_directory->string() + ")..."
                      : std::string("Building import graph (with caching disabled)..."));
        const Clock::time_point start = Clock::now();
        auto read = read_packages(compiled[file].root_packages);
        if (auto* message = std::get_if<std::string>(&read)) {
          std::string text = *message;
          while (!text.empty() && text.back() == '\n') text.pop_back();
          return fail(text, "");
        }
        graphs.push_back({roots, std::move(std::get<PackagesRead>(read)), since(start)});
        verbose("Built graph in " + format_duration(graphs.back().seconds) + ".");
      }
      graph_of_file[file] = found;
    }
    // A module that cannot be read would silently lose its imports: the run stops, as lint-imports'
    // graph building does on a syntax error.
    for (const Graph& graph : graphs) {
      for (const auto& error : graph.read.errors) {
        if (!error) continue;
        std::string where = error->file;
        if (error->line > 0) where += ":" + std::to_string(error->line) + ":" + std::to_string(error->column);
        return fail(where + ": " + error->message, error->code);
      }
    }

    for (const Selected& each : selected) {
      verbose("Checking " + each.rule->name + "...");
      ArchitectureRules one = compiled[each.file];
      one.rules = {*each.rule};
      const Graph& graph = graphs[graph_of_file.at(each.file)];
      const Clock::time_point start = Clock::now();
      Report report = check_architecture(one, graph.read.graph, graph.read.facts);
      checked.push_back({each, std::move(report), since(start)});
      if (options.verbose) {
        const Checked& done = checked.back();
        std::string line = each.rule->name + (done.report.ok() ? " KEPT" : " BROKEN");
        if (!done.report.warnings.empty()) line += " (" + plural(done.report.warnings.size(), "warning", "warnings") + ")";
        verbose(line + " [" + format_duration(done.seconds) + "]");
      }
    }

    // What was analysed, summed over the graphs as lint-imports sums them; each graph counted with the
    // session of the first file that needed it.
    for (std::size_t g = 0; g < graphs.size(); ++g) {
      std::size_t file = files_needed.front();
      for (std::size_t candidate : files_needed)
        if (graph_of_file.at(candidate) == g) {
          file = candidate;
          break;
        }
      const ArchitectureRules& session = compiled[file];
      const PackagesRead& read = graphs[g].read;
      modules += read.graph.modules.size();
      dependencies += dependency_count(read.graph, session.exclude_type_checking_imports);
      if (session.include_external_packages) {
        const auto [external_modules, external_imports] = external_counts(read, session.root_packages, session.exclude_type_checking_imports);
        modules += external_modules;
        dependencies += external_imports;
      }
    }
    if (cache) {
      for (std::size_t i = 0; i < checked.size(); ++i) cache->store(contract_keys[i], checked[i].report);
      Report summary;
      summary.module_filename = std::to_string(modules) + " " + std::to_string(dependencies);
      cache->store(summary_key, summary);
    }
  }

  std::size_t kept = 0, broken = 0, warnings = 0;
  for (const Checked& each : checked) {
    (each.report.ok() ? kept : broken) += 1;
    warnings += each.report.warnings.size();
  }
  output.status = broken ? 1 : 0;

  if (options.format == "json") {
    json contracts = json::array();
    for (const Checked& each : checked) {
      const ArchitectureRule& rule = *each.selected.rule;
      json violations = json::array(), warned = json::array();
      for (const Violation& violation : each.report.violations) violations.push_back(finding_json(violation));
      for (const Violation& warning : each.report.warnings) warned.push_back(finding_json(warning));
      contracts.push_back({{"id", rule.id},
                           {"name", rule.name},
                           {"type", std::string(to_string(rule.type))},
                           {"file", raws[each.selected.file].file},
                           {"line", rule.mark.line},
                           {"kept", each.report.ok()},
                           {"violations", std::move(violations)},
                           {"warnings", std::move(warned)}});
    }
    const json summary = {{"contracts", checked.size()}, {"kept", kept},       {"broken", broken},
                          {"warnings", warnings},        {"modules", modules}, {"dependencies", dependencies}};
    output.out = progress + json{{"ok", broken == 0}, {"summary", summary}, {"contracts", std::move(contracts)}}.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
    return output;
  }
  if (options.format == "sarif" || options.format == "github" || options.format == "junit") {
    const BatchResult batch = as_batch(raws, checked, options.format != "junit");
    if (options.format == "sarif") output.out = render_sarif(batch, IMPORTSPY_VERSION) + "\n";
    else if (options.format == "github") output.out = render_github(batch);
    else output.out = render_junit(batch) + "\n";
    output.out = progress + output.out;
    return output;
  }

  // Text, in lint-imports' shape.
  const std::string green = options.color ? "\033[32m" : "", red = options.color ? "\033[31m" : "", yellow = options.color ? "\033[33m" : "",
                    reset = options.color ? "\033[0m" : "";
  std::string out = progress;
  if (options.verbose) out += "\n";
  if (options.show_timings) {
    if (graphs.empty()) out += "Every result read from the cache\n";
    for (const Graph& graph : graphs) {
      std::string roots;
      for (const std::string& root : graph.root_packages) roots += (roots.empty() ? "" : ", ") + root;
      out += "Graph of " + roots + " built in " + format_duration(graph.seconds) + "\n";
    }
    out += "\n";
  }
  out += heading("Contracts", '-') + "\n";
  out += underline("Analyzed " + std::to_string(modules) + " files, " + std::to_string(dependencies) + " dependencies.", '-') + "\n";
  for (const Checked& each : checked) {
    out += each.selected.rule->name + " " + (each.report.ok() ? green + "KEPT" : red + "BROKEN") + reset;
    if (!each.report.warnings.empty()) out += yellow + " (" + plural(each.report.warnings.size(), "warning", "warnings") + ")" + reset;
    if (options.show_timings) out += " [" + format_duration(each.seconds) + "]";
    out += "\n";
  }
  out += "\nContracts: " + std::to_string(kept) + " kept, " + std::to_string(broken) + " broken.\n";
  if (warnings) {
    out += "\n" + heading("Warnings", '-') + "\n";
    bool first_contract = true;
    for (const Checked& each : checked) {
      if (each.report.warnings.empty()) continue;
      if (!first_contract) out += "\n";
      first_contract = false;
      out += underline(each.selected.rule->name, '-') + "\n";
      for (const Violation& warning : each.report.warnings) out += "- " + warning.message + "\n";
    }
  }
  if (broken) {
    out += "\n\n" + heading("Broken contracts", '-') + "\n";
    for (const Checked& each : checked) {
      if (each.report.ok()) continue;
      out += underline(each.selected.rule->name, '-') + "\n";
      for (const Violation& violation : each.report.violations) out += render_finding(violation);
      if (each.selected.rule->broken_contract_guidance) out += *each.selected.rule->broken_contract_guidance + "\n\n";
    }
  }
  output.out = std::move(out);
  return output;
}

}  // namespace importspy::bindings
