#include "importspy/graph/import_closure.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "importspy/facts/module_file.hpp"
#include "importspy/facts/static_rules.hpp"
#include "importspy/graph/import_graph.hpp"

namespace importspy {
namespace fs = std::filesystem;

namespace {

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
      const std::optional<fs::path> file = locate_module_file(name, search_path);
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
