#pragma once
// (compiled contract, environment facts, module facts) → report. Pure: no I/O, no globals.

#include "importspy/contract/contract.hpp"
#include "importspy/facts/facts.hpp"
#include "importspy/report/report.hpp"

namespace importspy {

// Collects every violation of `contract` by `module` running in `environment`. The rules are written
// for users in docs/contract-language.md; in short: the contract is a minimum (extra members pass),
// deployments are alternatives (one arch → os → python path must match), and secret values never
// appear in the report.
struct CheckOptions {
  bool trace = false;  // record the matched deployment and the rules evaluated (Report::trace)
};

Report check(const Contract& contract, const EnvironmentFacts& environment, const ModuleFacts& module, const CheckOptions& options = {});

}  // namespace importspy
