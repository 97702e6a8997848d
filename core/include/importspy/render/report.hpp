#pragma once
// Reports and contract errors rendered for people (text) and programs (JSON).

#include <string>

#include "importspy/contract/loader.hpp"
#include "importspy/report/report.hpp"

namespace importspy {

struct TextOptions {
  bool color = false;         // ANSI colour; callers enable it only on a terminal without NO_COLOR (or when forced)
  bool show_hints = true;     // a `hint:` line under each violation
  bool show_summary = true;   // the closing `Found ...` / `Checked ...` line (not with --quiet)
  bool show_compliant = false;  // batch text: a line for each compliant target too (--verbose)
};

// Grouped by context (runtime, environment, module, class), one violation per line, then a summary line.
std::string render_text(const Report& report, const TextOptions& options = {});
std::string render_text(const ContractError& error, const TextOptions& options = {});

// The public JSON form, documented in docs/report-format.md:
// {"ok": bool, "violations": [{"code", "category", "context", "path", "expected", "actual", "message", "hint"}]}
std::string render_json(const Report& report);
// {"ok": false, "error": {"code": "contract-invalid", "message", "file", "line", "column", "hint"}}
std::string render_json(const ContractError& error);

}  // namespace importspy
