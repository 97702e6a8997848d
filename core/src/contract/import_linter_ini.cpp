#include "importspy/contract/import_linter_ini.hpp"

#include <optional>
#include <set>
#include <utility>

#include "importspy/contract/loader.hpp"

namespace importspy {

namespace {

// configparser compares on Python's str.isspace(); only ASCII blanks occur in real configuration.
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::string_view strip(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Lines split as Python's text mode splits them: "\n", "\r\n" and "\r" all end a line.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

[[noreturn]] void fail(ContractErrorKind kind, const std::string& file, int line, int column, std::string message, std::string hint) {
  throw ContractError(kind, file, line, column, std::move(message), std::move(hint));
}

std::string joined(const IniOption& option) {
  std::string out;
  for (std::size_t i = 0; i < option.lines.size(); ++i) {
    if (i) out += '\n';
    out += option.lines[i].text;
  }
  return out;
}

}  // namespace

const IniOption* IniSection::find(std::string_view key) const {
  for (const IniOption& option : options)
    if (option.key == key) return &option;
  return nullptr;
}

const IniSection* IniDocument::find(std::string_view name) const {
  for (const IniSection& section : sections)
    if (section.name == name) return &section;
  return nullptr;
}

IniDocument parse_import_linter_ini(std::string_view text, std::string file) {
  IniDocument document;
  document.file = std::move(file);
  document.defaults.name = "DEFAULT";
  const std::string& name = document.file;
  // A UTF-8 byte order mark is skipped (configparser would read it as part of the first line).
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  IniSection* section = nullptr;
  IniOption* option = nullptr;   // the option continuation lines extend
  std::size_t indent_level = 0;  // indentation of the last key or header line
  std::optional<std::pair<int, std::string>> bad_line;  // configparser reports these after the whole file
  int line_number = 0;
  for (std::string_view line : split_lines(text)) {
    ++line_number;
    const std::string_view value = strip(line);
    const bool comment = !value.empty() && (value.front() == '#' || value.front() == ';');
    if (value.empty() || comment) {
      // A blank line inside a value is part of it (configparser's empty_lines_in_values); a comment
      // line is not, and neither ends the value.
      if (!comment && option) option->lines.push_back({"", {line_number, 1}});
      continue;
    }
    const std::size_t indent = static_cast<std::size_t>(value.data() - line.data());
    const SourceMark mark{line_number, static_cast<int>(indent) + 1};
    if (option && indent > indent_level) {
      option->lines.push_back({std::string(value), mark});
      continue;
    }
    indent_level = indent;
    // `[name]`: the name runs to the last `]` on the line, as configparser's permissive pattern reads it.
    if (value.front() == '[') {
      const std::size_t close = value.rfind(']');
      if (close != std::string_view::npos && close >= 2) {
        const std::string header(value.substr(1, close - 1));
        option = nullptr;
        if (header == "DEFAULT") {
          section = &document.defaults;
          if (section->mark.line == 0) section->mark = mark;
          continue;
        }
        for (const IniSection& existing : document.sections)
          if (existing.name == header)
            fail(ContractErrorKind::duplicate_key, name, mark.line, mark.column,
                 "section [" + header + "] is written twice (first at line " + std::to_string(existing.mark.line) + ")",
                 "merge the two sections into one");
        document.sections.push_back({header, mark, {}});
        section = &document.sections.back();
        continue;
      }
    }
    if (!section)
      fail(ContractErrorKind::syntax, name, mark.line, mark.column,
           "expected a section header such as [importlinter] before the first key, found `" + std::string(value) + "`",
           "begin the file with a [section] line");
    const std::size_t delimiter = value.find_first_of("=:");
    if (delimiter == std::string_view::npos || strip(value.substr(0, delimiter)).empty()) {
      if (!bad_line) bad_line.emplace(mark.line, std::string(value));
      if (delimiter == std::string_view::npos) continue;  // configparser keeps extending the previous key
    }
    std::string key = lower(strip(value.substr(0, delimiter)));
    for (const IniOption& existing : section->options)
      if (existing.key == key)
        fail(ContractErrorKind::duplicate_key, name, mark.line, mark.column,
             "key `" + key + "` is written twice in section [" + section->name + "] (first at line " + std::to_string(existing.mark.line) + ")",
             "keep one `" + key + "` (keys are compared in lower case)");
    const std::string_view rest = value.substr(delimiter + 1);
    const std::string_view first = strip(rest);
    const int first_column = first.empty() ? mark.column + static_cast<int>(delimiter) + 1
                                           : static_cast<int>(first.data() - line.data()) + 1;
    section->options.push_back({std::move(key), {{std::string(first), {line_number, first_column}}}, mark});
    option = &section->options.back();
  }
  if (bad_line)
    fail(ContractErrorKind::syntax, name, bad_line->first, 1,
         "expected `key = value` (or `key: value`), found `" + bad_line->second + "`",
         "write the key, then `=` or `:`, then the value; indent a line deeper than its key to continue the key's value");

  // configparser drops blank lines at the end of a value.
  const auto trim = [](IniSection& each) {
    for (IniOption& opt : each.options)
      while (opt.lines.size() > 1 && opt.lines.back().text.empty()) opt.lines.pop_back();
  };
  trim(document.defaults);
  for (IniSection& each : document.sections) trim(each);
  return document;
}

namespace {

constexpr std::size_t kMaxExpandedBytes = 1u << 20;
constexpr std::size_t kMaxReferences = 100'000;

class Interpolator {
public:
  Interpolator(const IniDocument& document, const IniSection& section) : document_(document), section_(section) {}

  // One line of `option`, `%%` and `%(key)s` replaced; `depth` counts nested references.
  std::string expand(std::string_view text, const IniOption& option, SourceMark mark, int depth) const {
    // configparser's MAX_INTERPOLATION_DEPTH.
    if (depth > 10)
      fail(ContractErrorKind::invalid_value, document_.file, mark.line, mark.column,
           "the value of `" + option.key + "` refers to other keys more than 10 levels deep",
           "a key probably refers to itself through `%(...)s`");
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
      const std::size_t percent = text.find('%', i);
      if (percent == std::string_view::npos) {
        out += text.substr(i);
        break;
      }
      out += text.substr(i, percent - i);
      const SourceMark at{mark.line, mark.column + static_cast<int>(percent)};
      const char next = percent + 1 < text.size() ? text[percent + 1] : '\0';
      if (next == '%') {
        out += '%';
        i = percent + 2;
        continue;
      }
      if (next != '(')
        fail(ContractErrorKind::invalid_value, document_.file, at.line, at.column,
             "`%` in the value of `" + option.key + "` must be followed by `%` or `(`, found `" + std::string(text.substr(percent, 2)) + "`",
             "write `%%` for a literal percent sign (import-linter reads these files with configparser's interpolation)");
      const std::size_t close = text.find(')', percent + 2);
      if (close == std::string_view::npos || close == percent + 2 || close + 1 >= text.size() || text[close + 1] != 's')
        fail(ContractErrorKind::invalid_value, document_.file, at.line, at.column,
             "bad reference `" + std::string(text.substr(percent)) + "` in the value of `" + option.key + "`",
             "write `%(key)s` to insert another key's value, or `%%` for a literal percent sign");
      const std::string key = lower(text.substr(percent + 2, close - percent - 2));
      const IniOption* target = section_.find(key);
      if (!target) target = document_.defaults.find(key);
      if (!target)
        fail(ContractErrorKind::invalid_value, document_.file, at.line, at.column,
             "the value of `" + option.key + "` refers to `%(" + key + ")s`, but section [" + section_.name + "] has no key `" + key + "`",
             "define `" + key + "` in this section or in [DEFAULT], or write `%%` for a literal percent sign");
      // References that each repeat another many times grow exponentially with depth (even when they
      // expand to nothing): bounds on the references followed and on the text keep a small hostile file
      // from taking the machine (configparser itself has none).
      if (++references_ > kMaxReferences)
        fail(ContractErrorKind::too_large, document_.file, at.line, at.column,
             "the values of section [" + section_.name + "] follow more than " + std::to_string(kMaxReferences) + " `%(...)s` references",
             "write the values out instead of repeating references");
      out += expand(joined(*target), *target, target->mark, depth + 1);
      if (out.size() > kMaxExpandedBytes)
        fail(ContractErrorKind::too_large, document_.file, mark.line, mark.column,
             "the value of `" + option.key + "` expands to more than " + std::to_string(kMaxExpandedBytes) + " bytes through `%(...)s` references",
             "write the value out instead of repeating references");
      i = close + 2;
    }
    return out;
  }

private:
  const IniDocument& document_;
  const IniSection& section_;
  mutable std::size_t references_ = 0;
};

}  // namespace

std::vector<IniOption> IniDocument::interpolated_options(const IniSection& section) const {
  std::vector<IniOption> out = section.options;
  for (const IniOption& inherited : defaults.options)
    if (!section.find(inherited.key)) out.push_back(inherited);
  const Interpolator interpolator(*this, section);
  for (IniOption& option : out) {
    std::vector<IniValueLine> lines;
    for (const IniValueLine& line : option.lines) {
      if (line.text.find('%') == std::string::npos) {
        lines.push_back(line);
        continue;
      }
      // An inserted value may span lines: each becomes a line of this value.
      const std::string expanded = interpolator.expand(line.text, option, line.mark, 1);
      std::size_t start = 0;
      while (true) {
        const std::size_t end = expanded.find('\n', start);
        lines.push_back({expanded.substr(start, end == std::string::npos ? std::string::npos : end - start), line.mark});
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
    option.lines = std::move(lines);
  }
  return out;
}

}  // namespace importspy
