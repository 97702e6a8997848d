#pragma once
// Warnings about a contract that loads but is probably not what its author meant (`importspy lint`).

#include <string>
#include <vector>

#include "importspy/contract/contract.hpp"

namespace importspy {

struct LintFinding {
  std::string code;     // duplicate-entry, conflicting-rules, unreachable-deployment, unused-opt-out
  std::string message;
  std::string hint;
  SourceMark mark;      // where in the contract
};

// Every finding, in contract order. Needs no module: only the contract is read.
std::vector<LintFinding> lint_contract(const Contract& contract);

}  // namespace importspy
