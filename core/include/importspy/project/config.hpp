#pragma once
// The project's ImportSpy settings: `[tool.importspy]` in pyproject.toml, or importspy.toml.
//
//   targets = ["plugins"]                 # what `importspy check` checks when given no target
//   exclude = ["**/tests/**"]
//   mode = "static"
//   [[contracts]]                         # in pyproject.toml: [[tool.importspy.contracts]]
//   match = "plugins/**/*.py"             # a path pattern (has '/' or ends in .py) or a module pattern (module_pattern.hpp)
//   contract = "contracts/plugin.yml"     # relative to the settings file
//   mode = "enforce"                      # import interception only: enforce, warn or audit
//   runtime = false                       # import interception only: re-check the live module
//   unverifiable = "deny"                 # import interception only: modules without source (deny, warn, allow)

#include <filesystem>
#include <optional>
#include <unordered_map>

#include "importspy/project/module_pattern.hpp"
#include "importspy/util/located_error.hpp"
#include <stdexcept>
#include <string>
#include <vector>

namespace importspy {

class ConfigError : public LocatedError {
public:
  // what() reads `file:line:column: message`.
  ConfigError(const std::string& file, int line, int column, const std::string& message)
      : LocatedError(file, line, column, file + (line > 0 ? ":" + std::to_string(line) + ":" + std::to_string(column) : "") + ": " + message) {}
};

// A package checked whole along its import graph, as `importspy check --package` does
// (`[[tool.importspy.packages]]`).
struct PackageEntry {
  std::string package;             // a folder (made absolute) or a dotted package name, as written
  std::filesystem::path contract;  // absolute
};

struct ContractMapping {
  std::string match;
  std::filesystem::path contract;  // absolute
  bool path_pattern = true;        // else a module pattern
  std::string compiled;            // the pattern as a '/'-separated glob (ModulePattern::compiled)
  std::string mode = "enforce";    // import interception: enforce (raise), warn, or audit (record only)
  bool runtime = false;            // import interception: also check the live module after it ran
  // import interception: a matched module without source (C extension, sourceless .pyc) that no
  // `integrity: {sha256}` pin admits: "deny", "warn" or "allow"; empty: deny in enforce mode, warn in
  // warn mode, allow (recorded) in audit mode.
  std::string unverifiable;
};

// One entry of `subjects = [{path, contract}]`, the ImportSpy 0.5 form (docs/policies-0.5.md): a
// subject file and its policy, both relative to the settings folder.
struct PolicySubject {
  std::string path;
  std::string contract;
};

struct ProjectConfig {
  std::filesystem::path file;       // the settings file
  std::filesystem::path directory;  // its folder: patterns and paths are relative to it
  std::vector<std::string> targets;
  std::vector<std::string> exclude;
  std::optional<std::string> mode;
  std::optional<std::filesystem::path> audit_log;  // import interception: JSON Lines of every decision
  std::vector<ContractMapping> contracts;
  std::vector<PackageEntry> packages;  // what `importspy check` with no argument checks whole, beside `targets`
  // ImportSpy 0.5 `subjects`, read as 0.5.0 reads them. Only `importspy check FOLDER` uses them, so a
  // malformed list is not an error here: `subjects_error` says what is wrong, for that command to report.
  std::vector<PolicySubject> subjects;
  std::optional<std::string> subjects_error;

  // The contract of the first mapping that matches: a path pattern against `file` relative to the
  // settings folder (a package's `__init__.py` is its folder, module_pattern.hpp), a module pattern
  // (`myapp.plugins.*`) against `module_name`. Either may be empty (unknown).
  std::optional<std::filesystem::path> contract_for(const std::filesystem::path& target_file, const std::string& module_name) const;
  // The same, returning the whole mapping (its mode and runtime flag).
  const ContractMapping* mapping_for(const std::filesystem::path& target_file, const std::string& module_name) const;
  // `targets` as arguments for the working directory: paths and path patterns are relative to the settings
  // folder; dotted names and module patterns are kept as written.
  std::vector<std::string> resolved_targets() const;
  // True when an `exclude` pattern matches the module, or a folder or package it is inside.
  bool excluded(const std::filesystem::path& target_file, const std::string& module_name) const;
  // True when some mapping is a path pattern: an import must then be located before it can be matched.
  bool has_path_patterns() const;
  // False when no module pattern can match `module_name`: a check that allocates nothing, for the
  // import hook's path, where every import of the process passes.
  bool may_match_module(std::string_view module_name) const;

  // Builds the lookup structures contract_for() uses; load_project_config() calls it.
  void index();

private:
  // Thousands of mappings are common (one contract per plugin): exact paths and module names are
  // found by hashing, only wildcard patterns are tried one by one.
  ModulePlace place_of(const std::filesystem::path& target_file, const std::string& module_name) const;

  std::vector<ModulePattern> patterns_;          // one per mapping
  std::vector<ModulePattern> exclude_patterns_;
  std::unordered_map<std::string, std::size_t> exact_paths_, exact_modules_;
  std::vector<std::size_t> wildcard_mappings_;
  std::vector<std::string> module_prefixes_;  // dotted text before each module pattern's first wildcard, or the exact name
  bool any_module_ = false;                   // a module pattern that starts with a wildcard
};

// The nearest importspy.toml, or pyproject.toml with a [tool.importspy] table, in `start` or above.
// Throws ConfigError for a file that exists but is not valid.
std::optional<ProjectConfig> find_project_config(const std::filesystem::path& start);

// Reads one settings file (importspy.toml, or pyproject.toml's [tool.importspy]). Throws ConfigError.
ProjectConfig load_project_config(const std::filesystem::path& file);

// `pkg/sub/mod.py` → `pkg.sub.mod`; `pkg/__init__.py` → `pkg` (relative to `root`).
std::string module_name_for_path(const std::filesystem::path& file, const std::filesystem::path& root);

}  // namespace importspy
