#include "dependency_json.hpp"

#include "importspy/report/chain_groups.hpp"
#include "importspy/report/report.hpp"

namespace importspy {

nlohmann::json chain_groups_json(const Violation& v) {
  nlohmann::json groups = nlohmann::json::array();
  for (const ChainGroup& group : group_chains(v.chains)) groups.push_back({{"chains", group.chains}, {"steps", group.steps}});
  return groups;
}

void add_dependency_fields(nlohmann::json& out, const Violation& v) {
  if (!v.chains.empty()) {
    nlohmann::json chains = nlohmann::json::array();
    for (const auto& chain : v.chains) {
      nlohmann::json steps = nlohmann::json::array();
      for (const ChainStep& step : chain) {
        steps.push_back({{"module", step.module}, {"file", step.file}, {"line", step.line}, {"lines", step_lines(step)}});
      }
      chains.push_back(std::move(steps));
    }
    out["chains"] = std::move(chains);
    if (v.code.starts_with("architecture-")) out["chain_groups"] = chain_groups_json(v);
  }
  if (v.chain.empty() && !v.dependency) return;
  out["chain"] = v.chain;
  if (!v.dependency) return;
  nlohmann::json violations = nlohmann::json::array();
  for (const Violation& d : v.dependency->violations) {
    nlohmann::json item = {{"code", d.code}, {"category", to_string(d.category)}, {"context", to_string(d.context)}, {"path", d.path},
                           {"expected", d.expected ? nlohmann::json(*d.expected) : nlohmann::json(nullptr)},
                           {"actual", d.actual ? nlohmann::json(*d.actual) : nlohmann::json(nullptr)},
                           {"message", d.message}, {"hint", d.hint}};
    add_dependency_fields(item, d);
    violations.push_back(std::move(item));
  }
  out["dependency"] = {{"module", v.chain.empty() ? std::string() : v.chain.back()}, {"contract", v.dependency->contract_source},
                       {"file", v.dependency->module_filename}, {"ok", v.dependency->ok()}, {"violations", std::move(violations)}};
}

}  // namespace importspy
