#pragma once
// Dependency-aware checking: a module against its contract, then each module its contract `requires`
// that it reaches along its imports, against that module's own contract.

#include <memory>
#include <span>

#include "importspy/check/checker.hpp"
#include "importspy/graph/import_graph.hpp"

namespace importspy {

// `module` (a node of `graph`; `facts[i]` are node i's facts) checked against `contract`, then each
// `contract.required_contracts[i]` whose module the checked one reaches along its imports (lazy ones included,
// TYPE_CHECKING ones when `imports.type_checking` is true) checked against `required[i]` (null: left
// out): a dependency with violations is one `dependency-violation` carrying the shortest import chain
// and the dependency's report. Each module is visited once, so import cycles end the walk. A required
// module outside the graph, or not reached, is not checked.
//
// `cycles` (import_cycles(graph), computed once for all the modules checked): with `imports.no_cycles`, a
// module in one of them has an `import-cycle` violation, reported only on the cycle's first module, so
// once per cycle; without `cycles` the rule is not evaluated.
Report check_with_dependencies(const Contract& contract, std::span<const std::shared_ptr<const Contract>> required, const EnvironmentFacts& environment,
                               const ImportGraph& graph, std::span<const ModuleFacts> facts, std::size_t module, const CheckOptions& options = {},
                               const std::vector<std::vector<std::size_t>>* cycles = nullptr);

// What check_with_dependencies adds to the module's own report (`check(contract, environment,
// facts[module])`, made beforehand): its cycles and the reports of the `requires:` modules it reaches.
// Of the other modules it reads only their imports, file and the facts of each required module (which
// must be whole when `facts_needed` of that module's contract is `all`). For checks that judge each
// module as it is read and keep only the imports of most.
void add_dependency_violations(Report& report, const Contract& contract, std::span<const std::shared_ptr<const Contract>> required,
                               const EnvironmentFacts& environment, const ImportGraph& graph, std::span<const ModuleFacts> facts, std::size_t module,
                               const std::vector<std::vector<std::size_t>>* cycles = nullptr);

}  // namespace importspy
