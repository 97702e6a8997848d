#pragma once
// What an editor may offer while an ImportSpy 0.5 policy is typed (`importspy lsp`): the policy's own keys
// and values, from the loader's own tables. Places under the 0.4 structural keys belong to the contract
// language (contract/editing.hpp).

#include <optional>
#include <string>
#include <vector>

#include "importspy/util/yaml_place.hpp"

namespace importspy::policy {

struct PolicyCompletion {
  std::string label;
  std::string detail;
  bool is_key = true;
};

// The keys or values a policy allows at `place` (less the keys already written there); nullopt when the
// place is inside a 0.4 structural key (`functions:`, `classes:`, ...), which the contract language covers.
std::optional<std::vector<PolicyCompletion>> complete_policy(const YamlPlace& place);

// True for the 0.4 structural keys a policy may carry (filename, version, variables, functions, classes,
// deployments).
bool is_structural_key(std::string_view key);

}  // namespace importspy::policy
