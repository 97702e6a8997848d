#include "importspy/project/module_pattern.hpp"

#include <algorithm>

namespace importspy {
namespace fs = std::filesystem;

namespace {

bool names_a_path(std::string_view text) { return text.find('/') != std::string_view::npos || text.ends_with(".py"); }

// The pattern as a '/'-separated glob: dots become slashes in module patterns, a final `*` also spans the
// components below it, and a one-component path pattern may stand in any folder.
std::string compile(std::string text, bool path_pattern) {
  if (!path_pattern) std::replace(text.begin(), text.end(), '.', '/');
  if (path_pattern && text.find('/') == std::string::npos) text = "**/" + text;
  if (text == "*" || text.ends_with("/*")) text += "/**";
  return text;
}

}  // namespace

ModulePlace module_place(const fs::path& file, const fs::path& base, std::string module_name) {
  ModulePlace place;
  place.name = std::move(module_name);
  std::error_code ec;
  fs::path relative = fs::absolute(file, ec).lexically_normal().lexically_relative(fs::absolute(base, ec).lexically_normal());
  if (relative.empty()) return place;
  if (relative.filename() == "__init__.py") {
    place.package = true;
    relative = relative.parent_path();  // empty: the base folder's own package, matched by `__init__.py` only
  }
  place.path = relative.generic_string();
  return place;
}

ModulePattern::ModulePattern(std::string text)
    : text_(std::move(text)), path_pattern_(names_a_path(text_)), glob_(compile(text_, path_pattern_)) {
  init_file_ = path_pattern_ && (text_ == "__init__.py" || text_.ends_with("/__init__.py"));
  literal_ = glob_.is_literal();
}

std::string_view ModulePattern::literal_prefix() const {
  const std::size_t wildcard = text_.find_first_of("*?[");
  return std::string_view(text_).substr(0, wildcard);
}

bool ModulePattern::matches_subject(std::string_view subject) const { return !subject.empty() && glob_.matches(subject); }

bool ModulePattern::matches(const ModulePlace& place) const {
  if (path_pattern_) {
    if (init_file_) return place.package && matches_subject(place.path.empty() ? "__init__.py" : place.path + "/__init__.py");
    return matches_subject(place.path);  // a package by its folder
  }
  std::string name = place.name;
  std::replace(name.begin(), name.end(), '.', '/');
  return matches_subject(name);
}

bool ModulePattern::matches_within(const ModulePlace& place) const {
  if (matches(place)) return true;
  if (init_file_) return false;
  // The folders (or packages) the module is inside, outermost first: an excluded one excludes its content.
  std::string subject = path_pattern_ ? place.path : place.name;
  if (!path_pattern_) std::replace(subject.begin(), subject.end(), '.', '/');
  for (std::size_t slash = subject.find('/'); slash != std::string::npos; slash = subject.find('/', slash + 1)) {
    if (matches_subject(std::string_view(subject).substr(0, slash))) return true;
  }
  return false;
}

}  // namespace importspy
