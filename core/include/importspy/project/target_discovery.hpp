#pragma once
// Command-line targets → the Python files they name: files, directories (recursive), glob patterns.

#include <filesystem>
#include <string>
#include <vector>

namespace importspy {

struct ProjectConfig;

struct DiscoveredTarget {
  enum class Kind { file, dotted_name, error };
  Kind kind = Kind::file;
  std::string display;          // relative to the working directory, '/'-separated; or the dotted name
  std::filesystem::path path;   // for files
  std::string error;            // for errors: what is wrong with the argument
  std::string module_name;      // for files: the dotted name patterns match (empty for dotted names: `display`)
};

struct DiscoveryOptions {
  std::vector<std::string> excludes;      // `--exclude`, relative to the working directory
  const ProjectConfig* config = nullptr;  // the project settings: module names, `match` for packages' `__init__.py`
};

// Each argument in order: an existing file is itself; a directory contributes the modules inside it —
// every `*.py` below it but the packages' own `__init__.py` (checked when named, or when a `match` of the
// settings selects it), and every compiled module (`*.so`, `*.pyd`, a `*.pyc` without its `.py`: modules
// Python imports without source, which the check reports as unverifiable unless pinned) (hidden
// directories, __pycache__ and virtual environments skipped), sorted; a pattern with * ? [
// contributes the files it matches (`**` spans directories), sorted; anything else that looks like a
// dotted name is passed on as one. A file found twice is listed once. `excludes` are glob patterns
// matched against the '/'-separated path relative to the working directory, or against the file name
// when they contain no '/'. A directory or pattern that yields no file is an error target.
std::vector<DiscoveredTarget> discover_targets(const std::vector<std::string>& arguments, const DiscoveryOptions& options);

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

}  // namespace importspy
