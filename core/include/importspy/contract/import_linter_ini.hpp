#pragma once
// INI text read as import-linter reads `.importlinter` and `setup.cfg`: Python's configparser with its
// defaults (`=` or `:` between key and value, `#` and `;` comments on their own line only, keys folded
// to lower case, values continued on lines indented deeper than their key, duplicate sections and keys
// rejected, a [DEFAULT] section inherited by every section, `%(key)s` interpolation).
//
// Why our own reader: Debian's inih (libinih-dev) is the only packaged C++ INI library, and its build
// fixes behaviour that differs from configparser (it strips `;` inline comments, which configparser
// keeps as value text) and reports neither columns nor where each continuation line sits; errors here
// must name the line and column of every value.

#include <string>
#include <string_view>
#include <vector>

#include "importspy/util/source_mark.hpp"

namespace importspy {

// One line of a value, stripped of surrounding blanks; a value continued over several lines has one
// per line (blank lines inside it are kept as empty lines, as configparser keeps them).
struct IniValueLine {
  std::string text;
  SourceMark mark;  // where the text starts
};

struct IniOption {
  std::string key;                  // folded to lower case
  std::vector<IniValueLine> lines;  // the first line's text may be empty (`key =` then indented lines)
  SourceMark mark;                  // where the key starts
};

struct IniSection {
  std::string name;  // as written between the brackets
  SourceMark mark;
  std::vector<IniOption> options;  // in file order

  const IniOption* find(std::string_view key) const;
};

struct IniDocument {
  std::string file;                  // names the text in errors
  IniSection defaults;               // [DEFAULT]: inherited by every section
  std::vector<IniSection> sections;  // in file order, [DEFAULT] excluded

  const IniSection* find(std::string_view name) const;

  // The options of `section` as configparser's `dict(parser[section])` gives them: the section's own,
  // then the inherited [DEFAULT] ones it does not override, with `%(key)s` and `%%` interpolated.
  // Throws ContractError (invalid_value) on a malformed or missing interpolation.
  std::vector<IniOption> interpolated_options(const IniSection& section) const;
};

// Parses INI text. Throws ContractError (syntax, duplicate_key) naming file, line and column.
IniDocument parse_import_linter_ini(std::string_view text, std::string file);

}  // namespace importspy
