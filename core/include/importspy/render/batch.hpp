#pragma once
// Renderings of a many-target run, for people and for CI systems. Formats are documented in docs/ci.md.

#include <string>

#include "importspy/report/batch.hpp"
#include "importspy/render/report.hpp"

namespace importspy {

// Problems only (a compliant target is not listed), then one summary line.
std::string render_batch_text(const BatchResult& batch, const TextOptions& options = {});

// {"ok", "summary": {targets, compliant, violating, errors, violations}, "targets": [{target, file,
// contract, ok, cached, violations | error, trace?, output?}]}; violations have the fields of the single
// report; `output` ({stdout, stderr}) is what a module printed while imported (runtime mode).
std::string render_batch_json(const BatchResult& batch);

// `TARGET printed while it was imported:` and its lines, each under `  stdout | ` or `  stderr | `; empty
// when it printed nothing.
std::string render_printed(const TargetResult& result);

// SARIF 2.1.0: one rule per violation code, one result per violation, located in the module (module_line)
// with the contract's rule related, or at the rule when the violation is the environment's.
std::string render_sarif(const BatchResult& batch, const std::string& tool_version);

// JUnit XML: one test case per target; violations are a <failure>, a target error an <error>.
std::string render_junit(const BatchResult& batch);

// The line a violation is shown at in the checked module `module_file` (SARIF, GitHub): the offending
// definition's, the class's for a member it lacks, else 1 (a missing function, class or variable, the
// file's version or bytes). 0 when it belongs at the rule in the contract instead: a violation of the
// environment or runtime, or a module without a file.
int module_line(const Violation& violation, const std::string& module_file);

// GitHub Actions workflow commands: one `::error file=...,line=...::` line per violation or error.
std::string render_github(const BatchResult& batch);

}  // namespace importspy
