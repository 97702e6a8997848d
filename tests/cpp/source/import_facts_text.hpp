#pragma once
// The imports the reader recorded, as one line for test expectations.

#include <string>

#include "importspy/facts/facts.hpp"

namespace importspy::testing {

// "module:name:line[:lazy][:tc][:class][:main]" for each import, in source order.
inline std::string imports_of(const ModuleFacts& facts) {
  std::string out;
  for (const ImportFact& fact : facts.imports) {
    if (!out.empty()) out += ' ';
    out += fact.module + ":" + fact.name + ":" + std::to_string(fact.line);
    if (fact.lazy) out += ":lazy";
    if (fact.type_checking) out += ":tc";
    if (fact.in_class) out += ":class";
    if (fact.main_guard) out += ":main";
  }
  return out;
}

}  // namespace importspy::testing
