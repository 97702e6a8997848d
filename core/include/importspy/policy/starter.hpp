#pragma once
// `importspy init`: a starter 0.5 policy for a module, to review and tighten (docs/policies-0.5.md).

#include <string>
#include <string_view>
#include <vector>

#include "importspy/facts/facts.hpp"
#include "importspy/policy/decision.hpp"

namespace importspy::policy {

// The module's file name, its functions, classes and their methods as structural requirements (names
// only: no value or signature is turned into a requirement), every distribution it imports allowed, and
// every import that resolves nowhere denied until reviewed. Unknowns never become approvals.
std::string starter_policy(const ModuleFacts& facts, const std::vector<Dependency>& dependencies, std::string_view filename);

}  // namespace importspy::policy
