#pragma once
// Contract text → compiled Contract. Every problem is a ContractError naming file, line and column.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "importspy/contract/contract.hpp"

namespace importspy {

// Bounds against hostile contracts. The defaults are far above any real contract.
struct ContractLimits {
  std::size_t max_bytes = 4u << 20;  // file size
  int max_depth = 64;                // nesting of mappings and lists
  std::size_t max_nodes = 200'000;   // nodes visited, aliases expanded: stops "billion laughs"
};

enum class ContractErrorKind {
  unreadable,      // the file cannot be opened or read
  too_large,       // larger than ContractLimits::max_bytes
  not_utf8,        // bytes that are not UTF-8
  syntax,          // not YAML
  empty,           // no document
  too_deep,        // nesting beyond ContractLimits::max_depth
  too_many_nodes,  // alias expansion beyond ContractLimits::max_nodes
  duplicate_key,
  unknown_key,
  missing_key,
  wrong_type,      // a list where text was expected, and so on
  invalid_value,   // an unknown architecture, a malformed version or annotation, ...
};

std::string_view to_string(ContractErrorKind kind);

class ContractError : public std::runtime_error {
public:
  ContractError(ContractErrorKind kind, std::string file, int line, int column, std::string message, std::string hint);

  ContractErrorKind kind() const { return kind_; }
  const std::string& file() const { return file_; }
  int line() const { return line_; }      // 1-based; 0 when the error concerns the whole file
  int column() const { return column_; }  // 1-based; 0 when the error concerns the whole file
  const std::string& message() const { return message_; }
  const std::string& hint() const { return hint_; }
  // The public code of every contract error in reports: "contract-invalid".
  static constexpr std::string_view code = "contract-invalid";

private:
  ContractErrorKind kind_;
  std::string file_;
  int line_;
  int column_;
  std::string message_;
  std::string hint_;
};

// Compiles contract text; `source` names it in errors. Throws ContractError.
std::shared_ptr<const Contract> parse_contract(std::string_view text, std::string source, const ContractLimits& limits = {});

// Reads and compiles a contract file. Throws ContractError (unreadable, too large, or any parse error).
std::shared_ptr<const Contract> load_contract_file(const std::filesystem::path& path, const ContractLimits& limits = {});

}  // namespace importspy
