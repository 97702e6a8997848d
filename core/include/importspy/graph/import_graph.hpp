#pragma once
// The static import graph of a set of modules: which module of the set imports which, read from their
// facts (ModuleFacts::imports), and the import cycles in it. Built in time linear in modules and imports.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "importspy/facts/facts.hpp"

namespace importspy {

// One import statement's binding that names a module of the set.
struct ImportEdge {
  std::size_t to = 0;  // index into ImportGraph::modules
  int line = 0;        // the import's line in the importing module
  bool lazy = false;           // inside a function or method body
  bool type_checking = false;  // under `if TYPE_CHECKING:`
  bool main_guard = false;     // under `if __name__ == "__main__":`
};

// Which edges a traversal follows. By default those that run when the module is imported: a lazy import
// runs only when its function is called, a TYPE_CHECKING one never, a `__main__` one only under `python -m`.
struct EdgeFilter {
  bool lazy = false;
  bool type_checking = false;
  bool main_guard = false;

  bool follows(const ImportEdge& edge) const {
    return (!edge.lazy || lazy) && (!edge.type_checking || type_checking) && (!edge.main_guard || main_guard);
  }
};

struct ImportGraph {
  std::vector<std::string> modules;               // dotted names; a node is its index
  std::vector<std::vector<ImportEdge>> imports;   // per module, in source order; one edge per binding
  std::unordered_map<std::string, std::size_t> index;  // name → node

  std::optional<std::size_t> find(std::string_view name) const;
};

// The graph of `modules` (each with its dotted `name`; a package is its `__init__.py`, by `filename`).
// An import resolves to a module of the set: `import a.b` to `a.b`; `from a import b` to `a.b` when it is
// a module of the set, else to `a`; relative imports against the importing module's package. Imports of
// modules outside the set give no edge; a module named twice keeps its first facts.
ImportGraph build_import_graph(std::span<const ModuleFacts> modules);

// The imports of one module grouped by the module they import: what `graph` shows as one edge.
struct ModuleDependency {
  std::size_t to = 0;                // index into ImportGraph::modules
  std::vector<ImportEdge> imports;   // each import statement once (`from m import a, b` binds two names), in source order
};

// The dependencies of module `from`, in the order each module is first imported. Linear in its imports.
std::vector<ModuleDependency> dependencies_of(const ImportGraph& graph, std::size_t from);

// The import cycles: each strongly connected component of the edges `filter` follows that has more than
// one module (a module importing itself is no cycle); modules of a cycle in graph order, cycles ordered by their
// first module. Iterative (Tarjan): no recursion, whatever the depth of the graph.
std::vector<std::vector<std::size_t>> import_cycles(const ImportGraph& graph, EdgeFilter filter = {});

// The package a module's relative imports resolve against: the module itself for an `__init__.py`.
std::string package_of(const ModuleFacts& module);

}  // namespace importspy
