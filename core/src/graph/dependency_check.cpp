#include "importspy/graph/dependency_check.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <string>
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

}  // namespace

Report check_with_dependencies(const Contract& contract, std::span<const std::shared_ptr<const Contract>> required, const EnvironmentFacts& environment,
                               const ImportGraph& graph, std::span<const ModuleFacts> facts, std::size_t module, const CheckOptions& options) {
  Report report = check(contract, environment, facts[module], options);
  if (contract.required_contracts.empty()) return report;

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
    std::size_t first_line = 0;
    for (std::size_t node = *target; node != module; node = parent[node]) {
      chain.push_back(graph.modules[node]);
      if (parent[node] == module) first_line = static_cast<std::size_t>(line[node]);
    }
    chain.push_back(graph.modules[module]);
    std::reverse(chain.begin(), chain.end());
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
    v.dependency = std::move(dependency);
    report.violations.push_back(std::move(v));
  }
  return report;
}

}  // namespace importspy
