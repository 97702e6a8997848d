#include "importspy/facts/facts.hpp"

#include <utility>

namespace importspy {

const VariableFact* ModuleFacts::find_variable(std::string_view n) const {
  for (const auto& v : variables) {
    if (v.name == n) return &v;
  }
  return nullptr;
}

const FunctionFact* ModuleFacts::find_function(std::string_view n) const {
  for (const auto& f : functions) {
    if (f.name == n) return &f;
  }
  return nullptr;
}

const ClassFact* ModuleFacts::find_class(std::string_view n) const {
  for (const auto& c : classes) {
    if (c.name == n) return &c;
  }
  return nullptr;
}

const FunctionFact* find_method(const ClassFact& cls, std::string_view n) {
  for (const auto& m : cls.methods) {
    if (m.name == n) return &m;
  }
  return nullptr;
}

ModuleFacts import_facts_of(ModuleFacts&& facts) {
  ModuleFacts kept;
  kept.name = std::move(facts.name);
  kept.filename = std::move(facts.filename);
  kept.imports = std::move(facts.imports);
  kept.imports.shrink_to_fit();
  kept.unknown_imports = std::move(facts.unknown_imports);
  return kept;
}

}  // namespace importspy
