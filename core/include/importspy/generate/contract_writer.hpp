#pragma once
// Facts → contract text: the YAML `importspy generate` writes.

#include <string>

#include "importspy/facts/facts.hpp"

namespace importspy {

struct GenerateOptions {
  bool include_private = false;   // names starting with `_` (dunder methods such as __init__ are always kept)
  const EnvironmentFacts* environment = nullptr;  // when set: a deployment for this arch, OS, Python and interpreter
  bool with_hashes = false;  // pin the file (integrity) and each definition (hash) the facts carry hashes for
};

// A contract the module satisfies: readable YAML in the versioned schema (`importspy: 1`), entries in
// source order, values only where they are literals, annotations only where they parse as annotations.
std::string generate_contract(const ModuleFacts& module, const GenerateOptions& options = {});

// A YAML scalar or flow collection for a value, typed as the contract loader reads `value:` (strings
// always double-quoted). Unknown and opaque values have no YAML form: callers omit them.
std::string yaml_value(const Value& value);

}  // namespace importspy
