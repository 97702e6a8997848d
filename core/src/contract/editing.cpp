#include "importspy/contract/editing.hpp"

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <span>

#include "importspy/contract/schema.hpp"
#include "importspy/lang/platform.hpp"
#include "importspy/util/yaml_place.hpp"

namespace importspy {
namespace {

using json = nlohmann::json;

// Bounds as the loader's (ContractLimits): an editor must not hang on a hostile buffer.
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxKeys = 200'000;

class Outliner {
public:
  Outliner(std::string_view text, const LineIndex& lines) : text_(text), lines_(lines) {}

  std::vector<ContractKey> run(const YAML::Node& root) {
    walk(root, "", {}, {}, 0);
    return std::move(keys_);
  }

private:
  struct Owner {  // the definition the current entry governs
    std::string definition;
    std::string kind;
    std::string class_name;     // inside a class entry
    std::string function_name;  // inside a function or method entry
  };

  TextRange range_of(const YAML::Node& node, bool key) const {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) return {};
    const std::string_view line = lines_.line(mark.line);
    const std::size_t start = std::min<std::size_t>(static_cast<std::size_t>(mark.column), line.size());
    const std::size_t end = yaml_token_end(line, start, key);
    return {{mark.line, utf16_length(line.substr(0, start))}, {mark.line, utf16_length(line.substr(0, end))}};
  }

  static std::string scalar_of(const YAML::Node& map, const char* key) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (it->first.IsScalar() && it->first.Scalar() == key && it->second.IsScalar()) return it->second.Scalar();
    }
    return {};
  }

  // The owner of an entry of the list under `keys.back()`.
  static Owner entry_owner(const std::vector<std::string>& keys, const YAML::Node& item, const Owner& outer) {
    Owner owner = outer;
    if (keys.empty() || !item.IsMap()) return owner;
    const std::string& list = keys.back();
    const std::string name = scalar_of(item, "name");
    const bool in_environment = keys.size() >= 2 && keys[keys.size() - 2] == "environment";
    if (list == "classes") {
      owner = {name, "class", name, ""};
    } else if (list == "functions") {
      owner = {name, "function", "", name};
    } else if (list == "methods") {
      const std::string qualified = outer.class_name.empty() ? name : outer.class_name + "." + name;
      owner = {qualified, "method", outer.class_name, qualified};
    } else if (list == "attributes") {
      owner = {outer.class_name.empty() ? name : outer.class_name + "." + name, "attribute", outer.class_name, ""};
    } else if (list == "variables" && !in_environment) {
      owner = {name, "variable", "", ""};
    } else if (list == "arguments") {
      owner = {outer.function_name, "argument", outer.class_name, outer.function_name};
    } else {
      owner = {};
    }
    return owner;
  }

  void walk(const YAML::Node& node, const std::string& path, const std::vector<std::string>& keys, const Owner& owner, int depth) {
    if (depth > kMaxDepth || keys_.size() >= kMaxKeys) return;
    if (node.IsMap()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (keys_.size() >= kMaxKeys) return;
        if (!it->first.IsScalar()) continue;
        ContractKey key;
        key.path = path.empty() ? it->first.Scalar() : path + "." + it->first.Scalar();
        key.keys = keys;
        key.keys.push_back(it->first.Scalar());
        key.key_range = range_of(it->first, true);
        if (it->second.IsScalar()) {
          key.value = it->second.Scalar();
          key.value_range = range_of(it->second, false);
        }
        key.definition = owner.definition;
        key.definition_kind = owner.kind;
        const std::string child_path = key.path;
        const std::vector<std::string> child_keys = key.keys;
        keys_.push_back(std::move(key));
        walk(it->second, child_path, child_keys, owner, depth + 1);
      }
    } else if (node.IsSequence()) {
      for (std::size_t i = 0; i < node.size(); ++i) {
        const YAML::Node item = node[i];
        walk(item, path + "[" + std::to_string(i) + "]", keys, entry_owner(keys, item, owner), depth + 1);
      }
    }
  }

  std::string_view text_;
  const LineIndex& lines_;
  std::vector<ContractKey> keys_;
};

// ---- completion ---------------------------------------------------------------------------------------

const json& schema() {
  static const json parsed = json::parse(contract_json_schema());
  return parsed;
}

// `$ref`, `oneOf` (its mapping form) and list items followed until a mapping or a leaf.
const json* resolve(const json* node) {
  for (int guard = 0; node && guard < 16; ++guard) {
    if (node->contains("$ref")) {
      const std::string ref = (*node)["$ref"].get<std::string>();
      node = &schema()["definitions"][ref.substr(ref.rfind('/') + 1)];
    } else if (node->contains("oneOf")) {
      const json* mapping = nullptr;
      for (const auto& option : (*node)["oneOf"]) {
        const json* resolved = resolve(&option);
        if (resolved && resolved->contains("properties")) mapping = resolved;
      }
      return mapping ? mapping : node;
    } else if (node->contains("items")) {
      node = &(*node)["items"];
    } else {
      return node;
    }
  }
  return node;
}

// The schema of the mapping reached along `keys` from the top; nullptr when the schema has no such place.
const json* mapping_at(const std::vector<std::string>& keys) {
  const json* node = &schema();
  for (const auto& key : keys) {
    node = resolve(node);
    if (!node || !node->contains("properties") || !(*node)["properties"].contains(key)) return nullptr;
    node = &(*node)["properties"][key];
  }
  node = resolve(node);
  return node && node->contains("properties") ? node : nullptr;
}

std::string type_word(const json& property) {
  const json* resolved = resolve(&property);
  if (property.contains("items") || (property.contains("type") && property["type"].is_array() && property["type"][0] == "array")) return "list";
  if (resolved && resolved->contains("properties")) return "mapping";
  if (property.contains("enum") || (resolved && resolved->contains("enum"))) return "one of a set";
  if (property.contains("const")) return "constant";
  if (resolved && resolved->contains("type") && (*resolved)["type"] == "boolean") return "boolean";
  return "text";
}

std::vector<std::string_view> canonical_names(std::span<const std::string_view> spellings, std::optional<std::string_view> (*canonical)(std::string_view)) {
  std::vector<std::string_view> names;
  for (const auto spelling : spellings) {
    const auto name = canonical(spelling);
    if (name && std::find(names.begin(), names.end(), *name) == names.end()) names.push_back(*name);
  }
  return names;
}

void add_values(std::vector<CompletionCandidate>& out, const std::vector<std::string>& keys, const std::string& key) {
  const auto add = [&](std::string_view value, const std::string& detail) {
    out.push_back({std::string(value), detail, "", false});
  };
  if (key == "arch") {
    for (const auto name : canonical_names(arch_spellings(), canonical_arch)) add(name, "architecture");
    return;
  }
  if (key == "os") {
    for (const auto name : canonical_names(os_spellings(), canonical_os)) add(name, "operating system");
    return;
  }
  if (key == "interpreter") {
    for (const auto name : canonical_names(interpreter_spellings(), canonical_interpreter)) add(name, "Python interpreter");
    return;
  }
  const json* mapping = mapping_at(keys);
  if (!mapping || !(*mapping)["properties"].contains(key)) return;
  const json& property = (*mapping)["properties"][key];
  const json* resolved = resolve(&property);
  const json* with_enum = property.contains("enum") ? &property : (resolved && resolved->contains("enum")) ? resolved : nullptr;
  if (!with_enum && property.contains("oneOf")) {
    for (const auto& option : property["oneOf"]) {
      if (option.contains("enum")) with_enum = &option;
    }
  }
  if (with_enum) {
    for (const auto& value : (*with_enum)["enum"]) add(value.get<std::string>(), key);
  } else if (property.contains("const")) {
    add(property["const"].dump(), key);
  } else if (resolved && resolved->contains("type") && (*resolved)["type"] == "boolean") {
    add("true", "boolean");
    add("false", "boolean");
  }
}

}  // namespace

TextRange token_range(std::string_view text, SourceMark mark) {
  const LineIndex lines(text);
  if (mark.line <= 0) return {{0, 0}, {0, utf16_length(lines.line(0))}};
  const int line = std::min(mark.line - 1, static_cast<int>(lines.line_count()) - 1);
  const std::string_view content = lines.line(line);
  std::size_t start = std::min<std::size_t>(mark.column > 0 ? static_cast<std::size_t>(mark.column - 1) : 0, content.size());
  std::size_t end = yaml_token_end(content, start, true);
  if (end <= start) {  // nothing to underline there (an empty value, the end of a line): the line's content
    start = content.find_first_not_of(' ');
    if (start == std::string_view::npos) start = 0;
    end = content.size();
  }
  return {{line, utf16_length(content.substr(0, start))}, {line, utf16_length(content.substr(0, end))}};
}

std::vector<ContractKey> contract_outline(std::string_view text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception&) {
    return {};
  }
  const LineIndex lines(text);
  return Outliner(text, lines).run(root);
}

std::vector<CompletionCandidate> complete_contract(std::string_view text, TextPosition at) {
  std::vector<CompletionCandidate> out;
  const auto place = yaml_place(text, at);
  if (!place) return out;
  if (place->value) {
    add_values(out, place->parents, place->key);
    return out;
  }
  const json* mapping = mapping_at(place->parents);
  if (!mapping) return out;
  for (const auto& [name, property] : (*mapping)["properties"].items()) {
    if (std::find(place->siblings.begin(), place->siblings.end(), name) != place->siblings.end()) continue;
    std::vector<std::string> keys = place->parents;
    keys.push_back(name);
    const auto docs = key_documentation(keys);
    out.push_back({name, name + ": " + type_word(property), docs ? docs->summary : "", true});
  }
  return out;
}

std::optional<KeyDocumentation> key_documentation(const std::vector<std::string>& keys) {
  if (keys.empty()) return std::nullopt;
  const std::string& key = keys.back();
  const std::string parent = keys.size() >= 2 ? keys[keys.size() - 2] : "";
  const auto within = [&](std::string_view name) { return std::find(keys.begin(), keys.end() - 1, name) != keys.end() - 1; };
  // Keys whose meaning depends on where they are.
  if (key == "version" && parent == "pythons") return KeyDocumentation{"The Python version this deployment runs, a version rule such as `>=3.10` or `3.12`.", "#deployments"};
  if (key == "variables" && parent == "environment") return KeyDocumentation{"Environment variables that must be set: a name, or `{name, value}` for an exact value.", "#deployments"};
  if (key == "imports" && parent == "when_unsure") return KeyDocumentation{"What an import the source cannot name does to import rules: `deny` (default) or `allow`.", "#unsure-means-no-when_unsure"};
  if ((key == "module" || key == "contract") && parent == "requires") {
    return KeyDocumentation{key == "module" ? "The dotted name of a module this one imports, directly or not." : "Its contract, relative to this contract's folder.",
                            "#required-contracts"};
  }
  if (key == "name" && parent == "superclasses") return KeyDocumentation{"A base class's name; a dotted name is matched against qualified names.", "#classes"};
  if (key == "value" && parent == "arguments") return KeyDocumentation{"The parameter's default value, a literal.", "#functions-methods-and-arguments"};
  if (key == "name" && (parent == "variables" || parent == "secrets") && within("environment")) {
    return KeyDocumentation{"The environment variable's name.", "#deployments"};
  }
  static const std::map<std::string, KeyDocumentation, std::less<>> table = {
      {"importspy", {"Schema version: `1`. Absent: the ImportSpy 0.x format, read the same way.", "#keys"}},
      {"filename", {"The module's file name.", "#file-names"}},
      {"version", {"A rule for the module's `__version__` (`>=1.2`, `1.2.*`, an exact version).", "#versions"}},
      {"integrity", {"`{sha256: <64 hex digits>}`: the module's file must be exactly these bytes (`importspy hash` prints it).", "#integrity-pins"}},
      {"sha256", {"The SHA-256 of the module's file, as `importspy hash` prints it.", "#integrity-pins"}},
      {"hash", {"`sha256:<64 hex digits>`: the definition's structure, pinned (`importspy hash`).", "#integrity-pins"}},
      {"variables", {"Module-level variables: `name` (required), `value`, `annotation`.", "#keys"}},
      {"functions", {"Module-level functions: `name` (required), `arguments`, `return_annotation`.", "#functions-methods-and-arguments"}},
      {"classes", {"Classes: `name` (required), `attributes`, `methods`, `superclasses`.", "#classes"}},
      {"name", {"The definition's name, as written in the module.", "#keys"}},
      {"value", {"A literal the definition must equal (YAML 1.2 core rules).", "#values"}},
      {"annotation", {"An annotation as written in code (`list[str]`), compared in its canonical form.", "#annotations"}},
      {"arguments", {"Parameters required in this relative order: `name`, `annotation`, `value` (the default), `kind`; extras are allowed.",
                     "#functions-methods-and-arguments"}},
      {"kind", {"The parameter's kind: positional_only, positional_or_keyword, var_positional, keyword_only or var_keyword.",
                "#functions-methods-and-arguments"}},
      {"return_annotation", {"The function's return annotation, as written in code.", "#functions-methods-and-arguments"}},
      {"methods", {"The class's methods, shaped like `functions`.", "#classes"}},
      {"attributes", {"Class and instance attributes: `type` (`class` or `instance`) and `name` (required), `value`, `annotation`.", "#classes"}},
      {"type", {"`class` (set in the class body) or `instance` (set on `self`).", "#classes"}},
      {"superclasses", {"Base classes: `- Plugin` or `- name: Plugin`; a dotted name matches qualified names.", "#classes"}},
      {"imports", {"Which modules this module may import: `allowed`, `forbidden`, `type_checking`, `no_cycles`.", "#import-rules"}},
      {"allowed", {"Module patterns the module may import (`pkg`, `pkg.*`); absent: every module not forbidden.", "#import-rules"}},
      {"forbidden", {"Module patterns the module must not import (`pkg` and its submodules, `pkg.*` its submodules).", "#import-rules"}},
      {"type_checking", {"`true`: imports under `if TYPE_CHECKING:` count too.", "#import-rules"}},
      {"no_cycles", {"`true`: the module is in no import cycle.", "#import-rules"}},
      {"requires", {"`{module, contract}` entries: contracts of the modules this one imports, directly or not.", "#required-contracts"}},
      {"deployments", {"Where the module may run: alternatives of `arch` and `systems`.", "#deployments"}},
      {"arch", {"A CPU architecture: x86_64, aarch64, arm, i386, ppc64, ppc64le, s390x, riscv64.", "#deployments"}},
      {"systems", {"Operating systems of this architecture: `os` (required), `environment`, `pythons`.", "#deployments"}},
      {"os", {"An operating system: linux, windows or macos.", "#deployments"}},
      {"environment", {"`variables` and `secrets` the system must set.", "#deployments"}},
      {"secrets", {"Environment variables that must be set and not empty; their values are never shown.", "#deployments"}},
      {"pythons", {"Python versions and interpreters: `version`, `interpreter`, `modules`.", "#deployments"}},
      {"interpreter", {"The Python interpreter: CPython, PyPy, GraalPy, ...", "#deployments"}},
      {"modules", {"Rules for the module on this Python, shaped like the top level (`filename`, `variables`, ...).", "#deployments"}},
      {"when_unsure", {"What a rule does with a fact the source cannot show: `deny` (the default) or `allow`, for all or per kind.",
                       "#unsure-means-no-when_unsure"}},
      {"namespace", {"A module namespace changed at import: `deny` (default) or `allow`.", "#unsure-means-no-when_unsure"}},
      {"definitions", {"A definition the source cannot follow: `deny` (default) or `allow`.", "#unsure-means-no-when_unsure"}},
      {"module", {"A dotted module name.", "#required-contracts"}},
      {"contract", {"A contract file, relative to this contract's folder.", "#required-contracts"}},
  };
  const auto it = table.find(key);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

}  // namespace importspy
