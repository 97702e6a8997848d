#pragma once
// Architecture rules over a package's import graph: layers, independence, transitive forbidden imports,
// acyclic siblings, protected and private modules (docs/architecture-rules.md). Each broken rule is one
// violation carrying its import chains, with the file and line of every step.

#include <span>

#include "importspy/contract/architecture.hpp"
#include "importspy/facts/facts.hpp"
#include "importspy/graph/import_graph.hpp"
#include "importspy/report/report.hpp"

namespace importspy {

// `rules` judged over `graph` (built from `facts`: facts[i] is node i; their filenames name the files of
// chain steps). Broken rules are violations (codes architecture-*); `ignore_imports` entries that excuse no
// import are `architecture-ignore-unmatched` violations when alerted as errors, Report::warnings when
// alerted as warnings. External packages (include_external_packages) are added from the
// facts' imports of modules outside the graph. Time: linear in the graph per rule source set (breadth
// first searches), never an enumeration of paths.
Report check_architecture(const ArchitectureRules& rules, const ImportGraph& graph, std::span<const ModuleFacts> facts);

}  // namespace importspy
