#pragma once
// Renderings of a many-target run, for people and for CI systems. Formats are documented in docs/ci.md.

#include <string>

#include "importspy/report/batch.hpp"
#include "importspy/render/report.hpp"

namespace importspy {

// Problems only (a compliant target is not listed), then one summary line.
std::string render_batch_text(const BatchResult& batch, const TextOptions& options = {});

// {"ok", "summary": {targets, compliant, violating, errors, violations}, "targets": [{target, file,
// contract, ok, cached, violations | error}]}; violations have the fields of the single report.
std::string render_batch_json(const BatchResult& batch);

// SARIF 2.1.0: one rule per violation code, one result per violation, located at the offending
// definition in the module, or at the rule's line in the contract when the definition is missing.
std::string render_sarif(const BatchResult& batch, const std::string& tool_version);

// JUnit XML: one test case per target; violations are a <failure>, a target error an <error>.
std::string render_junit(const BatchResult& batch);

// GitHub Actions workflow commands: one `::error file=...,line=...::` line per violation or error.
std::string render_github(const BatchResult& batch);

}  // namespace importspy
