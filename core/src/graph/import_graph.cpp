#include "importspy/graph/import_graph.hpp"

#include <algorithm>
#include <limits>

#include "importspy/facts/static_rules.hpp"

namespace importspy {

std::optional<std::size_t> ImportGraph::find(std::string_view name) const {
  const auto it = index.find(std::string(name));
  if (it == index.end()) return std::nullopt;
  return it->second;
}

std::string package_of(const ModuleFacts& module) {
  const std::string& file = module.filename;
  if (file.ends_with("/__init__.py") || file.ends_with("\\__init__.py") || file == "__init__.py") return module.name;
  const std::size_t dot = module.name.rfind('.');
  return dot == std::string::npos ? std::string() : module.name.substr(0, dot);
}

ImportGraph build_import_graph(std::span<const ModuleFacts> modules) {
  ImportGraph graph;
  graph.modules.reserve(modules.size());
  std::vector<const ModuleFacts*> facts_of;
  facts_of.reserve(modules.size());
  for (const ModuleFacts& module : modules) {
    if (!graph.index.try_emplace(module.name, graph.modules.size()).second) continue;
    graph.modules.push_back(module.name);
    facts_of.push_back(&module);
  }
  graph.imports.resize(graph.modules.size());
  std::string candidate;
  for (std::size_t from = 0; from < facts_of.size(); ++from) {
    const ModuleFacts& module = *facts_of[from];
    const std::string package = package_of(module);
    for (const ImportFact& fact : module.imports) {
      const bool relative = fact.module.starts_with('.');
      if (relative && package.empty()) continue;  // no package to resolve against
      const std::string target = relative ? resolve_relative(fact.module, package) : fact.module;
      std::optional<std::size_t> to;
      if (!fact.name.empty()) {
        candidate = target.empty() ? fact.name : target + "." + fact.name;
        to = graph.find(candidate);
      }
      if (!to && !target.empty()) to = graph.find(target);
      if (to) graph.imports[from].push_back(ImportEdge{*to, fact.line, fact.lazy, fact.type_checking, fact.main_guard});
    }
  }
  return graph;
}

std::vector<ModuleDependency> dependencies_of(const ImportGraph& graph, std::size_t from) {
  std::vector<ModuleDependency> out;
  std::unordered_map<std::size_t, std::size_t> slot;  // module → its place in `out`
  for (const ImportEdge& edge : graph.imports[from]) {
    const auto [it, added] = slot.try_emplace(edge.to, out.size());
    if (added) out.push_back({edge.to, {}});
    std::vector<ImportEdge>& imports = out[it->second].imports;
    const bool same = !imports.empty() && imports.back().line == edge.line && imports.back().lazy == edge.lazy &&
                      imports.back().type_checking == edge.type_checking && imports.back().main_guard == edge.main_guard;
    if (!same) imports.push_back(edge);  // the names of one statement are adjacent
  }
  return out;
}

std::vector<std::vector<std::size_t>> import_cycles(const ImportGraph& graph, EdgeFilter filter) {
  constexpr std::size_t unvisited = std::numeric_limits<std::size_t>::max();
  const std::size_t n = graph.modules.size();
  std::vector<std::size_t> order(n, unvisited), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<std::size_t> stack;
  struct Frame {
    std::size_t node;
    std::size_t next_edge;
  };
  std::vector<Frame> frames;
  std::vector<std::vector<std::size_t>> cycles;
  std::size_t counter = 0;

  for (std::size_t root = 0; root < n; ++root) {
    if (order[root] != unvisited) continue;
    frames.push_back({root, 0});
    order[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!frames.empty()) {
      Frame& frame = frames.back();
      const std::vector<ImportEdge>& edges = graph.imports[frame.node];
      if (frame.next_edge < edges.size()) {
        const ImportEdge& edge = edges[frame.next_edge++];
        if (!filter.follows(edge)) continue;
        if (order[edge.to] == unvisited) {
          order[edge.to] = low[edge.to] = counter++;
          stack.push_back(edge.to);
          on_stack[edge.to] = true;
          frames.push_back({edge.to, 0});  // `frame` is not used after this
        } else if (on_stack[edge.to]) {
          low[frame.node] = std::min(low[frame.node], order[edge.to]);
        }
        continue;
      }
      const std::size_t node = frame.node;
      frames.pop_back();
      if (!frames.empty()) low[frames.back().node] = std::min(low[frames.back().node], low[node]);
      if (low[node] != order[node]) continue;
      std::vector<std::size_t> component;
      std::size_t member;
      do {
        member = stack.back();
        stack.pop_back();
        on_stack[member] = false;
        component.push_back(member);
      } while (member != node);
      // A module importing itself is no cycle: Python finds it in sys.modules, already being run.
      if (component.size() < 2) continue;
      std::sort(component.begin(), component.end());
      cycles.push_back(std::move(component));
    }
  }
  std::sort(cycles.begin(), cycles.end(), [](const auto& a, const auto& b) { return a.front() < b.front(); });
  return cycles;
}

}  // namespace importspy
