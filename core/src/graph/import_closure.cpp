#include "importspy/graph/import_closure.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "importspy/facts/static_rules.hpp"
#include "importspy/graph/import_graph.hpp"

namespace importspy {
namespace fs = std::filesystem;

namespace {

// Where `dotted` is on the search path: the first folder holding a/b.py or a/b/__init__.py.
std::optional<fs::path> locate(const std::string& dotted, std::span<const fs::path> search_path) {
  fs::path relative;
  for (std::size_t start = 0;;) {
    const std::size_t dot = dotted.find('.', start);
    const std::string part = dotted.substr(start, dot - start);
    if (part.empty()) return std::nullopt;
    relative /= part;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  std::error_code ec;
  for (const fs::path& folder : search_path) {
    const fs::path package = folder / relative / "__init__.py";
    if (fs::is_regular_file(package, ec)) return package;
    fs::path module = folder / relative;
    module += ".py";
    if (fs::is_regular_file(module, ec)) return module;
  }
  return std::nullopt;
}

// Every module an import of `module` may run: the named module, each package above it, and the
// submodule `from a import b` names when `b` is one.
std::vector<std::string> imported_names(const ModuleFacts& module) {
  std::vector<std::string> names;
  const std::string package = package_of(module);
  for (const ImportFact& fact : module.imports) {
    const bool relative = fact.module.starts_with('.');
    if (relative && package.empty()) continue;
    const std::string target = relative ? resolve_relative(fact.module, package) : fact.module;
    if (!target.empty()) {
      for (std::size_t dot = target.find('.'); dot != std::string::npos; dot = target.find('.', dot + 1)) names.push_back(target.substr(0, dot));
      names.push_back(target);
    }
    if (!fact.name.empty() && fact.name != "*") names.push_back(target.empty() ? fact.name : target + "." + fact.name);
  }
  return names;
}

}  // namespace

ImportClosure read_import_closure(ModuleFacts root, std::span<const fs::path> search_path, const ModuleReader& read, std::size_t limit) {
  ImportClosure closure;
  std::unordered_set<std::string> seen{root.name};
  closure.modules.push_back(std::move(root));
  for (std::size_t next = 0; next < closure.modules.size(); ++next) {
    for (const std::string& name : imported_names(closure.modules[next])) {
      if (!seen.insert(name).second) continue;
      const std::optional<fs::path> file = locate(name, search_path);
      if (!file) continue;
      if (closure.modules.size() >= limit) {
        closure.truncated = true;
        return closure;
      }
      if (std::optional<ModuleFacts> facts = read(*file, name)) {
        facts->name = name;
        closure.modules.push_back(std::move(*facts));
      }
    }
  }
  return closure;
}

std::vector<std::vector<std::size_t>> cycles_through(const std::vector<std::vector<std::size_t>>& cycles, std::size_t module) {
  std::vector<std::vector<std::size_t>> out;
  for (const auto& cycle : cycles) {
    const auto at = std::find(cycle.begin(), cycle.end(), module);
    if (at == cycle.end()) continue;
    std::vector<std::size_t> turned(at, cycle.end());
    turned.insert(turned.end(), cycle.begin(), at);
    out.push_back(std::move(turned));
  }
  return out;
}

}  // namespace importspy
