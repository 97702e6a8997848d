#pragma once
// A module checked with what its contract says of other modules (`requires:`, `imports.no_cycles`) when it
// is checked on its own, not as part of a package (`check --package` has the whole graph already): the
// modules it reaches are found as source files and read, never run (docs/contracts.md, "Import rules").

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "importspy/check/checker.hpp"
#include "importspy/contract/contract.hpp"
#include "importspy/facts/facts.hpp"

namespace importspy::bindings {

// True when checking against `contract` needs other modules: it `requires` some, or asks for no cycles.
bool follows_imports(const Contract& contract);

// The contracts `contract` requires, in its order, each path relative to the folder of `contract.source`.
// Throws ContractError for one that cannot be loaded.
std::vector<std::shared_ptr<const Contract>> load_required_contracts(const Contract& contract);

// `facts` (of the module `facts.name`, read from `facts.filename`) checked against `contract`, then each
// required module it reaches along its imports against its own contract, and for import cycles through
// it. Modules are looked up in the module's own source root (the folder above its top package), then in
// `search_path` (project_search_path()); those that cannot be read are not followed. No Python needed.
Report check_along_imports(const Contract& contract, std::span<const std::shared_ptr<const Contract>> required, const EnvironmentFacts& environment,
                           const ModuleFacts& facts, std::span<const std::filesystem::path> search_path, const CheckOptions& options = {});

// What following imports needs beyond the facts, gathered with the GIL (sys.path, the required contracts):
// nothing when `contract` does not follow imports. Throws ContractError for a required contract that
// cannot be loaded.
struct ImportContext {
  std::vector<std::shared_ptr<const Contract>> required;
  std::vector<std::filesystem::path> search_path;
};
std::optional<ImportContext> import_context(const Contract& contract);

// The one check of a module every mode uses (CLI, Python API, import hook, Spy): along its imports when
// there is a context, else the module alone. Needs no GIL.
Report check_module(const Contract& contract, const EnvironmentFacts& environment, const ModuleFacts& facts, const std::optional<ImportContext>& context,
                    const CheckOptions& options = {});

}  // namespace importspy::bindings
