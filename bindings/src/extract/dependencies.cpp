#include "extract/dependencies.hpp"

#include <optional>
#include <string>

#include "extract/source_facts_cache.hpp"
#include "extract/targets.hpp"
#include "importspy/contract/cache.hpp"
#include "importspy/graph/dependency_check.hpp"
#include "importspy/graph/import_closure.hpp"
#include "importspy/graph/import_graph.hpp"
#include "interop/errors.hpp"

namespace importspy::bindings {
namespace fs = std::filesystem;

bool follows_imports(const Contract& contract) {
  return !contract.required_contracts.empty() || (contract.imports && contract.imports->no_cycles);
}

std::vector<std::shared_ptr<const Contract>> load_required_contracts(const Contract& contract) {
  std::vector<std::shared_ptr<const Contract>> required;
  const fs::path folder = fs::path(contract.source).parent_path();
  for (const RequiredContract& rule : contract.required_contracts) {
    const fs::path file = fs::path(rule.contract).is_absolute() ? fs::path(rule.contract) : folder / rule.contract;
    required.push_back(default_contract_cache().load(file));
  }
  return required;
}

Report check_along_imports(const Contract& contract, std::span<const std::shared_ptr<const Contract>> required, const EnvironmentFacts& environment,
                           const ModuleFacts& facts, std::span<const fs::path> search_path, const CheckOptions& options) {
  // The source root: up one folder per dot of the name, and one more for a package's __init__.py.
  const fs::path file(facts.filename);
  fs::path root = file.parent_path();
  if (file.filename() == "__init__.py") root = root.parent_path();
  for (std::size_t dot = facts.name.find('.'); dot != std::string::npos; dot = facts.name.find('.', dot + 1)) root = root.parent_path();
  std::vector<fs::path> search{root.empty() ? fs::path(".") : root};
  search.insert(search.end(), search_path.begin(), search_path.end());
  const ImportClosure closure = read_import_closure(facts, search, [](const fs::path& path, const std::string& name) -> std::optional<ModuleFacts> {
    try {
      return *cached_static_facts(path, name);
    } catch (const SourceError&) {
      return std::nullopt;  // not followed: a dependency that cannot be read is its own target's error
    }
  });
  const ImportGraph graph = build_import_graph(closure.modules);
  const auto cycles = cycles_through(import_cycles(graph), 0);
  return check_with_dependencies(contract, required, environment, graph, closure.modules, 0, options, &cycles);
}

std::optional<ImportContext> import_context(const Contract& contract) {
  if (!follows_imports(contract)) return std::nullopt;
  return ImportContext{load_required_contracts(contract), project_search_path()};
}

Report check_module(const Contract& contract, const EnvironmentFacts& environment, const ModuleFacts& facts, const std::optional<ImportContext>& context,
                    const CheckOptions& options) {
  if (!context) return check(contract, environment, facts, options);
  return check_along_imports(contract, context->required, environment, facts, context->search_path, options);
}

}  // namespace importspy::bindings
