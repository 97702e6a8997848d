#pragma once
// The checker's result: every violation found, each one data first, rendered later.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importspy/contract.hpp"

namespace importspy {

enum class Category { missing, mismatch, invalid };
enum class Context { runtime, environment, module, class_ };

std::string_view to_string(Category category);
std::string_view to_string(Context context);

struct Violation {
  std::string code;  // stable, public: see violation_codes.hpp
  Category category = Category::missing;
  Context context = Context::module;
  std::string path;  // where in the contract, e.g. classes.Extension.methods.run.arguments.msg
  std::optional<std::string> expected;
  std::optional<std::string> actual;
  std::string message;  // one line
  std::string hint;     // how to fix it
  SourceMark contract_mark;  // the rule's place in the contract
  int source_line = 0;       // the offending definition's line in the module, 0 when none
};

struct Report {
  std::string contract_source;
  std::string module_filename;
  std::vector<Violation> violations;

  bool ok() const { return violations.empty(); }
};

}  // namespace importspy
