#pragma once
// The Python exceptions of the package, created by the extension so that C++ raises them directly.
//   ContractError(ValueError)                    a contract that cannot be loaded: .file .line .column .hint
//   ContractViolation(ImportError, ValueError)   a module or environment that breaks its contract: .report .violations
//   SourceError(ImportError, ValueError)         a module whose source cannot be read or parsed: .file .line .column
//   ContractImportError(ContractError, ImportError)  the import hook refuses a module whose rule's contract cannot be loaded

#include <nanobind/nanobind.h>

#include <stdexcept>
#include <string>

#include "importspy/util/located_error.hpp"
#include "importspy/contract/loader.hpp"
#include "importspy/report/report.hpp"

namespace importspy::bindings {

namespace nb = nanobind;

// A module's source cannot be used: unreadable, not UTF-8, too large, not Python, raised on import.
// what() is the message alone; the place is file(), line(), column().
class SourceError : public LocatedError {
public:
  using LocatedError::LocatedError;
};

// Creates the exception types in `m` and registers translators for ContractError and SourceError.
void register_exceptions(nb::module_& m);

// Sets the Python error for a ContractError, ConfigError or SourceError (what the translator does, for code
// that nanobind does not call); false for any other exception, which is left alone.
bool set_python_error(const std::exception_ptr& exception);

// Raises ContractImportError for `error`, the contract of the rule covering `module` (its ImportError name).
[[noreturn]] void raise_contract_import_error(const ContractError& error, const std::string& module);

// Raises ContractViolation carrying `report` (its text rendering is the message).
[[noreturn]] void raise_contract_violation(const Report& report);

}  // namespace importspy::bindings
