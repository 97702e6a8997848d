#pragma once
// Command-line targets → the Python files they name: files, directories (recursive), glob patterns.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "importspy/report/batch.hpp"

namespace importspy {

struct ProjectConfig;

struct DiscoveredTarget {
  enum class Kind { file, dotted_name, error };
  Kind kind = Kind::file;
  std::string display;          // relative to the working directory, '/'-separated; or the dotted name
  std::filesystem::path path;   // for files
  std::string error;            // for errors: what is wrong with the argument
  std::string module_name;      // for files: the dotted name patterns match (empty for dotted names: `display`)
  std::optional<std::uintmax_t> size = {};  // bytes, when discovery learnt it (a file named as an argument)
};

struct DiscoveryOptions {
  std::vector<std::string> excludes = {};  // `--exclude`: patterns (module_pattern.hpp) relative to the working directory
  const ProjectConfig* config = nullptr;  // the project settings: its folder's source roots, `exclude`, and `match` for packages
  std::vector<std::filesystem::path> search_path = {};  // where dotted names and module patterns are looked up after the source roots
  int jobs = 1;  // threads that look at the files named as arguments (a shell glob can name thousands); the result is the same at any count
  std::vector<LeftOutModule>* left_out = nullptr;  // when given: the modules inside folders that are left out, and why
};

// Each argument in order (docs/ci.md, "Targets"):
//   - an existing file is itself (never excluded);
//   - a folder is the modules Python imports from it: every `*.py` below it, package plugins included (a
//     package's `__init__.py`, the module `plugins.video`), but the folder's own `__init__.py` (the package
//     the folder is; checked when named) and, when the settings map contracts, a package's `__init__.py`
//     that no `match` selects; and every compiled module (`*.so`, `*.pyd`, a `*.pyc` without its `.py`:
//     modules Python imports without source, reported as unverifiable unless pinned); hidden folders,
//     __pycache__ and virtual environments skipped; sorted. What is left out of a folder (those
//     `__init__.py` files, what is excluded) goes to `options.left_out`, with why;
//   - a path pattern (`plugins/**/*.py`) is the modules it matches below its literal folder, sorted;
//   - a module pattern (`myapp.plugins.*`) is the modules it matches below its literal package, in each
//     folder of the source roots and the search path;
//   - a dotted name is that module, located there (its `.py`, or its package's `__init__.py`); a namespace
//     package (PEP 420: folders without `__init__.py`) is the modules inside it.
// Module names are taken under the source roots of the settings folder, else of the working directory.
// A module found twice is listed once. Excluded: what an `--exclude` pattern (relative to the working
// directory) or an `exclude` of the settings (relative to its folder) matches, or a folder it is inside.
// An argument that yields no module is an error target.
std::vector<DiscoveredTarget> discover_targets(const std::vector<std::string>& arguments, const DiscoveryOptions& options);

// Where module names start: `folder/src` when it is a folder but not a package (the src layout), then
// `folder` itself.
std::vector<std::filesystem::path> source_roots(const std::filesystem::path& folder);

// The dotted name of `file` under the first of `roots` it is inside (`src/myapp/plugins/audio.py` →
// `myapp.plugins.audio`; `pkg/__init__.py` → `pkg`; a compiled module by its name up to the first dot);
// outside every root, its own name.
std::string module_name_in(const std::filesystem::path& file, const std::vector<std::filesystem::path>& roots);

// fnmatch-style match of a '/'-separated path: `*` and `?` stay within one component, `**` spans any
// number of components, `[abc]` is a class.
bool glob_match(std::string_view pattern, std::string_view path);

// A pattern split once, for matching many paths.
class GlobPattern {
public:
  explicit GlobPattern(std::string pattern);
  bool matches(std::string_view path) const;
  bool is_literal() const { return literal_; }  // no wildcard: matches exactly one path
  const std::string& text() const { return text_; }

private:
  std::string text_;
  std::vector<std::string> parts_;
  bool literal_ = false;
};

// `path` relative to the working directory when it is below it, '/'-separated.
std::string display_path(const std::filesystem::path& path);
// The same, relative to `working_directory` (absolute), for a caller showing many paths at once.
std::string display_path(const std::filesystem::path& path, const std::filesystem::path& working_directory);

}  // namespace importspy
