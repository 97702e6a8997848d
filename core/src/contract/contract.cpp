#include "importspy/contract/contract.hpp"

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

namespace {

// The top-level module rule, then every deployment's module entries.
template <class F>
void for_each_module_rule(const Contract& contract, F visit) {
  visit(contract.module);
  for (const auto& deployment : contract.deployments) {
    for (const auto& system : deployment.systems) {
      for (const auto& python : system.pythons) {
        for (const auto& module : python.modules) visit(module);
      }
    }
  }
}

void add_once(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

}  // namespace

std::vector<std::string> referenced_module_names(const Contract& contract) {
  std::vector<std::string> names{"__version__"};
  for_each_module_rule(contract, [&](const ModuleRule& rule) {
    for (const auto& variable : rule.variables) add_once(names, variable.name);
    for (const auto& function : rule.functions) add_once(names, function.name);
    for (const auto& cls : rule.classes) add_once(names, cls.name);
  });
  return names;
}

std::vector<std::string> referenced_class_members(const Contract& contract, std::string_view class_name) {
  std::vector<std::string> names;
  for_each_module_rule(contract, [&](const ModuleRule& rule) {
    for (const auto& cls : rule.classes) {
      if (cls.name != class_name) continue;
      for (const auto& method : cls.methods) add_once(names, method.name);
      for (const auto& attribute : cls.attributes) add_once(names, attribute.name);
    }
  });
  return names;
}

std::vector<std::string> collect_secret_names(const Contract& contract) {
  std::vector<std::string> names;
  for (const auto& deployment : contract.deployments) {
    for (const auto& system : deployment.systems) {
      for (const auto& secret : system.secrets) names.push_back(secret.name);
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

bool Contract::is_secret(std::string_view name) const { return std::binary_search(secret_names.begin(), secret_names.end(), name); }

namespace {

bool module_needs_hashes(const ModuleRule& m) {
  if (m.file_sha256) return true;
  for (const auto& f : m.functions) {
    if (f.structure_hash) return true;
  }
  for (const auto& c : m.classes) {
    if (c.structure_hash) return true;
    for (const auto& method : c.methods) {
      if (method.structure_hash) return true;
    }
  }
  return false;
}

bool module_reads_only_its_file(const ModuleRule& m) {
  return !m.file_sha256 && !m.version && m.variables.empty() && m.functions.empty() && m.classes.empty();
}

// Whether `test` holds for any module rule of the contract: the top-level one or one of a deployment.
template <typename Test>
bool any_module_rule(const Contract& contract, Test test) {
  if (test(contract.module)) return true;
  for (const auto& d : contract.deployments) {
    for (const auto& s : d.systems) {
      for (const auto& p : s.pythons) {
        for (const auto& m : p.modules) {
          if (test(m)) return true;
        }
      }
    }
  }
  return false;
}

}  // namespace

FactsNeeded facts_needed(const Contract& contract) {
  return any_module_rule(contract, [](const ModuleRule& m) { return !module_reads_only_its_file(m); }) ? FactsNeeded::all : FactsNeeded::imports;
}

bool needs_hashes(const Contract& contract) { return any_module_rule(contract, module_needs_hashes); }

bool ImportPattern::matches(std::string_view dotted) const {
  if (!dotted.starts_with(module)) return false;
  if (dotted.size() == module.size()) return !submodules_only;
  return dotted[module.size()] == '.';
}

}  // namespace importspy
