#pragma once
// The JSON fields only a dependency-violation carries, for every renderer of violations as JSON.

#include <nlohmann/json.hpp>

#include "importspy/report/report.hpp"

namespace importspy {

// Adds `chain` and `dependency` ({ok, violations}, each violation rendered as the others, recursively)
// to `out` when `v` has them; leaves every other violation with exactly its eight fields.
// `chains` (each step with `lines`, every line of its import of the next) come with them, and an
// architecture violation's `chain_groups`.
void add_dependency_fields(nlohmann::json& out, const Violation& v);

// The groups of merged chains (chain_groups.hpp): [{"chains": [indices], "steps": [[modules], ...]}].
nlohmann::json chain_groups_json(const Violation& v);

}  // namespace importspy
