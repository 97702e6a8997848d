#pragma once
// The checker's result: every violation found, each one data first, rendered later.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importspy/util/source_mark.hpp"

namespace importspy {

enum class Category { missing, mismatch, invalid };
enum class Context { runtime, environment, module, class_ };

std::string_view to_string(Category category);
std::string_view to_string(Context context);

struct Report;

// One module of an import chain: its file, and the line there that imports the next module of the chain
// (0 on the last module, and for a module outside the package). A module that imports the next one at
// several lines has them all in `lines`, first to last (`line` is the first); `lines` may be left empty
// when there is only `line` (step_lines in chain_groups.hpp reads either).
struct ChainStep {
  std::string module;
  std::string file;
  int line = 0;
  std::vector<int> lines{};
};

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
  // dependency-violation only: the import chain from the checked module to the dependency (`a`, `b`,
  // `c` for a -> b -> c) and the dependency's own report against its contract.
  std::vector<std::string> chain{};
  std::shared_ptr<const Report> dependency{};
  // architecture-* only: the import chains that break the rule, each from importer to imported, every step
  // with its file and line (docs/architecture-rules.md, "Reports").
  std::vector<std::vector<ChainStep>> chains{};
  // Renderers that people read (text, GitHub annotations, JUnit) show this many groups of merged chains
  // (chain_groups.hpp) of a violation and count the chains left out; the data formats (JSON, SARIF, HTML)
  // carry every one.
  static constexpr std::size_t kChainsShown = 10;
};

// What a check did, for --dry-run: the deployment branch that matched and every rule evaluated.
struct CheckTrace {
  std::string deployment;           // "deployments[0].systems[1].pythons[0]", or why none applies
  std::vector<std::string> rules;   // contract paths of the rules evaluated, in order
};

struct Report {
  std::string contract_source;
  std::string module_filename;
  std::vector<Violation> violations;
  std::optional<CheckTrace> trace;  // only when asked for (CheckOptions::trace)
  // Findings that do not fail the check (an architecture rule's `ignore_imports` entry that excuses no
  // import, alerted as a warning): rendered, never counted as violations.
  std::vector<Violation> warnings{};

  bool ok() const { return violations.empty(); }
};

}  // namespace importspy
