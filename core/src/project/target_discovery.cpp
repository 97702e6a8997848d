#include "importspy/project/target_discovery.hpp"

#include <algorithm>
#include <set>

#include "importspy/project/config.hpp"

namespace importspy {
namespace fs = std::filesystem;

namespace {

bool has_glob_characters(std::string_view text) { return text.find_first_of("*?[") != std::string_view::npos; }

bool looks_like_dotted_name(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; });
}

// Directories no one means when they name a project folder.
bool skipped_directory(const fs::path& directory) {
  const std::string name = directory.filename().string();
  if (name == "__pycache__" || name == "node_modules" || name == "site-packages") return true;
  if (name.size() > 1 && name.front() == '.') return true;  // .git, .venv, .tox, .importspy_cache
  std::error_code ec;
  return fs::exists(directory / "pyvenv.cfg", ec);  // a virtual environment under any name
}

bool component_match(std::string_view pattern, std::string_view text) {
  // Classic wildcard matching with backtracking on the last `*`; no separators inside a component.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '[') {
      const size_t close = pattern.find(']', p + 1);
      if (close != std::string_view::npos) {
        const std::string_view set = pattern.substr(p + 1, close - p - 1);
        const bool negate = !set.empty() && (set[0] == '!' || set[0] == '^');
        bool found = false;
        for (size_t i = negate ? 1 : 0; i < set.size(); ++i) {
          if (i + 2 < set.size() && set[i + 1] == '-') {
            found = found || (text[t] >= set[i] && text[t] <= set[i + 2]);
            i += 2;
          } else {
            found = found || set[i] == text[t];
          }
        }
        if (found != negate) {
          p = close + 1;
          ++t;
          continue;
        }
      }
    } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
      continue;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
      continue;
    }
    if (star == std::string_view::npos) return false;
    p = star + 1;
    t = ++mark;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const std::string_view part = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (!part.empty()) parts.push_back(part);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

template <typename Part>
bool match_parts(const std::vector<Part>& pattern, size_t p, const std::vector<std::string_view>& path, size_t t) {
  if (p == pattern.size()) return t == path.size();
  if (pattern[p] == "**") {
    for (size_t skip = t; skip <= path.size(); ++skip) {
      if (match_parts(pattern, p + 1, path, skip)) return true;
    }
    return false;
  }
  return t < path.size() && component_match(pattern[p], path[t]) && match_parts(pattern, p + 1, path, t + 1);
}

bool excluded(const std::string& display, const std::vector<std::string>& excludes) {
  const std::string name = display.substr(display.rfind('/') == std::string::npos ? 0 : display.rfind('/') + 1);
  for (const auto& pattern : excludes) {
    const bool whole_path = pattern.find('/') != std::string::npos;
    if (whole_path ? glob_match(pattern, display) : (glob_match(pattern, name) || glob_match("**/" + pattern + "/**", display))) return true;
  }
  return false;
}

// A module Python would import from compiled code instead of source: a C extension (*.so, *.pyd; it wins
// over a .py of the same name) or a sourceless *.pyc (only without a .py beside it).
bool compiled_module(const fs::path& file) {
  const fs::path extension = file.extension();
  if (extension == ".so" || extension == ".pyd") return true;
  if (extension != ".pyc") return false;
  std::error_code ec;
  fs::path source = file;
  return !fs::exists(source.replace_extension(".py"), ec);
}

// Every *.py below `root`, and every compiled module (reported as unverifiable unless pinned), with its
// display path, sorted by it.
std::vector<std::pair<std::string, fs::path>> python_files_below(const fs::path& root) {
  std::vector<std::pair<std::string, fs::path>> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    std::error_code type_ec;
    if (entry.is_directory(type_ec)) {
      if (skipped_directory(entry.path())) it.disable_recursion_pending();
      continue;
    }
    if ((entry.path().extension() == ".py" || compiled_module(entry.path())) && entry.is_regular_file(type_ec)) {
      files.emplace_back(display_path(entry.path()), entry.path());
    }
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return files;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) { return match_parts(split(pattern), 0, split(path), 0); }

GlobPattern::GlobPattern(std::string pattern) : text_(std::move(pattern)) {
  for (std::string_view part : split(text_)) parts_.emplace_back(part);
  literal_ = !has_glob_characters(text_);
}

bool GlobPattern::matches(std::string_view path) const { return match_parts(parts_, 0, split(path), 0); }

std::string display_path(const fs::path& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec).lexically_normal();
  const fs::path here = fs::current_path(ec);
  fs::path shown = path;
  if (!ec) {
    const fs::path relative = absolute.lexically_relative(here);
    if (!relative.empty() && *relative.begin() != "..") shown = relative;
    else shown = absolute;
  }
  return shown.generic_string();
}

std::vector<DiscoveredTarget> discover_targets(const std::vector<std::string>& arguments, const DiscoveryOptions& options) {
  const std::vector<std::string>& excludes = options.excludes;
  const ProjectConfig* config = options.config;
  // A module's dotted name: relative to the settings folder, else the file's own name.
  const auto module_name = [&](const fs::path& file) {
    // A compiled module's name is its file name up to the first dot (`fast.cpython-311-x86_64-linux-gnu.so`).
    const std::string filename = file.filename().string();
    const fs::path named = compiled_module(file) ? file.parent_path() / (filename.substr(0, filename.find('.')) + ".py") : file;
    return config ? module_name_for_path(named, config->directory) : module_name_for_path(named, named.parent_path());
  };
  std::vector<DiscoveredTarget> out;
  std::set<std::string> seen;
  const auto add_file = [&](const std::string& shown, const fs::path& file) {
    if (excluded(shown, excludes) || !seen.insert(shown).second) return false;
    out.push_back({DiscoveredTarget::Kind::file, shown, file, {}, module_name(file)});
    return true;
  };
  for (const auto& argument : arguments) {
    std::error_code ec;
    const fs::path path(argument);
    if (fs::is_regular_file(path, ec)) {
      const std::string shown = display_path(path);
      if (seen.insert(shown).second) out.push_back({DiscoveredTarget::Kind::file, shown, path, {}, module_name(path)});  // named explicitly: not excluded
      continue;
    }
    if (fs::is_directory(path, ec)) {
      // The modules inside the folder: a package's own `__init__.py` only when a `match` selects it.
      auto files = python_files_below(path);
      std::erase_if(files, [&](const auto& entry) {
        return entry.second.filename() == "__init__.py" && !(config && config->mapping_for(entry.second, module_name(entry.second)));
      });
      if (files.empty()) {
        out.push_back({DiscoveredTarget::Kind::error, display_path(path), path,
                       "this directory holds no Python file (*.py) to check (a package's own __init__.py is checked when named, or when "
                       "a `match` of the settings selects it)", {}});
      }
      for (const auto& [shown, file] : files) add_file(shown, file);
      continue;
    }
    if (has_glob_characters(argument)) {
      // Walk from the longest directory prefix without wildcards, then match the whole pattern.
      std::string pattern = fs::path(argument).generic_string();
      const size_t wildcard = pattern.find_first_of("*?[");
      const size_t slash = pattern.rfind('/', wildcard);
      const fs::path base = slash == std::string::npos ? fs::path(".") : fs::path(pattern.substr(0, slash));
      const std::string full_pattern = display_path(base) == "." ? pattern.substr(slash == std::string::npos ? 0 : slash + 1)
                                                                  : display_path(base) + "/" + pattern.substr(slash + 1);
      size_t matched = 0;
      if (fs::is_directory(base, ec)) {
        const GlobPattern compiled(full_pattern);
        for (const auto& [shown, file] : python_files_below(base)) {
          if (!compiled.matches(shown)) continue;
          ++matched;
          add_file(shown, file);
        }
      }
      if (matched == 0) out.push_back({DiscoveredTarget::Kind::error, argument, {}, "no Python file matches this pattern", {}});
      continue;
    }
    const bool names_a_file = argument.ends_with(".py") || argument.find('/') != std::string::npos || argument.find('\\') != std::string::npos;
    if (!names_a_file && looks_like_dotted_name(argument) && !fs::exists(path, ec)) {
      if (seen.insert(argument).second) out.push_back({DiscoveredTarget::Kind::dotted_name, argument, {}, {}, {}});
      continue;
    }
    const char* why = fs::is_symlink(fs::symlink_status(path, ec)) ? "a symbolic link to a file that does not exist"
                      : fs::exists(path, ec)                       ? "this is not a regular file or directory"
                                                                   : "no such file or directory";
    out.push_back({DiscoveredTarget::Kind::error, argument, path, why, {}});
  }
  return out;
}

}  // namespace importspy
