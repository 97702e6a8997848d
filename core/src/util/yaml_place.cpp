#include "importspy/util/yaml_place.hpp"

#include <algorithm>

namespace importspy {
namespace {

struct LineShape {
  int indent = 0;
  int dash = -1;     // column of a `- ` list marker, or -1
  int key_col = -1;  // column of the key, or -1 when the line has no `key:`
  std::string key;
  bool has_colon = false;
  bool value_after = false;  // text after the colon
  bool content = false;      // anything but blanks and a comment
};

LineShape shape_of(std::string_view line) {
  LineShape s;
  std::size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  s.indent = static_cast<int>(i);
  if (i >= line.size() || line[i] == '#') return s;
  s.content = true;
  while (i < line.size() && line[i] == '-' && (i + 1 == line.size() || line[i + 1] == ' ')) {
    s.dash = static_cast<int>(i);
    ++i;
    while (i < line.size() && line[i] == ' ') ++i;
  }
  const std::size_t key_start = i;
  std::size_t end = key_start;
  if (end < line.size() && (line[end] == '"' || line[end] == '\'')) {
    end = yaml_token_end(line, end, true);
  } else {
    while (end < line.size() && line[end] != ':' && line[end] != ' ' && line[end] != '#') ++end;
  }
  if (end < line.size() && line[end] == ':' && (end + 1 == line.size() || line[end + 1] == ' ')) {
    s.key_col = static_cast<int>(key_start);
    s.key = std::string(line.substr(key_start, end - key_start));
    if (s.key.size() >= 2 && (s.key.front() == '"' || s.key.front() == '\'')) s.key = s.key.substr(1, s.key.size() - 2);
    s.has_colon = true;
    std::size_t after = end + 1;
    while (after < line.size() && line[after] == ' ') ++after;
    s.value_after = after < line.size() && line[after] != '#';
  } else if (key_start < line.size()) {
    s.key_col = -1;
  }
  return s;
}

// The keys of the mappings that enclose a line whose entry starts at column `level`, outermost first, and
// the keys already written in that same mapping.
struct Enclosing {
  std::vector<std::string> parents;
  std::vector<std::string> siblings;
};

Enclosing enclosing(const LineIndex& lines, int line, int level, int key_col) {
  Enclosing out;
  bool collecting = level == key_col;  // siblings above until the entry's start (a `- ` line starts it here)
  for (int l = line - 1; l >= 0 && (level > 0 || collecting); --l) {
    const LineShape s = shape_of(lines.line(l));
    if (!s.content) continue;
    if (collecting && s.key_col == key_col) {
      out.siblings.push_back(s.key);
      if (s.dash >= 0) collecting = false;  // the first key of this list entry
      continue;
    }
    const int start = s.dash >= 0 ? s.dash : s.key_col >= 0 ? s.key_col : s.indent;
    if (s.key_col >= 0 && s.key_col < level && !s.value_after) {
      out.parents.insert(out.parents.begin(), s.key);
      level = start;
      collecting = false;
    } else if (start < level) {
      level = start;
      collecting = false;
    }
  }
  for (int l = line + 1; l < static_cast<int>(lines.line_count()); ++l) {
    const LineShape s = shape_of(lines.line(l));
    if (!s.content) continue;
    if ((s.dash >= 0 && s.dash < key_col) || (s.dash < 0 && s.indent < key_col)) break;
    if (s.key_col == key_col && s.dash < 0) out.siblings.push_back(s.key);
  }
  return out;
}

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::size_t yaml_token_end(std::string_view line, std::size_t start, bool key) {
  if (start >= line.size()) return line.size();
  const char quote = line[start];
  if (quote == '"' || quote == '\'') {
    for (std::size_t i = start + 1; i < line.size(); ++i) {
      if (quote == '"' && line[i] == '\\') {
        ++i;
        continue;
      }
      if (line[i] == quote) {
        if (quote == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
          ++i;
          continue;
        }
        return i + 1;
      }
    }
    return line.size();
  }
  std::size_t end = start;
  while (end < line.size()) {
    const char c = line[end];
    if (c == ':' && (end + 1 == line.size() || line[end + 1] == ' ' || line[end + 1] == '\t')) break;
    if ((c == ',' || c == ']' || c == '}') && !key) break;
    if (c == '#' && end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) break;
    ++end;
  }
  while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
  return end;
}

std::optional<YamlPlace> yaml_place(std::string_view text, TextPosition at) {
  const LineIndex lines(text);
  const std::string_view line = lines.line(at.line);
  const std::size_t cursor = std::min(lines.offset(at) - lines.offset({at.line, 0}), line.size());
  const std::string_view before = line.substr(0, cursor);
  const LineShape shape = shape_of(before);
  YamlPlace place;
  if (shape.has_colon) {  // `key: |`: a value of that key
    std::size_t after = before.find(':', static_cast<std::size_t>(shape.key_col) + shape.key.size()) + 1;
    while (after < before.size() && before[after] == ' ') ++after;
    for (std::size_t j = after; j < before.size(); ++j) {
      if (!word_char(before[j]) && before[j] != '-' && before[j] != '.') return std::nullopt;  // past the value's first word
    }
    place.value = true;
    place.key = shape.key;
    place.parents = enclosing(lines, at.line, shape.dash >= 0 ? shape.dash : shape.key_col, shape.key_col).parents;
    return place;
  }
  // `  ke|` or `  - ke|`: a key of the mapping the line is in.
  std::size_t i = 0;
  while (i < before.size() && before[i] == ' ') ++i;
  int dash = -1;
  while (i < before.size() && before[i] == '-' && i + 1 < before.size() && before[i + 1] == ' ') {
    dash = static_cast<int>(i);
    i += 2;
    while (i < before.size() && before[i] == ' ') ++i;
  }
  for (std::size_t j = i; j < before.size(); ++j) {
    if (!word_char(before[j])) return std::nullopt;  // not a key being typed
  }
  const int key_col = static_cast<int>(i);
  Enclosing around = enclosing(lines, at.line, dash >= 0 ? dash : key_col, key_col);
  place.parents = std::move(around.parents);
  place.siblings = std::move(around.siblings);
  return place;
}

}  // namespace importspy
