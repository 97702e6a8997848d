#pragma once
// Architecture rules across a package (`architecture_rules:` in a contract; import-linter's contracts):
// the raw form every front end produces (our YAML, import-linter's INI and TOML) and the compiled,
// validated rules the architecture engine walks. One function, compile_architecture, turns the first into
// the second, so every option is validated in exactly one place.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importspy/util/source_mark.hpp"

namespace importspy {

// ---- Raw form: options as written, not yet interpreted -------------------------------------------------

// One `key: value` (YAML) or `key = value` (INI, TOML).
struct RawArchitectureOption {
  std::string key;
  std::vector<std::string> values;  // a scalar is one value; INI multi-line values are split per line
  bool is_list = false;             // written as a list (YAML sequence / INI multi-line / TOML array)
  SourceMark mark;                  // where the key is written
  std::vector<SourceMark> value_marks;  // where each value is written (may be empty: then `mark` is used)
};

// One rule (import-linter: one contract), with every option including `name` and `type`.
struct RawArchitectureRule {
  std::string id;  // import-linter's contract id (section suffix / TOML `id`); may be empty
  std::vector<RawArchitectureOption> options;
  SourceMark mark;
};

struct RawArchitecture {
  std::string file;  // the file the text came from (for messages)
  // root_package(s), include_external_packages, exclude_type_checking_imports, ...
  std::vector<RawArchitectureOption> session;
  std::vector<RawArchitectureRule> rules;
  SourceMark mark;  // where the rules start (`architecture_rules:` / `[importlinter]`)
};

// ---- Compiled form ------------------------------------------------------------------------------------

// A module expression (import-linter's): dotted components where `*` stands for exactly one component and
// `**` for any number of them (none included). Without a wildcard it names one module.
struct ModuleExpression {
  std::string written;
  std::vector<std::string> components;  // split at dots; "*" and "**" are the wildcards
  SourceMark mark;

  bool has_wildcard() const;
  bool matches(std::string_view module) const;
};

// `importer -> imported` of `ignore_imports`: excuses every direct import it matches.
struct ImportExpression {
  std::string written;
  ModuleExpression importer;
  ModuleExpression imported;
  SourceMark mark;
};

// What a rule does with an `ignore_imports` entry that matches no import of the graph.
enum class UnmatchedIgnoreAlerting { error, warn, none };

// Which marked imports a rule counts (docs/architecture-rules.md, "Which imports count"). An unmarked
// import (run when the module is imported) always counts. Defaults: every import counts, as import-linter
// does; `exclude_type_checking_imports` in the session turns `type_checking` off for every rule.
struct CountedImports {
  bool lazy = true;           // inside a function or method body
  bool type_checking = true;  // under `if TYPE_CHECKING:`
  bool main_guard = true;     // under `if __name__ == "__main__":`
};

enum class ArchitectureRuleType { forbidden, layers, independence, acyclic_siblings, protected_modules, private_modules };

std::string_view to_string(ArchitectureRuleType type);  // "forbidden", "layers", ..., "protected", "private_modules"

// One module named in a layer, relative to each container (or absolute when there are none).
struct LayerModule {
  std::string name;
  bool optional = false;  // written `(name)`: the layer may be absent
  SourceMark mark;
};

// One layer: one module, or siblings separated by `|` (independent of each other) or `:` (which may
// import each other).
struct Layer {
  std::vector<LayerModule> modules;
  bool independent = true;
  SourceMark mark;
};

struct ForbiddenOptions {
  std::vector<ModuleExpression> source_modules;
  std::vector<ModuleExpression> forbidden_modules;
  bool allow_indirect_imports = false;  // true: only direct imports break the rule
  bool as_packages = true;              // a module named includes its descendants
};

struct LayersOptions {
  std::vector<Layer> layers;  // highest first
  std::vector<ModuleExpression> containers;
  bool exhaustive = false;
  std::vector<std::string> exhaustive_ignores;
  SourceMark exhaustive_mark;
};

struct IndependenceOptions {
  std::vector<ModuleExpression> modules;
};

struct AcyclicSiblingsOptions {
  std::vector<ModuleExpression> ancestors;
  int depth = 10;
  std::vector<ModuleExpression> skip_descendants;
};

struct ProtectedOptions {
  std::vector<ModuleExpression> protected_modules;
  std::vector<ModuleExpression> allowed_importers;
  bool as_packages = true;
};

struct PrivateModulesOptions {
  std::vector<ModuleExpression> packages_with_private_modules;  // empty: every package
};

struct ArchitectureRule {
  std::string id;    // as written (import-linter's contract id); may be empty
  std::string name;  // `name:`; required
  ArchitectureRuleType type = ArchitectureRuleType::forbidden;
  std::vector<ImportExpression> ignore_imports;
  UnmatchedIgnoreAlerting unmatched_ignore_imports_alerting = UnmatchedIgnoreAlerting::error;
  std::optional<std::string> broken_contract_guidance;
  CountedImports counted;
  SourceMark mark;

  // Only the options of `type` are filled.
  ForbiddenOptions forbidden;
  LayersOptions layers;
  IndependenceOptions independence;
  AcyclicSiblingsOptions acyclic_siblings;
  ProtectedOptions protected_modules;
  PrivateModulesOptions private_modules;
};

struct ArchitectureRules {
  std::string file;
  std::vector<std::string> root_packages;   // session `root_package(s)`; empty: the package checked
  bool include_external_packages = false;   // rules may name modules outside the root packages
  bool exclude_type_checking_imports = false;
  std::vector<ArchitectureRule> rules;
  SourceMark mark;
};

// Validates every option of `raw` and compiles it. Throws ContractError (kind unknown_key with a "did you
// mean" hint, missing_key, wrong_type or invalid_value) naming raw.file, line and column.
ArchitectureRules compile_architecture(const RawArchitecture& raw);

}  // namespace importspy
