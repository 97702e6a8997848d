#pragma once
// A JSON Schema (draft-07) of the contract language, for editors (`importspy schema`).

#include <string>

namespace importspy {

// Structural rules only: keys, nesting and types, as the loader enforces them. Semantic checks (known
// architectures, valid annotations and versions) stay with the loader, which names file and line.
std::string contract_json_schema();

}  // namespace importspy
