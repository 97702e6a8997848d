#pragma once
// The HTML report of a many-target run: one self-contained page (inline CSS and script, no network) that
// a CI artifact opens offline. Documented in docs/html-report.md.

#include <functional>
#include <optional>
#include <string>

#include "importspy/report/batch.hpp"

namespace importspy {

struct HtmlOptions {
  std::string title = "ImportSpy report";
  std::string tool_version;
  // The text of a module or contract file named in the batch, for the excerpts at a violation's lines;
  // std::nullopt when it cannot be read (the violation is then shown without one). Default: the file on disk.
  std::function<std::optional<std::string>(const std::string& path)> read_file;
};

// Summary (targets, compliant, violating, errors, violations by code and by category, as a small chart),
// then each target with a problem: every violation's code, message, hint, the module's source around its
// line and the contract's rule; filters by code, category and file and a search box. Every text from a
// module, contract or path is escaped; secret values never appear (as in every format).
std::string render_html(const BatchResult& batch, const HtmlOptions& options = {});

// GitHub's job summary ($GITHUB_STEP_SUMMARY): the counts, the codes met and the first violations as
// Markdown, with a pointer to the HTML report when `report_link` is not empty.
std::string render_github_summary(const BatchResult& batch, const std::string& report_link = {});

}  // namespace importspy
