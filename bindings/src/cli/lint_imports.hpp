#pragma once
// `importspy lint-imports`: import-linter's configuration (.importlinter, setup.cfg, pyproject.toml) read
// as it is and judged over the static import graph of its root packages, with lint-imports' options,
// exit statuses and report shape (docs/migrating-from-import-linter.md).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/package_check.hpp"

namespace importspy::bindings {

struct LintImportsOptions {
  std::vector<std::string> config_files;  // named files (`--config` first, then the positional ones); none: found as lint-imports finds them
  std::vector<std::string> contracts;     // --contract: ids, or FILE:ID when ids repeat across files
  std::optional<std::filesystem::path> cache_directory;  // the result cache (.importspy_cache); none: --no-cache
  bool verbose = false;                   // progress as it goes
  bool show_timings = false;              // graph build and per-contract durations
  bool debug = false;                     // errors with their kind
  std::string format = "text";            // text (import-linter's shape), json, sarif, github, junit
  bool color = false;
};

// Exit status as lint-imports': 0 every contract kept, 1 a contract broken or the run failed (no or a
// malformed configuration, an unknown contract id, a root package that cannot be found).
CommandOutput run_lint_imports(const LintImportsOptions& options);

}  // namespace importspy::bindings
