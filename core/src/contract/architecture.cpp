#include "importspy/contract/architecture.hpp"

#include "importspy/contract/loader.hpp"

namespace importspy {

std::string_view to_string(ArchitectureRuleType type) {
  switch (type) {
    case ArchitectureRuleType::forbidden: return "forbidden";
    case ArchitectureRuleType::layers: return "layers";
    case ArchitectureRuleType::independence: return "independence";
    case ArchitectureRuleType::acyclic_siblings: return "acyclic_siblings";
    case ArchitectureRuleType::protected_modules: return "protected";
    case ArchitectureRuleType::private_modules: return "private_modules";
  }
  return "forbidden";
}

ArchitectureRules compile_architecture(const RawArchitecture& raw) {
  throw ContractError(ContractErrorKind::invalid_value, raw.file, raw.mark.line, raw.mark.column, "architecture rules are not compiled yet", "");
}

}  // namespace importspy
