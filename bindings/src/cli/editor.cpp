#include "cli/editor.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>

#include "extract/dependencies.hpp"
#include "extract/environment_probe.hpp"
#include "extract/source_bytes.hpp"
#include "extract/static_extractor.hpp"
#include "interop/errors.hpp"
#include "importspy/contract/editing.hpp"
#include "importspy/contract/lint.hpp"
#include "importspy/contract/loader.hpp"
#include "importspy/generate/contract_writer.hpp"
#include "importspy/policy/editing.hpp"
#include "importspy/policy/loader.hpp"
#include "importspy/project/config.hpp"
#include "importspy/util/suggest.hpp"
#include "importspy/util/yaml_place.hpp"

namespace importspy::bindings {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr int kError = 1;
constexpr int kWarning = 2;

json position_json(TextPosition p) { return {{"line", p.line}, {"character", p.character}}; }
json range_json(TextRange r) { return {{"start", position_json(r.start)}, {"end", position_json(r.end)}}; }

bool contains(TextRange r, TextPosition p) {
  const auto before = [](TextPosition a, TextPosition b) { return a.line < b.line || (a.line == b.line && a.character <= b.character); };
  return before(r.start, p) && before(p, r.end);
}

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// What kind of document the text is, from its top-level keys (works while the YAML is broken).
std::string schema_description(std::string_view text) {
  const LineIndex lines(text);
  for (std::size_t l = 0; l < lines.line_count(); ++l) {
    const std::string_view line = lines.line(static_cast<int>(l));
    const auto value_of = [&](std::string_view key) {
      std::string_view rest = line.substr(key.size());
      const std::size_t hash = rest.find(" #");
      rest = rest.substr(0, hash);
      while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
      while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
      return std::string(rest.empty() ? "(none)" : rest);
    };
    if (line.starts_with("schema_version:")) return "ImportSpy 0.5 policy, schema_version " + value_of("schema_version:");
    if (line.starts_with("importspy:")) return "ImportSpy contract, schema " + value_of("importspy:") + " (`importspy: 1`)";
  }
  return "ImportSpy 0.x contract format (no `importspy:` key; `importspy migrate` writes schema 1)";
}

json diagnostic(TextRange range, int severity, const std::string& code, const std::string& message, const std::string& hint) {
  return {{"range", range_json(range)}, {"severity", severity}, {"code", code}, {"message", message}, {"hint", hint}};
}

// The contract of `text` as `check` reads it: a 0.5 policy's 0.4 keys, or the contract itself; nullptr for
// a policy without 0.4 keys. Throws ContractError or policy::PolicyError.
std::shared_ptr<const Contract> compile(const std::string& text, const std::string& path) {
  if (!policy::is_policy_text(text)) return parse_contract(text, path);
  const policy::Policy read = policy::parse_policy(text, path);
  return read.structure ? parse_contract(*read.structure, path) : nullptr;
}

// The range of what line `line` (1-based; 0: the module itself, its first line) defines: the name after
// `def` or `class`, else the line's text.
TextRange definition_range(const LineIndex& lines, int line) {
  const int index = line > 0 ? std::min(line - 1, static_cast<int>(lines.line_count()) - 1) : 0;
  const std::string_view text = lines.line(index);
  std::size_t start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) return {{index, 0}, {index, 0}};
  if (line <= 0) start = 0;  // the module itself: its whole first line
  std::size_t end = text.size();
  for (const std::string_view word : {"async def ", "def ", "class "}) {
    if (line <= 0) break;
    if (text.substr(start).starts_with(word)) {
      std::size_t name = start + word.size();
      while (name < text.size() && text[name] == ' ') ++name;
      std::size_t stop = name;
      while (stop < text.size() && (std::isalnum(static_cast<unsigned char>(text[stop])) || text[stop] == '_' || static_cast<unsigned char>(text[stop]) >= 0x80)) ++stop;
      if (stop > name) {
        start = name;
        end = stop;
      }
      break;
    }
  }
  while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return {{index, utf16_length(text.substr(0, start))}, {index, utf16_length(text.substr(0, end))}};
}

// The range of the word `name` on line `line` (1-based) of the module, else of the line's definition.
TextRange name_range(const LineIndex& lines, int line, const std::string& name) {
  const TextRange fallback = definition_range(lines, line);
  if (line <= 0 || name.empty()) return fallback;
  const std::string_view text = lines.line(line - 1);
  const auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80; };
  for (std::size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    const bool left = at == 0 || !word_char(text[at - 1]);
    const bool right = at + name.size() >= text.size() || !word_char(text[at + name.size()]);
    if (left && right) return {{line - 1, utf16_length(text.substr(0, at))}, {line - 1, utf16_length(text.substr(0, at + name.size()))}};
  }
  return fallback;
}

std::string module_name_of(const std::string& path) {
  try {
    if (auto config = find_project_config(fs::path(path).parent_path())) return module_name_for_path(path, config->directory);
  } catch (const ConfigError&) {
  }
  return fs::path(path).stem().string();
}

ModuleFacts facts_of(const std::string& module_text, const std::string& module_path, bool hashes) {
  ExtractOptions options;
  options.structure_hashes = hashes;
  options.file_sha256 = hashes;
  return extract_static_source(module_text, module_path, module_name_of(module_path), options);
}

// Every definition of the module by the name a contract entry gives it (`f`, `C`, `C.m`, `C.attr`, `v`),
// with the range of its name.
std::vector<std::pair<std::string, TextRange>> definitions_of(const ModuleFacts& facts, const LineIndex& lines) {
  std::vector<std::pair<std::string, TextRange>> out;
  for (const auto& v : facts.variables) out.emplace_back(v.name, name_range(lines, v.line, v.name));
  for (const auto& f : facts.functions) out.emplace_back(f.name, name_range(lines, f.line, f.name));
  for (const auto& c : facts.classes) {
    out.emplace_back(c.name, name_range(lines, c.line, c.name));
    for (const auto& m : c.methods) {
      if (m.line > 0) out.emplace_back(c.name + "." + m.name, name_range(lines, m.line, m.name));
    }
    for (const auto& a : c.attributes) {
      if (a.line > 0) out.emplace_back(c.name + "." + a.name, name_range(lines, a.line, a.name));
    }
  }
  return out;
}

// ---- mechanical fixes -------------------------------------------------------------------------------

struct ParameterList {
  std::size_t open = 0, close = 0;     // byte offsets of `(` and `)`
  std::vector<std::size_t> commas;     // top-level commas between them
  bool found = false;
};

// The parameter list of the `def` at line `line` (1-based): parentheses, strings and comments followed.
ParameterList parameter_list(std::string_view text, const LineIndex& lines, int line, const std::string& name) {
  ParameterList out;
  std::size_t at = lines.offset({line - 1, 0});
  const std::size_t def = text.find("def ", at);
  if (def == std::string_view::npos) return out;
  const std::size_t named = text.find(name, def + 4);
  if (named == std::string_view::npos) return out;
  std::size_t i = named + name.size();
  int depth = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '[') ++depth;  // type parameters: def f[T](...)
    else if (c == ']') --depth;
    else if (c == '(' && depth == 0) break;
    else if (c == ':' || c == '\n') return out;
  }
  if (i >= text.size()) return out;
  out.open = i;
  depth = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      const bool triple = i + 2 < text.size() && text[i + 1] == c && text[i + 2] == c;
      const std::string_view end = triple ? std::string_view(&text[i], 3) : std::string_view(&text[i], 1);
      i += end.size();
      while (i < text.size() && text.substr(i, end.size()) != end) i += text[i] == '\\' ? 2 : 1;
      i += end.size() - 1;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    else if (c == ')' || c == ']' || c == '}') {
      if (--depth == 0) {
        out.close = i;
        out.found = true;
        return out;
      }
    } else if (c == ',' && depth == 1) {
      out.commas.push_back(i);
    }
  }
  return out;
}

const FunctionRule* function_rule(const Contract& contract, const std::string& function, const std::string& klass) {
  if (klass.empty()) {
    for (const auto& f : contract.module.functions) {
      if (f.name == function) return &f;
    }
    return nullptr;
  }
  for (const auto& c : contract.module.classes) {
    if (c.name != klass) continue;
    for (const auto& m : c.methods) {
      if (m.name == function) return &m;
    }
  }
  return nullptr;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

// `add parameter name = default` where the violation and the contract make it mechanical: the contract's
// argument, placed after the parameter the contract puts before it, in a signature of plain parameters
// only, where the defaults stay in a valid order.
std::optional<json> add_parameter_fix(const Violation& v, const Contract& contract, const ModuleFacts& facts, std::string_view text, const LineIndex& lines) {
  const auto parts = split_path(v.path);
  std::string klass, function, argument;
  if (parts.size() == 4 && parts[0] == "functions" && parts[2] == "arguments") {
    function = parts[1];
    argument = parts[3];
  } else if (parts.size() == 6 && parts[0] == "classes" && parts[2] == "methods" && parts[4] == "arguments") {
    klass = parts[1];
    function = parts[3];
    argument = parts[5];
  } else {
    return std::nullopt;
  }
  const FunctionRule* rule = function_rule(contract, function, klass);
  const FunctionFact* fact = nullptr;
  if (klass.empty()) {
    fact = facts.find_function(function);
  } else if (const ClassFact* c = facts.find_class(klass)) {
    for (const auto& m : c->methods) {
      if (m.name == function) fact = &m;
    }
  }
  if (!rule || !fact || fact->line <= 0) return std::nullopt;
  for (const auto& p : fact->parameters) {
    if (p.kind != ParameterKind::positional_or_keyword) return std::nullopt;
  }
  const auto wanted = std::find_if(rule->arguments.begin(), rule->arguments.end(), [&](const ArgumentRule& a) { return a.name == argument; });
  if (wanted == rule->arguments.end() || (wanted->kind && *wanted->kind != ParameterKind::positional_or_keyword)) return std::nullopt;
  // After the parameter the contract declares before it (else at the end).
  std::size_t index = fact->parameters.size();
  for (auto it = std::make_reverse_iterator(wanted); it != rule->arguments.rend(); ++it) {
    const auto found = std::find_if(fact->parameters.begin(), fact->parameters.end(), [&](const ParameterFact& p) { return p.name == it->name; });
    if (found != fact->parameters.end()) {
      index = static_cast<std::size_t>(found - fact->parameters.begin()) + 1;
      break;
    }
  }
  const bool has_default = wanted->default_value.has_value();
  for (std::size_t i = 0; i < fact->parameters.size(); ++i) {
    if (i < index && !has_default && fact->parameters[i].default_value) return std::nullopt;  // a default before a parameter without one
    if (i >= index && has_default && !fact->parameters[i].default_value) return std::nullopt;
  }
  const ParameterList list = parameter_list(text, lines, fact->line, fact->name);
  if (!list.found || list.commas.size() + 1 < fact->parameters.size()) return std::nullopt;
  std::string inserted = wanted->name;
  if (wanted->annotation) inserted += ": " + wanted->annotation->written;
  if (has_default) inserted += (wanted->annotation ? " = " : "=") + wanted->default_value->repr();
  std::size_t at;
  if (fact->parameters.empty()) {
    at = list.open + 1;
  } else if (index == 0) {
    at = list.open + 1;
    inserted += ", ";
  } else {
    // The end of parameter index-1: before its comma, or before `)`.
    at = index - 1 < list.commas.size() ? list.commas[index - 1] : list.close;
    while (at > list.open + 1 && (text[at - 1] == ' ' || text[at - 1] == '\n' || text[at - 1] == '\t' || text[at - 1] == '\r')) --at;
    if (index - 1 >= list.commas.size() && at > 0 && text[at - 1] == ',') --at;  // a trailing comma stays after the new parameter
    inserted = ", " + inserted;
  }
  const TextPosition where = lines.position_of_offset(at);
  return json{{"title", "Add parameter `" + wanted->name + "` to " + function + " as the contract declares"},
              {"code", v.code},
              {"edits", json::array({{{"range", range_json({where, where})}, {"text", inserted}}})}};
}

// `rename to the contracted name`: a missing definition whose name is a typo away from one the module has.
std::optional<json> rename_fix(const Violation& v, const ModuleFacts& facts, const LineIndex& lines) {
  if (!v.expected) return std::nullopt;
  const std::string& wanted = *v.expected;
  std::vector<std::pair<std::string, int>> candidates;  // name, line
  std::string klass;
  if (v.code == "function-missing") {
    for (const auto& f : facts.functions) candidates.emplace_back(f.name, f.line);
  } else if (v.code == "class-missing") {
    for (const auto& c : facts.classes) candidates.emplace_back(c.name, c.line);
  } else if (v.code == "variable-missing") {
    for (const auto& x : facts.variables) candidates.emplace_back(x.name, x.line);
  } else if (v.code == "method-missing") {
    const auto parts = split_path(v.path);
    if (parts.size() < 2 || parts[0] != "classes") return std::nullopt;
    if (const ClassFact* c = facts.find_class(parts[1])) {
      for (const auto& m : c->methods) candidates.emplace_back(m.name, m.line);
    }
  } else {
    return std::nullopt;
  }
  std::vector<std::string_view> names;
  for (const auto& [name, line] : candidates) names.push_back(name);
  const auto match = closest_match(wanted, names);
  if (!match) return std::nullopt;
  const auto found = std::find_if(candidates.begin(), candidates.end(), [&](const auto& c) { return c.first == *match; });
  if (found->second <= 0) return std::nullopt;
  const TextRange range = name_range(lines, found->second, found->first);
  return json{{"title", "Rename `" + found->first + "` to `" + wanted + "`, the contracted name"},
              {"code", v.code},
              {"edits", json::array({{{"range", range_json(range)}, {"text", wanted}}})}};
}

}  // namespace

std::string editor_contract_diagnostics(const std::string& text, const std::string& path) {
  json diagnostics = json::array();
  const bool is_policy = policy::is_policy_text(text);
  try {
    if (const auto contract = compile(text, path)) {
      for (const auto& finding : lint_contract(*contract)) {
        diagnostics.push_back(diagnostic(token_range(text, finding.mark), kWarning, finding.code, finding.message, finding.hint));
      }
    }
  } catch (const ContractError& error) {
    diagnostics.push_back(diagnostic(token_range(text, {error.line(), error.column()}), kError, std::string(to_string(error.kind())), error.message(), error.hint()));
  } catch (const policy::PolicyError& error) {
    diagnostics.push_back(diagnostic(token_range(text, {error.line(), error.column()}), kError, "policy-invalid", error.message(), error.hint()));
  }
  json filename;  // the module the contract names at its top level (`filename:`), for the editor to pair them
  for (const auto& key : contract_outline(text)) {
    if (key.keys.size() == 1 && key.keys[0] == "filename" && key.value) filename = *key.value;
  }
  return dump({{"kind", is_policy ? "policy" : "contract"}, {"schema", schema_description(text)}, {"filename", filename}, {"diagnostics", std::move(diagnostics)}});
}

bool editor_is_contract(const std::string& path, const std::string& text) {
  const std::string name = fs::path(path).filename().string();
  if (name == "spymodel.yml" || name == "spymodel.yaml" || name.ends_with(".spymodel.yml") || name.ends_with(".spymodel.yaml")) return true;
  const LineIndex lines(text);
  for (std::size_t l = 0; l < lines.line_count(); ++l) {
    const std::string_view line = lines.line(static_cast<int>(l));
    if (line.starts_with("importspy:") || line.starts_with("schema_version:")) return true;
  }
  try {
    if (const auto config = find_project_config(fs::path(path).parent_path())) {
      std::error_code ec;
      const fs::path self = fs::weakly_canonical(path, ec);
      for (const auto& mapping : config->contracts) {
        if (fs::weakly_canonical(mapping.contract, ec) == self) return true;
      }
      for (const auto& package : config->packages) {
        if (fs::weakly_canonical(package.contract, ec) == self) return true;
      }
    }
  } catch (const ConfigError&) {
  }
  return false;
}

std::string editor_complete(const std::string& text, int line, int character) {
  json items = json::array();
  if (schema_description(text).starts_with("ImportSpy 0.5 policy")) {  // its own keys, the contract language's under its 0.4 keys
    if (const auto place = yaml_place(text, {line, character})) {
      if (const auto offered = policy::complete_policy(*place)) {
        for (const auto& c : *offered) items.push_back({{"label", c.label}, {"detail", c.detail}, {"documentation", ""}, {"kind", c.is_key ? "key" : "value"}});
        return dump(items);
      }
    }
  }
  for (const auto& c : complete_contract(text, {line, character})) {
    items.push_back({{"label", c.label}, {"detail", c.detail}, {"documentation", c.documentation}, {"kind", c.is_key ? "key" : "value"}});
  }
  return dump(items);
}

std::string editor_hover(const std::string& text, const std::string& path, int line, int character) {
  (void)path;
  for (const auto& key : contract_outline(text)) {
    if (!contains(key.key_range, {line, character})) continue;
    std::string markdown = "**`" + key.keys.back() + "`** · `" + key.path + "`\n\n";
    if (schema_description(text).starts_with("ImportSpy 0.5 policy") && !policy::is_structural_key(key.keys.front())) {
      markdown += "A key of ImportSpy 0.5 policies.\n\nDocumentation: *ImportSpy 0.5 policies*, `docs/policies-0.5.md#keys`\n\n";
    } else if (const auto docs = key_documentation(key.keys)) {
      markdown += docs->summary + "\n\nDocumentation: *The contract language*, `docs/contract-language.md" + docs->anchor + "`\n\n";
    }
    markdown += "Schema: " + schema_description(text);
    return dump({{"range", range_json(key.key_range)}, {"markdown", markdown}});
  }
  return "null";
}

std::string editor_governing_contract(const std::string& path) {
  try {
    const auto config = find_project_config(fs::path(path).parent_path());
    if (!config) return "null";
    const std::string module = module_name_for_path(path, config->directory);
    const ContractMapping* mapping = config->mapping_for(fs::absolute(path), module);
    if (!mapping) return "null";
    return dump({{"contract", mapping->contract.string()}, {"settings", config->file.string()}, {"module", module}});
  } catch (const ConfigError&) {
    return "null";
  }
}

std::string editor_check_module(const std::string& module_text, const std::string& module_path, const std::string& contract_path,
                                const std::optional<std::string>& contract_text) {
  json diagnostics = json::array();
  json fixes = json::array();
  const LineIndex lines(module_text);
  const std::string contract_source = contract_text ? *contract_text : read_text(contract_path);
  const TextRange first_line = definition_range(lines, 0);
  std::shared_ptr<const Contract> contract;
  try {
    contract = compile(contract_source, contract_path);
  } catch (const ContractError& error) {
    json d = diagnostic(first_line, kError, "contract-invalid", "the contract " + contract_path + " does not load: " + error.message(), error.hint());
    d["related"] = json::array({{{"file", contract_path}, {"range", range_json(token_range(contract_source, {error.line(), error.column()}))}, {"message", error.message()}}});
    diagnostics.push_back(std::move(d));
  } catch (const policy::PolicyError& error) {
    json d = diagnostic(first_line, kError, "contract-invalid", "the policy " + contract_path + " does not load: " + error.message(), error.hint());
    d["related"] = json::array({{{"file", contract_path}, {"range", range_json(token_range(contract_source, {error.line(), error.column()}))}, {"message", error.message()}}});
    diagnostics.push_back(std::move(d));
  }
  if (!contract) return dump({{"diagnostics", std::move(diagnostics)}, {"fixes", std::move(fixes)}});
  ModuleFacts facts;
  try {
    facts = facts_of(module_text, module_path, needs_hashes(*contract));
  } catch (const LocatedError& error) {
    const TextRange at = error.line() > 0 ? token_range(module_text, {error.line(), error.column()}) : first_line;
    diagnostics.push_back(diagnostic(at, kError, "source-invalid", error.what(), "the module is read as Python source, never run: fix its syntax or encoding"));
    return dump({{"diagnostics", std::move(diagnostics)}, {"fixes", std::move(fixes)}});
  }
  Report report;
  try {
    const EnvironmentFacts environment = probe_environment(referenced_environment_names(*contract));
    report = check_module(*contract, environment, facts, import_context(*contract));
  } catch (const ContractError& error) {  // a required contract that does not load
    diagnostics.push_back(diagnostic(first_line, kError, "contract-invalid", error.what(), error.hint()));
    return dump({{"diagnostics", std::move(diagnostics)}, {"fixes", std::move(fixes)}});
  }
  const LineIndex contract_lines(contract_source);
  for (std::size_t i = 0; i < report.violations.size(); ++i) {
    const Violation& v = report.violations[i];
    json d = diagnostic(definition_range(lines, v.source_line), kError, v.code, v.message, v.hint);
    d["related"] = json::array({{{"file", contract_path}, {"range", range_json(token_range(contract_source, v.contract_mark))}, {"message", "contract rule `" + v.path + "`"}}});
    d["data"] = {{"path", v.path}, {"expected", v.expected ? json(*v.expected) : json()}, {"actual", v.actual ? json(*v.actual) : json()}, {"index", i}};
    diagnostics.push_back(std::move(d));
    std::optional<json> fix = v.code == "argument-missing" ? add_parameter_fix(v, *contract, facts, module_text, lines) : rename_fix(v, facts, lines);
    if (fix) {
      (*fix)["diagnostic"] = i;
      fixes.push_back(std::move(*fix));
    }
  }
  return dump({{"diagnostics", std::move(diagnostics)}, {"fixes", std::move(fixes)}});
}

std::string editor_links(const std::string& contract_text, const std::string& module_text, const std::string& module_path) {
  json entries = json::array();
  for (const auto& key : contract_outline(contract_text)) {
    if (key.definition.empty() || key.keys.back() != "name") continue;
    TextRange range = key.key_range;
    if (key.value) range.end = key.value_range.end;
    entries.push_back({{"range", range_json(range)}, {"definition", key.definition}, {"kind", key.definition_kind}});
  }
  json definitions = json::object();
  try {
    const LineIndex lines(module_text);
    for (const auto& [name, range] : definitions_of(facts_of(module_text, module_path, false), lines)) {
      if (!definitions.contains(name)) definitions[name] = range_json(range);
    }
  } catch (const LocatedError&) {  // a module that does not read has no definitions to go to
  }
  return dump({{"entries", std::move(entries)}, {"definitions", std::move(definitions)}});
}

std::string editor_generate(const std::string& module_text, const std::string& module_path) {
  return generate_contract(facts_of(module_text, module_path, false), {});
}

std::string editor_refresh_pins(const std::string& contract_text, const std::string& module_text, const std::string& module_path) {
  const ModuleFacts facts = facts_of(module_text, module_path, true);
  std::map<std::string, std::string> hashes;
  for (const auto& f : facts.functions) {
    if (f.structure_hash) hashes[f.name] = *f.structure_hash;
  }
  for (const auto& c : facts.classes) {
    if (c.structure_hash) hashes[c.name] = *c.structure_hash;
    for (const auto& m : c.methods) {
      if (m.structure_hash) hashes[c.name + "." + m.name] = *m.structure_hash;
    }
  }
  json edits = json::array();
  const LineIndex lines(contract_text);
  const auto replace = [&](const ContractKey& key, std::string value) {
    const std::size_t start = lines.offset(key.value_range.start), end = lines.offset(key.value_range.end);
    const std::string_view written = std::string_view(contract_text).substr(start, end - start);
    if (!written.empty() && (written.front() == '"' || written.front() == '\'')) value = written.front() + value + written.front();
    if (written != value) edits.push_back({{"range", range_json(key.value_range)}, {"text", value}});
  };
  for (const auto& key : contract_outline(contract_text)) {
    if (!key.value) continue;
    if (key.keys.back() == "hash" && !key.definition.empty()) {
      if (const auto found = hashes.find(key.definition); found != hashes.end()) replace(key, found->second);
    } else if (key.keys.back() == "sha256" && key.keys.size() >= 2 && key.keys[key.keys.size() - 2] == "integrity" && facts.file_sha256) {
      replace(key, (key.value->starts_with("sha256:") ? "sha256:" : "") + *facts.file_sha256);
    }
  }
  return dump(edits);
}

}  // namespace importspy::bindings
