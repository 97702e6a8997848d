#pragma once
// ImportSpy's one pattern language (docs/ci.md, "Patterns"): the same text selects the same modules in the
// project settings (`match`, `exclude`), on the command line (targets, `--exclude`) and in the import hook.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "importspy/project/target_discovery.hpp"

namespace importspy {

// A module as patterns see it.
struct ModulePlace {
  std::string path;      // '/'-separated, relative to the patterns' folder; a package's is its folder ("plugins/sub")
  bool package = false;  // a package: its file is `path` + "/__init__.py"
  std::string name;      // its dotted name ("myapp.plugins.sub"); empty when unknown
};

// The place of `file` (a module's file; `__init__.py` makes it its package) relative to `base`, named by
// `module_name` (may be empty).
ModulePlace module_place(const std::filesystem::path& file, const std::filesystem::path& base, std::string module_name);

// One pattern. A pattern with a `/`, or ending in `.py`, is a path pattern, matched against a module's path;
// any other is a module pattern, matched against its dotted name. Components are separated by `/` (or `.`);
// within one, `*` and `?` match any characters and one character, `[ab]`, `[a-z]`, `[!ab]` a class; a
// component `**` matches any number of components, none included. Two rules make "everything inside"
// and "a file anywhere" easy to say, the same way in both kinds:
//   - a final component `*` matches one component or more: `plugins.*` and `plugins/*` select every module
//     inside `plugins`, at any depth, and never `plugins` itself;
//   - a path pattern of one component (`test_*.py`, `conftest.py`) matches that file name in any folder.
// A package is matched by its folder (`plugins/sub`) or name; a path pattern whose last component is
// `__init__.py` matches packages by their `__init__.py` instead.
class ModulePattern {
public:
  explicit ModulePattern(std::string text);

  bool matches(const ModulePlace& place) const;
  // Matches the module, or a folder or package it is inside (how an exclusion prunes a folder).
  bool matches_within(const ModulePlace& place) const;

  bool is_path_pattern() const { return path_pattern_; }
  bool is_literal() const { return literal_; }      // no wildcard: selects one module
  const std::string& text() const { return text_; }
  // Module patterns: the dotted text before the first wildcard (the whole name when literal).
  std::string_view literal_prefix() const;
  // What a literal pattern is compared with: a path, or a module name with its dots as '/'.
  const std::string& compiled() const { return glob_.text(); }

private:
  bool matches_subject(std::string_view subject) const;

  std::string text_;
  bool path_pattern_ = false;
  bool init_file_ = false;  // the last component is `__init__.py`
  bool literal_ = false;
  GlobPattern glob_;
};

}  // namespace importspy
