#include "importspy/report/violation_codes.hpp"

#include <array>
#include <cstdlib>

namespace importspy {
namespace {

using C = Category;
using X = Context;

constexpr std::array kCodes = {
    ViolationCode{codes::filename_mismatch, C::mismatch, X::module, "The module's file name is not the one the contract names."},
    ViolationCode{codes::version_mismatch, C::mismatch, X::module, "The module's __version__ does not satisfy the contract's version rule."},
    ViolationCode{codes::variable_missing, C::missing, X::module, "A module-level variable the contract requires is not defined."},
    ViolationCode{codes::variable_value_mismatch, C::mismatch, X::module, "A module-level variable has another value than the contract requires."},
    ViolationCode{codes::variable_annotation_mismatch, C::mismatch, X::module, "A module-level variable has another annotation than the contract requires."},
    ViolationCode{codes::function_missing, C::missing, X::module, "A module-level function the contract requires is not defined."},
    ViolationCode{codes::argument_missing, C::missing, X::module, "A function or method lacks a parameter the contract requires."},
    ViolationCode{codes::argument_mismatch, C::mismatch, X::module, "A required parameter is out of the declared order or of the wrong kind."},
    ViolationCode{codes::argument_annotation_mismatch, C::mismatch, X::module, "A parameter has another annotation than the contract requires."},
    ViolationCode{codes::argument_default_mismatch, C::mismatch, X::module, "A parameter has another default value, or none, than the contract requires."},
    ViolationCode{codes::return_annotation_mismatch, C::mismatch, X::module, "A function or method has another return annotation than the contract requires."},
    ViolationCode{codes::class_missing, C::missing, X::class_, "A class the contract requires is not defined."},
    ViolationCode{codes::attribute_missing, C::missing, X::class_, "A class or instance attribute the contract requires is not defined."},
    ViolationCode{codes::attribute_value_mismatch, C::mismatch, X::class_, "A class or instance attribute has another value than the contract requires."},
    ViolationCode{codes::attribute_annotation_mismatch, C::mismatch, X::class_, "A class or instance attribute has another annotation than the contract requires."},
    ViolationCode{codes::method_missing, C::missing, X::class_, "A method the contract requires is not defined on the class."},
    ViolationCode{codes::superclass_missing, C::missing, X::class_, "A class does not inherit from a class the contract requires."},
    ViolationCode{codes::arch_unsupported, C::mismatch, X::runtime, "The CPU architecture is not one the contract's deployments allow."},
    ViolationCode{codes::os_unsupported, C::mismatch, X::environment, "The operating system is not one the matching deployments allow."},
    ViolationCode{codes::python_unsupported, C::mismatch, X::runtime, "The Python version is not one the matching systems allow."},
    ViolationCode{codes::interpreter_unsupported, C::mismatch, X::runtime, "The Python interpreter is not one the matching systems allow for this version."},
    ViolationCode{codes::env_missing, C::missing, X::environment, "An environment variable the matched system requires is not set."},
    ViolationCode{codes::env_value_mismatch, C::mismatch, X::environment, "An environment variable has another value than the matched system requires."},
    ViolationCode{codes::secret_missing, C::missing, X::environment, "A secret the matched system requires is not set (its value is never shown)."},
    ViolationCode{codes::value_unverifiable, C::invalid, X::module, "The contract requires a value that cannot be known without running the module."},
    ViolationCode{codes::integrity_mismatch, C::mismatch, X::module, "The module's file is not byte for byte the one the contract pins (integrity: sha256)."},
    ViolationCode{codes::hash_mismatch, C::mismatch, X::module, "A function, method or class is not structurally the one the contract pins (hash:)."},
    ViolationCode{codes::module_unverifiable, C::invalid, X::module, "The module has no source to check (a C extension or a sourceless .pyc) and no integrity pin admits it."},
    ViolationCode{codes::import_forbidden, C::mismatch, X::module, "The module imports a module the contract's `imports.forbidden` names."},
    ViolationCode{codes::import_not_allowed, C::mismatch, X::module, "The module imports a module none of the contract's `imports.allowed` patterns names."},
    ViolationCode{codes::dependency_violation, C::mismatch, X::module, "A module this one imports, directly or along a chain, violates the contract `requires` names for it."},
    ViolationCode{codes::import_cycle, C::mismatch, X::module, "The module is in an import cycle, which the contract's `imports.no_cycles` rules out."},
    ViolationCode{codes::namespace_unverifiable, C::invalid, X::module, "The contract requires names of a module that changes its own namespace when it runs (exec, globals(), setattr, a star import), and does not allow it with `when_unsure`."},
    ViolationCode{codes::definition_unverifiable, C::invalid, X::module, "The contract requires a variable, function, class or method that the source defines but that code the reader cannot follow may rebind or replace when the module runs."},
    ViolationCode{codes::import_unverifiable, C::invalid, X::module, "The contract has import rules and the module imports at least one module the source does not name (a computed `__import__`, `exec`, a loader)."},
    ViolationCode{codes::architecture_forbidden, C::mismatch, X::module, "A module imports, directly or along a chain, a module an architecture rule of type forbidden rules out."},
    ViolationCode{codes::architecture_layers, C::mismatch, X::module, "A lower layer imports a higher one, or an independent sibling of its layer, directly or along a chain."},
    ViolationCode{codes::architecture_layers_undeclared, C::missing, X::module, "A child of a container of an exhaustive layers rule is in no layer."},
    ViolationCode{codes::architecture_independence, C::mismatch, X::module, "Modules an independence rule keeps apart import one another, directly or along a chain."},
    ViolationCode{codes::architecture_cycle, C::mismatch, X::module, "The children of a package an acyclic_siblings rule names depend on each other in a cycle."},
    ViolationCode{codes::architecture_protected, C::mismatch, X::module, "A module that is not an allowed importer directly imports a module a protected rule guards."},
    ViolationCode{codes::architecture_private, C::mismatch, X::module, "A module outside the parent package of a private module (a name starting with `_`) imports it."},
    ViolationCode{codes::architecture_module_missing, C::missing, X::module, "An architecture rule names a module the package does not have."},
    ViolationCode{codes::architecture_ignore_unmatched, C::invalid, X::module, "An `ignore_imports` entry of an architecture rule excuses no import of the package."},
};

}  // namespace

std::span<const ViolationCode> all_violation_codes() { return kCodes; }

const ViolationCode& violation_code(std::string_view code) {
  for (const auto& entry : kCodes) {
    if (entry.code == code) return entry;
  }
  std::abort();
}

std::string_view to_string(Category category) {
  switch (category) {
    case Category::missing: return "missing";
    case Category::mismatch: return "mismatch";
    case Category::invalid: return "invalid";
  }
  return "invalid";
}

std::string_view to_string(Context context) {
  switch (context) {
    case Context::runtime: return "runtime";
    case Context::environment: return "environment";
    case Context::module: return "module";
    case Context::class_: return "class";
  }
  return "module";
}

}  // namespace importspy
