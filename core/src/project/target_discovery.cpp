#include "importspy/project/target_discovery.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <system_error>
#include <thread>
#include <unordered_set>

#include "importspy/facts/module_file.hpp"
#include "importspy/project/config.hpp"
#include "importspy/project/module_pattern.hpp"
#include "importspy/util/ascii.hpp"

namespace importspy {
namespace fs = std::filesystem;

namespace {

bool has_glob_characters(std::string_view text) { return text.find_first_of("*?[") != std::string_view::npos; }

bool looks_like_dotted_name(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return ascii::is_alnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; });
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
  const fs::path here = fs::current_path(ec);
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    std::error_code type_ec;
    if (entry.is_directory(type_ec)) {
      if (skipped_directory(entry.path())) it.disable_recursion_pending();
      continue;
    }
    if ((entry.path().extension() == ".py" || compiled_module(entry.path())) && entry.is_regular_file(type_ec)) {
      files.emplace_back(here.empty() ? display_path(entry.path()) : display_path(entry.path(), here), entry.path());
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

namespace {

// True when `text` ('/'-separated, no root name) has no empty, "." or ".." part: lexically normal already,
// so comparing its characters with another such path is comparing their components.
bool plainly_normal(std::string_view text) {
  for (std::size_t start = text.starts_with('/') ? 1 : 0; start <= text.size();) {
    const std::size_t slash = std::min(text.find('/', start), text.size());
    const std::string_view part = text.substr(start, slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = slash + 1;
  }
  return true;
}

// An absolute POSIX-style path that is lexically normal already ("/a/b", no "." or ".." part, no
// doubled or trailing slash): what folder walks, shell globs and `find` give, thousands per batch.
// Such paths are compared as strings; any other on components.
bool plain_absolute(const fs::path& path, std::string_view text) {
  return !path.has_root_name() && text.starts_with('/') && plainly_normal(text);
}

// The '/'-separated part of plain absolute `inner` below plain absolute `outer` ("/" included): empty when
// they are the same, nothing when `inner` is not below it.
std::optional<std::string_view> plain_below(std::string_view inner, std::string_view outer) {
  if (inner == outer) return std::string_view();
  if (outer == "/") return inner.substr(1);
  if (inner.size() > outer.size() && inner.starts_with(outer) && inner[outer.size()] == '/') return inner.substr(outer.size() + 1);
  return std::nullopt;
}

bool plain_folder(const fs::path& folder, std::string_view text) { return text == "/" || plain_absolute(folder, text); }

// The part of `path` below `folder` (both absolute): empty when they are the same folder, nothing when
// `path` is not below it.
std::optional<fs::path> path_below(const fs::path& path, const fs::path& folder) {
  const std::string inner = path.generic_string(), outer = folder.generic_string();
  if (plain_absolute(path, inner) && plain_folder(folder, outer)) {
    const auto below = plain_below(inner, outer);
    return below ? std::optional<fs::path>(fs::path(*below)) : std::nullopt;
  }
  const fs::path relative = path.lexically_normal().lexically_relative(folder.lexically_normal());
  if (relative.empty() || *relative.begin() == "..") return std::nullopt;
  return relative == "." ? fs::path() : relative;
}

}  // namespace

std::string display_path(const fs::path& path) {
  const std::string text = path.generic_string();
  if (!path.has_root_name() && !text.empty() && !text.starts_with('/') && plainly_normal(text)) return text;  // plain and relative: below
  std::error_code ec;
  const fs::path here = fs::current_path(ec);
  return ec ? text : display_path(path, here);
}

std::string display_path(const fs::path& path, const fs::path& here) {
  std::string text = path.generic_string();
  if (!path.has_root_name() && !text.empty() && !text.starts_with('/') && plainly_normal(text)) return text;
  if (plain_absolute(path, text)) {
    const std::string outer = here.generic_string();
    if (plain_folder(here, outer)) {
      const auto below = plain_below(text, outer);
      return !below ? text : below->empty() ? std::string(".") : std::string(*below);  // lexically normal as it is
    }
  }
  const fs::path absolute = path.is_absolute() ? path : here / path;
  if (auto below = path_below(absolute, here)) return below->empty() ? "." : below->generic_string();
  return absolute.lexically_normal().generic_string();
}

namespace {

// A module's place as the command line shows it (relative to the working directory, else absolute).
ModulePlace place_shown(const std::string& shown, std::string module_name) {
  ModulePlace place{shown, false, std::move(module_name)};
  if (shown == "__init__.py" || shown.ends_with("/__init__.py")) {
    place.package = true;
    place.path.resize(shown.size() >= 12 ? shown.size() - 12 : 0);
  }
  return place;
}

// The dotted name of a module's path below its root, given as its parts (`pkg/sub/__init__.py` → `pkg.sub`).
template <typename Parts>
std::string dotted_name_of(const Parts& parts) {
  std::string name;
  for (const auto& part : parts) {
    std::string text(part);
    if (text == "__init__.py") break;
    if (text.ends_with(".py")) text.resize(text.size() - 3);
    else if (text.find('.') != std::string::npos && compiled_module(fs::path(text))) text.resize(text.find('.'));
    if (!name.empty()) name += '.';
    name += text;
  }
  return name;
}

// The dotted name of `file` below `folder`, or empty when it is not below.
std::string dotted_below(const fs::path& file, const fs::path& folder) {
  const std::string inner = file.generic_string(), outer = folder.generic_string();
  if (plain_absolute(file, inner) && plain_folder(folder, outer)) {
    const auto below = plain_below(inner, outer);
    return below && !below->empty() ? dotted_name_of(split(*below)) : std::string();
  }
  const std::optional<fs::path> relative = path_below(file, folder);
  if (!relative || relative->empty()) return {};
  std::vector<std::string> parts;
  for (const auto& part : *relative) parts.push_back(part.string());
  return dotted_name_of(parts);
}

// `a.b.c` as a relative path.
fs::path dotted_path(std::string_view dotted) {
  fs::path path;
  for (std::size_t start = 0;;) {
    const std::size_t dot = dotted.find('.', start);
    path /= std::string(dotted.substr(start, dot - start));
    if (dot == std::string_view::npos) return path;
    start = dot + 1;
  }
}

}  // namespace

std::vector<fs::path> source_roots(const fs::path& folder) {
  std::error_code ec;
  const fs::path base = fs::absolute(folder, ec).lexically_normal();
  std::vector<fs::path> roots;
  if (fs::is_directory(base / "src", ec) && !fs::exists(base / "src" / "__init__.py", ec)) roots.push_back(base / "src");
  roots.push_back(base);
  return roots;
}

std::string module_name_in(const fs::path& file, const std::vector<fs::path>& roots) {
  std::error_code ec;
  fs::path absolute = file.is_absolute() ? file : fs::absolute(file, ec);
  if (!plainly_normal(absolute.generic_string())) absolute = absolute.lexically_normal();
  for (const auto& root : roots) {
    if (std::string name = dotted_below(absolute, root); !name.empty()) return name;
  }
  return dotted_name_of(std::array{absolute.filename().string()});  // outside every root: its own name
}

namespace {

// What discovery records of an argument that names a regular file.
struct NamedFile {
  fs::path path;
  std::string shown;
  std::string module_name;
  std::uintmax_t size = 0;
};

// For each argument that names a regular file (what a link leads to), its record; nothing for any other
// argument. One stat each: with thousands of files named (a shell glob), this is most of discovery, so
// `jobs` threads take a contiguous share each.
std::vector<std::optional<NamedFile>> named_files(const std::vector<std::string>& arguments, const fs::path& here, const std::vector<fs::path>& roots,
                                                  int jobs) {
  std::vector<std::optional<NamedFile>> files(arguments.size());
  const auto look = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      std::error_code ec;
      fs::path path(arguments[i]);
      const std::uintmax_t size = fs::file_size(path, ec);
      if (ec) continue;
      std::string shown = here.empty() ? display_path(path) : display_path(path, here);
      std::string name = module_name_in(path, roots);
      files[i] = NamedFile{std::move(path), std::move(shown), std::move(name), size};
    }
  };
  constexpr std::size_t kPerThread = 128;  // below this a thread costs more than it saves
  const std::size_t threads = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(1, jobs)), 1, std::max<std::size_t>(1, arguments.size() / kPerThread));
  std::vector<std::thread> pool;
  std::size_t taken = 0;  // arguments whose share went to a started thread
  for (std::size_t t = 1; t < threads; ++t) {
    const std::size_t begin = arguments.size() * (t - 1) / threads, end = arguments.size() * t / threads;
    try {
      pool.emplace_back(look, begin, end);
      taken = end;
    } catch (const std::system_error&) {
      break;  // no more threads: this one takes the rest
    }
  }
  look(taken, arguments.size());
  for (auto& thread : pool) thread.join();
  return files;
}

}  // namespace

std::vector<DiscoveredTarget> discover_targets(const std::vector<std::string>& arguments, const DiscoveryOptions& options) {
  const ProjectConfig* config = options.config;
  std::error_code ec;
  // Module names are taken under the source roots of the settings folder (else the working directory);
  // dotted names are looked up there first, then in the search path.
  const fs::path here = fs::current_path(ec);  // empty when there is none (removed): each path then tries again
  const std::vector<fs::path> roots = source_roots(config ? config->directory : here);
  std::vector<fs::path> search = roots;
  for (const auto& folder : options.search_path) {
    const fs::path absolute = fs::absolute(folder, ec).lexically_normal();
    if (std::find(search.begin(), search.end(), absolute) == search.end()) search.push_back(absolute);
  }
  std::vector<ModulePattern> excludes;
  for (const auto& text : options.excludes) excludes.emplace_back(text);
  const auto excluded = [&](const std::string& shown, const fs::path& file, const std::string& name) {
    const ModulePlace place = place_shown(shown, name);
    if (std::any_of(excludes.begin(), excludes.end(), [&](const ModulePattern& p) { return p.matches_within(place); })) return true;
    return config && config->excluded(file, name);
  };
  const std::size_t left_out_before = options.left_out ? options.left_out->size() : 0;
  std::unordered_set<std::string> left_seen;
  const auto leave_out = [&](const std::string& shown, std::string why) {
    if (options.left_out && left_seen.insert(shown).second) options.left_out->push_back({shown, std::move(why)});
  };
  // A package's `__init__.py` found inside `folder` is the package's module (`plugins/video/__init__.py`
  // is the plugin `plugins.video`), taken like the modules beside it; not the folder's own (the package
  // the folder is, not one inside it), nor, when the settings map contracts, one no `match` selects.
  // Empty when taken, else why not.
  const auto why_not_taken = [&](const fs::path& file, const fs::path& folder, const std::string& name) -> std::string {
    if (file.filename() != "__init__.py") return {};
    std::error_code same_ec;
    if (fs::equivalent(file.parent_path(), folder, same_ec)) {
      return "the module of the package this folder is, not a module inside it; name it (" + display_path(file) + ") to check it";
    }
    if (config && !config->contracts.empty() && !config->mapping_for(file, name)) {
      return "a package's module that no `match` of the settings selects";
    }
    return {};
  };

  std::vector<DiscoveredTarget> out;
  std::unordered_set<std::string> seen;
  // A module found inside a folder or by a pattern; `dotted`: shown (and imported) by its dotted name.
  const auto add_module = [&](const std::string& shown, const fs::path& file, const std::string& name, bool dotted) {
    if (excluded(shown, file, name)) {
      leave_out(shown, "excluded (an --exclude pattern or the settings' `exclude`)");
      return;
    }
    if (!seen.insert(dotted ? name : shown).second) return;
    out.push_back({dotted ? DiscoveredTarget::Kind::dotted_name : DiscoveredTarget::Kind::file, dotted ? name : shown, file, {}, name});
  };
  // Every module inside `folder`, named below `root`.
  const auto add_folder = [&](const fs::path& folder, const fs::path& root, bool dotted) {
    std::size_t added = 0;
    for (const auto& [shown, file] : python_files_below(folder)) {
      const std::string name = root.empty() ? module_name_in(file, roots) : dotted_below(fs::absolute(file, ec), root);
      if (std::string why = why_not_taken(file, folder, name); !why.empty()) {
        leave_out(shown, std::move(why));
        continue;
      }
      ++added;
      add_module(shown, file, name, dotted);
    }
    return added;
  };
  const auto error = [&](const std::string& shown, const fs::path& path, const std::string& why) {
    out.push_back({DiscoveredTarget::Kind::error, shown, path, why, {}});
  };
  const std::string empty_folder = "this directory holds no Python file (*.py) to check besides what is left out (its own __init__.py is checked "
                                   "when named; -v lists what is left out and why)";

  std::vector<std::optional<NamedFile>> files = named_files(arguments, here, roots, options.jobs);
  for (std::size_t k = 0; k < arguments.size(); ++k) {
    const std::string& argument = arguments[k];
    if (std::optional<NamedFile>& file = files[k]) {
      if (seen.insert(file->shown).second) {  // named: never excluded
        out.push_back({DiscoveredTarget::Kind::file, std::move(file->shown), std::move(file->path), {}, std::move(file->module_name), file->size});
      }
      continue;
    }
    const fs::path path(argument);
    if (fs::is_directory(path, ec)) {
      if (add_folder(path, {}, false) == 0) error(display_path(path), path, empty_folder);
      continue;
    }
    const bool names_a_file = argument.ends_with(".py") || argument.find('/') != std::string::npos || argument.find('\\') != std::string::npos;
    if (has_glob_characters(argument) && names_a_file) {
      // A path pattern: walk from the longest folder prefix without wildcards, then match the whole pattern.
      std::string pattern = fs::path(argument).generic_string();
      const size_t wildcard = pattern.find_first_of("*?[");
      const size_t slash = pattern.rfind('/', wildcard);
      const fs::path base = slash == std::string::npos ? fs::path(".") : fs::path(pattern.substr(0, slash));
      const std::string full_pattern = display_path(base) == "." ? pattern.substr(slash == std::string::npos ? 0 : slash + 1)
                                                                  : display_path(base) + "/" + pattern.substr(slash + 1);
      size_t matched = 0;
      if (fs::is_directory(base, ec)) {
        const ModulePattern compiled(full_pattern);
        for (const auto& [shown, file] : python_files_below(base)) {
          const std::string name = module_name_in(file, roots);
          if (!compiled.matches(place_shown(shown, name))) continue;
          ++matched;
          add_module(shown, file, name, false);
        }
      }
      if (matched == 0) error(argument, {}, "no Python file matches this pattern");
      continue;
    }
    if (has_glob_characters(argument)) {
      // A module pattern: the modules below its literal package prefix, in each folder of the search path.
      const ModulePattern compiled(argument);
      std::string_view prefix = compiled.literal_prefix();
      prefix = prefix.substr(0, prefix.rfind('.') == std::string_view::npos ? 0 : prefix.rfind('.'));
      if (prefix.empty()) {
        error(argument, {}, "a module pattern target starts with a package name (`myapp.plugins.*`); to search files, write a path pattern (`**/*.py`)");
        continue;
      }
      size_t matched = 0;
      for (const auto& root : search) {
        const fs::path folder = root / dotted_path(prefix);
        if (!fs::is_directory(folder, ec)) continue;
        for (const auto& [shown, file] : python_files_below(folder)) {
          const std::string name = dotted_below(fs::absolute(file, ec), root);
          if (!compiled.matches(ModulePlace{{}, file.filename() == "__init__.py", name})) continue;
          ++matched;
          add_module(shown, file, name, true);
        }
      }
      if (matched == 0) error(argument, {}, "no module matches this pattern in the source roots or on the search path");
      continue;
    }
    if (!names_a_file && looks_like_dotted_name(argument) && !fs::exists(path, ec)) {
      // A module (its .py, or its package's __init__.py), else a namespace package: the modules inside it.
      std::optional<fs::path> module;
      std::vector<std::pair<fs::path, fs::path>> portions;  // (folder, root)
      const fs::path relative = dotted_path(argument);
      for (const auto& root : search) {
        if ((module = locate_module_file(argument, std::span(&root, 1)))) break;
        if (fs::is_directory(root / relative, ec)) portions.emplace_back(root / relative, root);
      }
      if (module || portions.empty()) {
        // Not found: runtime mode may still import it (a module without source), static mode reports it.
        if (seen.insert(argument).second) out.push_back({DiscoveredTarget::Kind::dotted_name, argument, module.value_or(fs::path()), {}, argument});
        continue;
      }
      std::size_t added = 0;
      for (const auto& [folder, root] : portions) added += add_folder(folder, root, true);
      if (added == 0) error(argument, {}, "this namespace package holds no Python module to check");
      continue;
    }
    const char* why = fs::is_symlink(fs::symlink_status(path, ec)) ? "a symbolic link to a file that does not exist"
                      : fs::exists(path, ec)                       ? "this is not a regular file or directory"
                                                                   : "no such file or directory";
    error(argument, path, why);
  }
  if (options.left_out) {
    // Left out of one argument, taken by another (named, or another folder's walk): not left out.
    std::unordered_set<std::string> taken;
    for (const auto& target : out) taken.insert(target.display);
    auto& list = *options.left_out;
    const auto first = list.begin() + static_cast<std::ptrdiff_t>(left_out_before);
    list.erase(std::remove_if(first, list.end(), [&](const LeftOutModule& m) { return taken.count(m.target) > 0; }), list.end());
  }
  return out;
}

}  // namespace importspy
