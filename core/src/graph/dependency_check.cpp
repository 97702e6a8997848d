#include "importspy/graph/dependency_check.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "importspy/report/violation_codes.hpp"

namespace importspy {
namespace {

constexpr std::size_t kUnreached = std::numeric_limits<std::size_t>::max();

std::string chain_text(const std::vector<std::string>& chain) {
  std::string out;
  for (const std::string& name : chain) out += (out.empty() ? "" : " -> ") + name;
  return out;
}

// The shortest way from `module` back to itself through `members` (its cycle), along `filter`'s edges:
// the chain `module, ..., module`, and the line of the chain's first import.
// The steps of a chain of nodes: each module with its file and the line of its first import (that
// `filter` follows) of the next one.
std::vector<ChainStep> chain_steps(const ImportGraph& graph, std::span<const ModuleFacts> facts, const std::vector<std::size_t>& nodes, EdgeFilter filter) {
  std::vector<ChainStep> steps;
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    int line = 0;
    if (k + 1 < nodes.size()) {
      for (const ImportEdge& edge : graph.imports[nodes[k]]) {
        if (edge.to == nodes[k + 1] && filter.follows(edge)) {
          line = edge.line;
          break;
        }
      }
    }
    steps.push_back({graph.modules[nodes[k]], nodes[k] < facts.size() ? facts[nodes[k]].filename : std::string(), line});
  }
  return steps;
}

std::pair<std::vector<std::size_t>, int> shortest_cycle(const ImportGraph& graph, std::size_t module, const std::vector<std::size_t>& members, EdgeFilter filter) {
  std::vector<bool> inside(graph.modules.size(), false);
  for (std::size_t member : members) inside[member] = true;
  std::vector<std::size_t> parent(graph.modules.size(), kUnreached);
  std::vector<int> first_line(graph.modules.size(), 0);
  std::deque<std::size_t> queue{module};
  while (!queue.empty()) {
    const std::size_t node = queue.front();
    queue.pop_front();
    for (const ImportEdge& edge : graph.imports[node]) {
      if (!filter.follows(edge) || !inside[edge.to]) continue;
      const int line = node == module ? edge.line : first_line[node];
      if (edge.to == module) {
        std::vector<std::size_t> chain{module};
        for (std::size_t at = node; at != module; at = parent[at]) chain.push_back(at);
        chain.push_back(module);
        std::reverse(chain.begin(), chain.end());
        return {chain, line};
      }
      if (parent[edge.to] != kUnreached) continue;
      parent[edge.to] = node;
      first_line[edge.to] = line;
      queue.push_back(edge.to);
    }
  }
  return {{module, module}, 0};
}

}  // namespace

Report check_with_dependencies(const Contract& contract, std::span<const std::shared_ptr<const Contract>> required, const EnvironmentFacts& environment,
                               const ImportGraph& graph, std::span<const ModuleFacts> facts, std::size_t module, const CheckOptions& options,
                               const std::vector<std::vector<std::size_t>>* cycles) {
  Report report = check(contract, environment, facts[module], options);
  add_dependency_violations(report, contract, required, environment, graph, facts, module, cycles);
  return report;
}

void add_dependency_violations(Report& report, const Contract& contract, std::span<const std::shared_ptr<const Contract>> required,
                               const EnvironmentFacts& environment, const ImportGraph& graph, std::span<const ModuleFacts> facts, std::size_t module,
                               const std::vector<std::vector<std::size_t>>* cycles) {
  if (cycles && contract.imports && contract.imports->no_cycles) {
    for (const std::vector<std::size_t>& cycle : *cycles) {
      if (cycle.front() != module) continue;  // each cycle is reported once, on its first module
      const auto [path, first_line] = shortest_cycle(graph, module, cycle, EdgeFilter{});
      std::vector<std::string> chain;
      for (std::size_t node : path) chain.push_back(graph.modules[node]);
      std::string members;
      for (std::size_t node : cycle) members += (members.empty() ? "" : ", ") + graph.modules[node];
      const ViolationCode& entry = violation_code(codes::import_cycle);
      Violation v;
      v.code = std::string(codes::import_cycle);
      v.category = entry.category;
      v.context = entry.context;
      v.path = "imports.no_cycles";
      v.expected = "no import cycle";
      v.actual = members;
      v.message = "`" + graph.modules[module] + "` is in an import cycle: " + chain_text(chain) +
                  (cycle.size() + 1 > path.size() ? " (the cycle's modules: " + members + ")" : "");
      v.hint = "break the cycle: import inside the function that needs it, or move what both use into a module of its own";
      v.contract_mark = contract.imports->no_cycles_mark;
      v.source_line = first_line;
      v.chain = std::move(chain);
      v.chains.push_back(chain_steps(graph, facts, path, EdgeFilter{}));
      report.violations.push_back(std::move(v));
    }
  }
  if (contract.required_contracts.empty()) return;

  // Breadth first: each module once, with the module it was first reached from (the shortest chain).
  const EdgeFilter filter{true, contract.imports && contract.imports->type_checking};
  std::vector<std::size_t> parent(graph.modules.size(), kUnreached);
  std::vector<int> line(graph.modules.size(), 0);  // the line of the import that reached it
  parent[module] = module;
  std::deque<std::size_t> queue{module};
  while (!queue.empty()) {
    const std::size_t node = queue.front();
    queue.pop_front();
    for (const ImportEdge& edge : graph.imports[node]) {
      if (!filter.follows(edge) || parent[edge.to] != kUnreached) continue;
      parent[edge.to] = node;
      line[edge.to] = edge.line;
      queue.push_back(edge.to);
    }
  }

  for (std::size_t i = 0; i < contract.required_contracts.size() && i < required.size(); ++i) {
    const RequiredContract& rule = contract.required_contracts[i];
    const std::optional<std::size_t> target = graph.find(rule.module);
    if (!required[i] || !target || *target == module || parent[*target] == kUnreached) continue;
    auto dependency = std::make_shared<Report>(check(*required[i], environment, facts[*target]));
    if (dependency->ok()) continue;
    std::vector<std::string> chain;
    std::vector<std::size_t> nodes;
    std::size_t first_line = 0;
    for (std::size_t node = *target; node != module; node = parent[node]) {
      chain.push_back(graph.modules[node]);
      nodes.push_back(node);
      if (parent[node] == module) first_line = static_cast<std::size_t>(line[node]);
    }
    chain.push_back(graph.modules[module]);
    nodes.push_back(module);
    std::reverse(chain.begin(), chain.end());
    std::reverse(nodes.begin(), nodes.end());
    const ViolationCode& entry = violation_code(codes::dependency_violation);
    const Violation& first = dependency->violations.front();
    const std::size_t count = dependency->violations.size();
    Violation v;
    v.code = std::string(codes::dependency_violation);
    v.category = entry.category;
    v.context = entry.context;
    v.path = "requires[" + std::to_string(i) + "]";
    v.expected = rule.contract;
    v.actual = std::to_string(count) + (count == 1 ? " violation" : " violations");
    v.message = "module `" + rule.module + "` (" + chain_text(chain) + ") violates its contract " + rule.contract + ": " + first.code + ": " + first.message +
                (count > 1 ? " (and " + std::to_string(count - 1) + " more)" : "");
    v.hint = "fix `" + rule.module + "` against " + rule.contract + " (check it alone for every violation), or stop importing it from here";
    v.contract_mark = rule.mark;
    v.source_line = static_cast<int>(first_line);
    v.chain = std::move(chain);
    v.chains.push_back(chain_steps(graph, facts, nodes, filter));
    v.dependency = std::move(dependency);
    report.violations.push_back(std::move(v));
  }
}

}  // namespace importspy
