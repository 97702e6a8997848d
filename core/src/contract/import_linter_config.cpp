#include "importspy/contract/import_linter_config.hpp"

#include <toml++/toml.h>

#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "importspy/contract/import_linter_ini.hpp"
#include "importspy/contract/loader.hpp"
#include "importspy/util/utf8.hpp"

namespace importspy {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSection = "importlinter";
constexpr std::size_t kMaxBytes = 4u << 20;  // as for contracts: a configuration is a short text

[[noreturn]] void fail(ContractErrorKind kind, const std::string& file, SourceMark mark, std::string message, std::string hint) {
  throw ContractError(kind, file, mark.line, mark.column, std::move(message), std::move(hint));
}

// An INI option as import-linter passes it on: a value written on one line is one value; a value
// continued over lines is a list of its non-blank lines (import-linter's list fields skip blank ones).
RawArchitectureOption raw_option(const IniOption& option) {
  RawArchitectureOption raw;
  raw.key = option.key;
  raw.mark = option.mark;
  raw.is_list = option.lines.size() > 1;
  for (const IniValueLine& line : option.lines) {
    if (raw.is_list && line.text.empty()) continue;
    raw.values.push_back(line.text);
    raw.value_marks.push_back(line.mark);
  }
  return raw;
}

// The options of a section; a written `id` names the rule instead (import-linter lets it override the
// id taken from the section name).
void fill_rule(const IniDocument& document, const IniSection& section, RawArchitectureRule& rule) {
  for (const IniOption& option : document.interpolated_options(section)) {
    if (option.key == "id" && option.lines.size() == 1) {
      rule.id = option.lines.front().text;
      continue;
    }
    rule.options.push_back(raw_option(option));
  }
}

SourceMark mark_of(const toml::source_region& region) {
  return {static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

// A TOML scalar as import-linter hands it to its fields: strings as written, booleans as Python prints
// them ("True"/"False"), numbers as their text.
std::optional<std::string> scalar_text(const toml::node& node) {
  if (const auto* text = node.as_string()) return text->get();
  if (const auto* flag = node.as_boolean()) return flag->get() ? "True" : "False";
  if (const auto* number = node.as_integer()) return std::to_string(number->get());
  if (const auto* number = node.as_floating_point()) {
    std::ostringstream out;
    out << *number;
    return out.str();
  }
  return std::nullopt;
}

std::string type_name(const toml::node& node) {
  std::ostringstream out;
  out << node.type();
  return out.str();
}

RawArchitectureOption toml_option(const std::string& file, const toml::key& key, const toml::node& node, const std::string& where) {
  RawArchitectureOption raw;
  raw.key = std::string(key.str());
  raw.mark = mark_of(key.source());
  const std::string fix = "write a string, a boolean, a number or an array of strings";
  if (const toml::array* array = node.as_array()) {
    raw.is_list = true;
    for (const toml::node& item : *array) {
      std::optional<std::string> text = scalar_text(item);
      if (!text)
        fail(ContractErrorKind::wrong_type, file, mark_of(item.source()),
             "an item of `" + raw.key + "` in " + where + " is a " + type_name(item) +
                 "; expected a string",
             "write each item as a quoted string");
      raw.values.push_back(std::move(*text));
      raw.value_marks.push_back(mark_of(item.source()));
    }
    return raw;
  }
  std::optional<std::string> text = scalar_text(node);
  if (!text)
    fail(ContractErrorKind::wrong_type, file, mark_of(node.source()),
         "`" + raw.key + "` in " + where + " is a " + type_name(node) +
             "; expected a string, a boolean, a number or an array",
         fix);
  raw.values.push_back(std::move(*text));
  raw.value_marks.push_back(mark_of(node.source()));
  return raw;
}

std::string read_text(const fs::path& path, const std::string& display) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    fail(ContractErrorKind::unreadable, display, {}, "the configuration path is a directory",
         "name the file itself: .importlinter, setup.cfg or pyproject.toml");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fail(ContractErrorKind::unreadable, display, {}, "the configuration file cannot be read (permission denied?)", "check the file's permissions");
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxBytes)
      fail(ContractErrorKind::too_large, display, {}, "the configuration file is larger than " + std::to_string(kMaxBytes) + " bytes",
           "check that this is the file you meant");
  }
  if (in.bad()) fail(ContractErrorKind::unreadable, display, {}, "reading the configuration file failed", "check the file and the disk");
  if (const std::size_t bad = first_invalid_utf8(text); bad != std::string::npos)
    fail(ContractErrorKind::not_utf8, display, mark_at_offset(text, bad), "the configuration file is not UTF-8 text",
         "save the file as UTF-8");
  return text;
}

bool is_toml_name(const std::string& name) { return name.size() >= 5 && name.compare(name.size() - 5, 5, ".toml") == 0; }

// What lint-imports checks of one file before it builds a graph.
void check_contracts(const RawArchitecture& raw) {
  if (raw.rules.empty())
    fail(ContractErrorKind::missing_key, raw.file, raw.mark, "no contracts found in " + raw.file,
         "put each contract in an [importlinter:contract:<id>] section (INI files) or a [[tool.importlinter.contracts]] table (TOML files)");
  std::set<std::string> seen;
  for (const RawArchitectureRule& rule : raw.rules) {
    if (rule.id.empty()) continue;
    if (rule.id.find(':') != std::string::npos)
      fail(ContractErrorKind::invalid_value, raw.file, rule.mark, "the contract id `" + rule.id + "` contains a colon",
           "choose an id without `:` (`--contract FILE:ID` uses the colon to name a file)");
    if (!seen.insert(rule.id).second)
      fail(ContractErrorKind::duplicate_key, raw.file, rule.mark, "more than one contract has the id `" + rule.id + "`",
           "give each contract of a file its own id");
  }
}

}  // namespace

std::optional<RawArchitecture> import_linter_from_ini(std::string_view text, const std::string& file) {
  const IniDocument document = parse_import_linter_ini(text, file);
  const IniSection* session = document.find(kSection);
  if (!session) return std::nullopt;
  RawArchitecture raw;
  raw.file = file;
  raw.mark = session->mark;
  for (const IniOption& option : document.interpolated_options(*session)) raw.session.push_back(raw_option(option));
  const std::string prefix = std::string(kSection) + ":";
  for (const IniSection& section : document.sections) {
    if (section.name.compare(0, prefix.size(), prefix) != 0) continue;
    RawArchitectureRule rule;
    rule.id = section.name.substr(section.name.rfind(':') + 1);
    rule.mark = section.mark;
    fill_rule(document, section, rule);
    raw.rules.push_back(std::move(rule));
  }
  return raw;
}

std::optional<RawArchitecture> import_linter_from_toml(std::string_view text, const std::string& file) {
  toml::table document;
  try {
    document = toml::parse(text, file);
  } catch (const toml::parse_error& error) {
    fail(ContractErrorKind::syntax, file, mark_of(error.source()), "not valid TOML: " + std::string(error.description()),
         "fix the TOML syntax at this place");
  }
  const toml::table* tool = document["tool"].as_table();
  const toml::node* node = tool ? tool->get("importlinter") : nullptr;
  if (!node) return std::nullopt;
  const toml::table* settings = node->as_table();
  if (!settings)
    fail(ContractErrorKind::wrong_type, file, mark_of(node->source()), "`tool.importlinter` is not a table",
         "write a [tool.importlinter] table");
  if (settings->empty()) return std::nullopt;
  RawArchitecture raw;
  raw.file = file;
  raw.mark = mark_of(settings->source());
  for (const auto& [key, value] : *settings) {
    if (key.str() == "contracts") continue;
    raw.session.push_back(toml_option(file, key, value, "[tool.importlinter]"));
  }
  if (const toml::node* contracts = settings->get("contracts")) {
    const toml::array* array = contracts->as_array();
    if (!array)
      fail(ContractErrorKind::wrong_type, file, mark_of(contracts->source()), "`tool.importlinter.contracts` is not an array of tables",
           "write each contract as a [[tool.importlinter.contracts]] table");
    for (const toml::node& item : *array) {
      const toml::table* table = item.as_table();
      if (!table)
        fail(ContractErrorKind::wrong_type, file, mark_of(item.source()), "an item of `tool.importlinter.contracts` is not a table",
             "write each contract as a [[tool.importlinter.contracts]] table");
      RawArchitectureRule rule;
      rule.mark = mark_of(table->source());
      for (const auto& [key, value] : *table) {
        if (key.str() == "id") {
          const auto* id = value.as_string();
          if (!id)
            fail(ContractErrorKind::wrong_type, file, mark_of(value.source()), "the contract `id` is not a string", "write the id as a quoted string");
          rule.id = id->get();
          continue;
        }
        rule.options.push_back(toml_option(file, key, value, "a [[tool.importlinter.contracts]] table"));
      }
      raw.rules.push_back(std::move(rule));
    }
  }
  return raw;
}

std::optional<RawArchitecture> read_import_linter_file(const fs::path& path, const std::string& display) {
  const std::string text = read_text(path, display);
  return is_toml_name(path.filename().string()) ? import_linter_from_toml(text, display) : import_linter_from_ini(text, display);
}

std::vector<RawArchitecture> find_import_linter_config(const std::vector<std::string>& named, const fs::path& directory) {
  std::vector<RawArchitecture> found;
  if (named.empty()) {
    for (std::string_view candidate : kImportLinterConfigFiles) {
      const fs::path path = directory / candidate;
      std::error_code ec;
      if (!fs::exists(path, ec)) continue;
      if (std::optional<RawArchitecture> raw = read_import_linter_file(path, std::string(candidate))) {
        found.push_back(std::move(*raw));
        break;
      }
    }
    if (found.empty())
      fail(ContractErrorKind::unreadable, directory.string(), {}, "no import-linter configuration found",
           "write an [importlinter] section in setup.cfg or .importlinter, or [tool.importlinter] in pyproject.toml, or name the file");
  } else {
    std::set<fs::path> seen;
    for (const std::string& name : named) {
      const fs::path path = fs::path(name).is_absolute() ? fs::path(name) : directory / name;
      std::error_code ec;
      if (!fs::exists(path, ec))
        fail(ContractErrorKind::unreadable, name, {}, "the configuration file does not exist",
             "check the path; relative paths are resolved against the working directory");
      // The same file named twice (overlapping globs, a link) is read once.
      const fs::path real = fs::weakly_canonical(path, ec);
      if (!seen.insert(ec ? path : real).second) continue;
      std::optional<RawArchitecture> raw = read_import_linter_file(path, name);
      if (!raw)
        fail(ContractErrorKind::missing_key, name, {},
             is_toml_name(name) ? "no [tool.importlinter] table in the file" : "no [importlinter] section in the file",
             is_toml_name(name) ? "add a [tool.importlinter] table with root_packages and contracts"
                                : "add an [importlinter] section with root_packages, and [importlinter:contract:<id>] sections");
      found.push_back(std::move(*raw));
    }
  }
  for (const RawArchitecture& raw : found) check_contracts(raw);
  return found;
}

}  // namespace importspy
