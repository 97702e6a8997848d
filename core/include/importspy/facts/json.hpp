#pragma once
// Facts as JSON: how the command-line tool and tests hand a module's and an environment's facts to the
// engine without a Python interpreter. The format is documented in docs/facts-format.md.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "importspy/facts/facts.hpp"

namespace importspy {

class FactsError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct FactsDocument {
  ModuleFacts module;
  std::optional<EnvironmentFacts> environment;  // absent when the document has no "environment"
};

// Parses a facts document; `source` names it in errors. Throws FactsError naming the JSON path.
FactsDocument parse_facts_json(std::string_view text, std::string_view source);

// The same format, written back: parse_facts_json(facts_to_json(d)) == d in content.
std::string facts_to_json(const FactsDocument& document);

}  // namespace importspy
