#include "importspy/contract.hpp"

#include <algorithm>

namespace importspy {

std::vector<std::string> referenced_environment_names(const Contract& contract) {
  std::vector<std::string> names;
  const auto add = [&](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const auto& deployment : contract.deployments) {
    for (const auto& system : deployment.systems) {
      for (const auto& variable : system.environment_variables) add(variable.name);
      for (const auto& secret : system.secrets) add(secret.name);
    }
  }
  return names;
}

}  // namespace importspy
