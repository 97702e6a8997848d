#pragma once
// The JSON fields only a dependency-violation carries, for every renderer of violations as JSON.

#include <nlohmann/json.hpp>

#include "importspy/report/report.hpp"

namespace importspy {

// Adds `chain` and `dependency` ({ok, violations}, each violation rendered as the others, recursively)
// to `out` when `v` has them; leaves every other violation with exactly its eight fields.
void add_dependency_fields(nlohmann::json& out, const Violation& v);

}  // namespace importspy
