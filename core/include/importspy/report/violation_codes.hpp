#pragma once
// The public catalogue of violation codes. Codes are API: never rename or reuse one.

#include <span>
#include <string_view>

#include "importspy/report/report.hpp"

namespace importspy {

struct ViolationCode {
  std::string_view code;
  Category category;
  Context context;
  std::string_view summary;  // one line, for documentation and `--help`-style listings
};

namespace codes {
inline constexpr std::string_view filename_mismatch = "filename-mismatch";
inline constexpr std::string_view version_mismatch = "version-mismatch";
inline constexpr std::string_view variable_missing = "variable-missing";
inline constexpr std::string_view variable_value_mismatch = "variable-value-mismatch";
inline constexpr std::string_view variable_annotation_mismatch = "variable-annotation-mismatch";
inline constexpr std::string_view function_missing = "function-missing";
inline constexpr std::string_view argument_missing = "argument-missing";
inline constexpr std::string_view argument_mismatch = "argument-mismatch";
inline constexpr std::string_view argument_annotation_mismatch = "argument-annotation-mismatch";
inline constexpr std::string_view argument_default_mismatch = "argument-default-mismatch";
inline constexpr std::string_view return_annotation_mismatch = "return-annotation-mismatch";
inline constexpr std::string_view class_missing = "class-missing";
inline constexpr std::string_view attribute_missing = "attribute-missing";
inline constexpr std::string_view attribute_value_mismatch = "attribute-value-mismatch";
inline constexpr std::string_view attribute_annotation_mismatch = "attribute-annotation-mismatch";
inline constexpr std::string_view method_missing = "method-missing";
inline constexpr std::string_view superclass_missing = "superclass-missing";
inline constexpr std::string_view arch_unsupported = "arch-unsupported";
inline constexpr std::string_view os_unsupported = "os-unsupported";
inline constexpr std::string_view python_unsupported = "python-unsupported";
inline constexpr std::string_view interpreter_unsupported = "interpreter-unsupported";
inline constexpr std::string_view env_missing = "env-missing";
inline constexpr std::string_view env_value_mismatch = "env-value-mismatch";
inline constexpr std::string_view secret_missing = "secret-missing";
inline constexpr std::string_view value_unverifiable = "value-unverifiable";
inline constexpr std::string_view integrity_mismatch = "integrity-mismatch";
inline constexpr std::string_view hash_mismatch = "hash-mismatch";
inline constexpr std::string_view module_unverifiable = "module-unverifiable";
inline constexpr std::string_view namespace_unverifiable = "namespace-unverifiable";
inline constexpr std::string_view import_forbidden = "import-forbidden";
inline constexpr std::string_view import_not_allowed = "import-not-allowed";
inline constexpr std::string_view dependency_violation = "dependency-violation";
inline constexpr std::string_view import_cycle = "import-cycle";
inline constexpr std::string_view architecture_forbidden = "architecture-forbidden";
inline constexpr std::string_view architecture_layers = "architecture-layers";
inline constexpr std::string_view architecture_layers_undeclared = "architecture-layers-undeclared";
inline constexpr std::string_view architecture_independence = "architecture-independence";
inline constexpr std::string_view architecture_cycle = "architecture-cycle";
inline constexpr std::string_view architecture_protected = "architecture-protected";
inline constexpr std::string_view architecture_private = "architecture-private";
inline constexpr std::string_view architecture_module_missing = "architecture-module-missing";
inline constexpr std::string_view architecture_ignore_unmatched = "architecture-ignore-unmatched";
inline constexpr std::string_view definition_unverifiable = "definition-unverifiable";
inline constexpr std::string_view import_unverifiable = "import-unverifiable";
}  // namespace codes

// Every code with its category and context, in documentation order.
std::span<const ViolationCode> all_violation_codes();

// The catalogue entry for `code`; aborts on an unknown code (a programming error, never user input).
const ViolationCode& violation_code(std::string_view code);

}  // namespace importspy
