#pragma once
// The compiled contract: an immutable tree the checker walks. Built only by the contract loader.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importspy/contract/architecture.hpp"
#include "importspy/lang/kinds.hpp"
#include "importspy/lang/value.hpp"
#include "importspy/lang/version.hpp"
#include "importspy/util/source_mark.hpp"

namespace importspy {

// An annotation as written, with its canonical form (see annotation.hpp) used for comparison.
struct AnnotationRule {
  std::string written;
  std::string canonical;
};

struct VariableRule {
  std::string name;
  std::optional<Value> value;  // absent: any value; present (even None): must be equal
  std::optional<AnnotationRule> annotation;
  SourceMark mark;
};

struct ArgumentRule {
  std::string name;  // without `*`/`**`
  std::optional<ParameterKind> kind;  // from `*args`/`**kwargs` spelling or `kind:`; absent: any kind
  std::optional<Value> default_value;  // `value:` in the contract
  std::optional<AnnotationRule> annotation;
  SourceMark mark;
};

struct FunctionRule {
  std::string name;
  std::optional<std::string> structure_hash;  // `hash: "sha256:<hex>"`: the normalised syntax tree, pinned
  std::vector<ArgumentRule> arguments;  // required in this relative order; extras allowed
  std::optional<AnnotationRule> return_annotation;
  SourceMark mark;
  SourceMark return_annotation_mark;
};

struct AttributeRule {
  AttributeKind kind = AttributeKind::class_attribute;
  std::string name;
  std::optional<Value> value;
  std::optional<AnnotationRule> annotation;
  SourceMark mark;
};

struct SuperclassRule {
  std::string name;  // a dotted name matches qualified names, a plain one the class name
  SourceMark mark;
};

struct ClassRule {
  std::string name;
  std::optional<std::string> structure_hash;  // `hash: "sha256:<hex>"`
  std::vector<AttributeRule> attributes;
  std::vector<FunctionRule> methods;
  std::vector<SuperclassRule> superclasses;
  SourceMark mark;
};

struct ModuleRule {
  std::optional<std::string> filename;
  std::optional<std::string> file_sha256;  // `integrity: {sha256: <hex>}`: the file's exact bytes, pinned
  std::optional<VersionRule> version;
  std::vector<VariableRule> variables;
  std::vector<FunctionRule> functions;
  std::vector<ClassRule> classes;
  SourceMark mark;
};

// A module pattern of `imports:`: `pkg` is the module and every submodule of it (import-linter's
// convention); `pkg.*` every submodule of it at any depth, `pkg` itself excluded.
struct ImportPattern {
  std::string written;  // as in the contract
  std::string module;   // `pkg` for both `pkg` and `pkg.*`
  bool submodules_only = false;  // written `pkg.*`
  SourceMark mark;

  bool matches(std::string_view dotted) const;
};

// `imports:` — which modules this module may import. Empty `allowed` (absent): every module not forbidden.
struct ImportRules {
  std::vector<ImportPattern> allowed;
  bool has_allowed = false;  // `allowed:` written (even empty: then no import is allowed)
  std::vector<ImportPattern> forbidden;
  bool type_checking = false;  // `type_checking: true`: imports under `if TYPE_CHECKING:` count too
  bool no_cycles = false;      // `no_cycles: true`: the module is in no import cycle (package checks)
  SourceMark mark;
  SourceMark no_cycles_mark;
};

// `requires:` entry: a module this one imports, directly or not, must satisfy its own contract.
struct RequiredContract {
  std::string module;    // dotted name
  std::string contract;  // path as written; relative to the requiring contract's folder
  SourceMark mark;
};

struct EnvironmentVariableRule {
  std::string name;
  std::optional<std::string> value;  // environment values are text; absent: only presence is required
  SourceMark mark;
};

struct SecretRule {
  std::string name;  // only presence is ever checked; the value is never read into a report
  SourceMark mark;
};

struct PythonRule {
  std::optional<VersionRule> version;
  std::optional<std::string> interpreter;  // canonical name
  std::vector<ModuleRule> modules;
  SourceMark mark;
};

struct SystemRule {
  std::string os;  // canonical name
  std::vector<EnvironmentVariableRule> environment_variables;
  std::vector<SecretRule> secrets;
  std::vector<PythonRule> pythons;  // empty: any Python
  SourceMark mark;
};

struct DeploymentRule {
  std::string arch;  // canonical name
  std::vector<SystemRule> systems;  // empty: any system
  SourceMark mark;
};

struct Contract {
  std::string source;  // file path or label the contract was read from
  int schema_version = 0;  // 0: ImportSpy 0.x format (no `importspy:` key); 1: `importspy: 1`
  ModuleRule module;  // the top-level filename/version/variables/functions/classes
  std::optional<ImportRules> imports;  // `imports:`: allowed and forbidden imports of the module
  // `architecture_rules:`: rules across the package checked (`check --package`), docs/architecture-rules.md.
  std::optional<ArchitectureRules> architecture_rules;
  std::vector<RequiredContract> required_contracts;  // `requires:`: contracts of modules along the import chain
  std::vector<DeploymentRule> deployments;  // alternatives; empty: runs anywhere
  // `when_unsure:` what a rule does with a fact the reader marks unknown (docs/contract-language.md,
  // "Unsure means no"). Deny (the default): the rule reports it unverifiable, a violation. Allow: the
  // rule judges what the source shows. Per kind of fact: the module's namespace (ModuleFacts::
  // dynamic_namespace), its imports (ModuleFacts::unknown_imports) and its definitions (the
  // `unverifiable` of a required variable, function, class or method).
  struct WhenUnsure {
    bool deny_namespace = true;
    bool deny_imports = true;
    bool deny_definitions = true;
    bool written = false;  // `when_unsure:` is in the contract (mark: where)
    SourceMark mark;
  } when_unsure;
  // Every name declared a secret in any deployment, sorted, each once (filled by the loader): its value
  // is never shown, even where another deployment lists it as a plain variable with a value.
  std::vector<std::string> secret_names;

  bool is_secret(std::string_view name) const;
};

// The sorted, distinct secret names of every deployment of `contract` (what the loader stores in it).
std::vector<std::string> collect_secret_names(const Contract& contract);

// True when some rule pins a file or a definition: extraction must then compute hashes.
bool needs_hashes(const Contract& contract);

// What a check of one module against the contract reads of the module's facts: `imports` when its module
// rules (top level and every deployment's) name at most a file — no version, integrity, variable,
// function or class — so that `imports:`, `requires:` (its chains) and `architecture_rules:` read a module's
// imports alone; `all` otherwise. The one place that decides whether a module may be read imports-only
// (ReadOptions::imports_only) for this contract.
enum class FactsNeeded { imports, all };
FactsNeeded facts_needed(const Contract& contract);

// Every environment variable and secret name the contract mentions, each once: an environment probe
// needs to read only these.
std::vector<std::string> referenced_environment_names(const Contract& contract);

// Every module-level name a module rule of the contract reads (variables, functions, classes, in the
// top-level rule and in every deployment's module entries), each once, and `__version__`: the facts of a
// live namespace that a check can use.
std::vector<std::string> referenced_module_names(const Contract& contract);

// Every member name (methods, attributes) the class rules named `class_name` read, in every module rule,
// each once: the members of a live class that a check of it can use.
std::vector<std::string> referenced_class_members(const Contract& contract, std::string_view class_name);

}  // namespace importspy
