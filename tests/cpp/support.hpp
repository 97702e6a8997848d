#pragma once
// Builders shared by the engine tests: contracts from inline YAML, facts assembled in code.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "importspy/check/checker.hpp"
#include "importspy/contract/loader.hpp"
#include "importspy/facts/facts.hpp"

namespace importspy::testing {

inline std::shared_ptr<const Contract> contract_from(std::string_view yaml) { return parse_contract(yaml, "contract.yml"); }

inline ContractError contract_error_from(std::string_view yaml, const ContractLimits& limits = {}) {
  try {
    parse_contract(yaml, "contract.yml", limits);
  } catch (const ContractError& error) {
    return error;
  }
  ADD_FAILURE() << "expected a contract error for:\n" << yaml;
  return ContractError(ContractErrorKind::syntax, "", 0, 0, "", "");
}

inline EnvironmentFacts linux_cpython(std::string version = "3.11.7") {
  EnvironmentFacts env;
  env.arch = "x86_64";
  env.os = "Linux";
  env.python_version = std::move(version);
  env.interpreter = "CPython";
  return env;
}

inline ModuleFacts module_at(std::string filename = "/srv/plugins/extension.py") {
  ModuleFacts m;
  m.name = "extension";
  m.filename = std::move(filename);
  return m;
}

inline ParameterFact param(std::string name, ParameterKind kind = ParameterKind::positional_or_keyword) {
  return ParameterFact{std::move(name), kind, std::nullopt, std::nullopt};
}

inline ParameterFact param_annotated(std::string name, std::string annotation) {
  ParameterFact p = param(std::move(name));
  p.annotation = std::move(annotation);
  return p;
}

inline ParameterFact param_default(std::string name, Value value) {
  ParameterFact p = param(std::move(name));
  p.default_value = std::move(value);
  return p;
}

inline FunctionFact function(std::string name, std::vector<ParameterFact> params = {}, std::optional<std::string> returns = std::nullopt) {
  FunctionFact f;
  f.name = std::move(name);
  f.parameters = std::move(params);
  f.return_annotation = std::move(returns);
  return f;
}

inline std::vector<std::string> codes_of(const Report& report) {
  std::vector<std::string> out;
  for (const auto& v : report.violations) out.push_back(v.code);
  return out;
}

// The single violation of the report; fails the test when there is not exactly one.
inline Violation only_violation(const Report& report) {
  if (report.violations.size() != 1) {
    ADD_FAILURE() << "expected one violation, found " << report.violations.size() << ":";
    for (const auto& v : report.violations) ADD_FAILURE() << "  " << v.code << " " << v.path << ": " << v.message;
    return {};
  }
  return report.violations.front();
}

inline Report check_yaml(std::string_view yaml, const ModuleFacts& module, const EnvironmentFacts& env = linux_cpython()) {
  return check(*contract_from(yaml), env, module);
}

}  // namespace importspy::testing
