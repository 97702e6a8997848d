#pragma once
// The Python exceptions of the package, created by the extension so that C++ raises them directly.
//   ContractError(ValueError)                    a contract that cannot be loaded: .file .line .column .hint
//   ContractViolation(ImportError, ValueError)   a module or environment that breaks its contract: .report .violations
//   SourceError(ValueError)                      a module whose source cannot be read or parsed: .file .line .column

#include <nanobind/nanobind.h>

#include <stdexcept>
#include <string>

#include "importspy/report.hpp"

namespace importspy::bindings {

namespace nb = nanobind;

// A module's source cannot be used: unreadable, not UTF-8, too large, not Python, raised on import.
class SourceError : public std::runtime_error {
public:
  SourceError(std::string file, int line, int column, std::string message)
      : std::runtime_error(message), file_(std::move(file)), line_(line), column_(column) {}
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }

private:
  std::string file_;
  int line_;
  int column_;
};

// Creates the exception types in `m` and registers translators for ContractError and SourceError.
void register_exceptions(nb::module_& m);

// Raises ContractViolation carrying `report` (its text rendering is the message).
[[noreturn]] void raise_contract_violation(const Report& report);

}  // namespace importspy::bindings
