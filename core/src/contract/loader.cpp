#include "importspy/contract/loader.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>

#include "importspy/lang/annotation.hpp"
#include "importspy/lang/identifier.hpp"
#include "importspy/lang/platform.hpp"
#include "importspy/util/ascii.hpp"
#include "importspy/util/float_chars.hpp"
#include "importspy/util/suggest.hpp"
#include "importspy/util/utf8.hpp"

namespace importspy {

std::string_view to_string(ContractErrorKind kind) {
  switch (kind) {
    case ContractErrorKind::unreadable: return "unreadable";
    case ContractErrorKind::too_large: return "too-large";
    case ContractErrorKind::not_utf8: return "not-utf8";
    case ContractErrorKind::syntax: return "syntax";
    case ContractErrorKind::empty: return "empty";
    case ContractErrorKind::too_deep: return "too-deep";
    case ContractErrorKind::too_many_nodes: return "too-many-nodes";
    case ContractErrorKind::duplicate_key: return "duplicate-key";
    case ContractErrorKind::unknown_key: return "unknown-key";
    case ContractErrorKind::missing_key: return "missing-key";
    case ContractErrorKind::wrong_type: return "wrong-type";
    case ContractErrorKind::invalid_value: return "invalid-value";
  }
  return "invalid-value";
}

namespace {

std::string format_what(const std::string& file, int line, int column, const std::string& message, const std::string& hint) {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  out += ": " + message;
  if (!hint.empty()) out += "\n  hint: " + hint;
  return out;
}

}  // namespace

ContractError::ContractError(ContractErrorKind kind, std::string file, int line, int column, std::string message, std::string hint)
    : std::runtime_error(format_what(file, line, column, message, hint)),
      kind_(kind),
      file_(std::move(file)),
      line_(line),
      column_(column),
      message_(std::move(message)),
      hint_(std::move(hint)) {}

namespace {

using Keys = std::span<const std::string_view>;

constexpr std::array<std::string_view, 12> kTopKeys = {"importspy", "filename", "version", "integrity", "variables", "functions", "classes", "imports", "requires", "deployments", "when_unsure", "architecture_rules"};
constexpr std::array<std::string_view, 2> kRequiresKeys = {"module", "contract"};
constexpr std::array<std::string_view, 4> kImportsKeys = {"allowed", "forbidden", "type_checking", "no_cycles"};
constexpr std::array<std::string_view, 6> kModuleKeys = {"filename", "version", "integrity", "variables", "functions", "classes"};
constexpr std::array<std::string_view, 1> kIntegrityKeys = {"sha256"};
constexpr std::array<std::string_view, 3> kVariableKeys = {"name", "value", "annotation"};
constexpr std::array<std::string_view, 4> kFunctionKeys = {"name", "arguments", "return_annotation", "hash"};
constexpr std::array<std::string_view, 4> kArgumentKeys = {"name", "value", "annotation", "kind"};
constexpr std::array<std::string_view, 5> kClassKeys = {"name", "attributes", "methods", "superclasses", "hash"};
constexpr std::array<std::string_view, 4> kAttributeKeys = {"type", "name", "value", "annotation"};
constexpr std::array<std::string_view, 1> kSuperclassKeys = {"name"};
constexpr std::array<std::string_view, 2> kDeploymentKeys = {"arch", "systems"};
constexpr std::array<std::string_view, 3> kSystemKeys = {"os", "environment", "pythons"};
constexpr std::array<std::string_view, 2> kEnvironmentKeys = {"variables", "secrets"};
constexpr std::array<std::string_view, 2> kEnvVariableKeys = {"name", "value"};
constexpr std::array<std::string_view, 1> kSecretKeys = {"name"};
constexpr std::array<std::string_view, 3> kPythonKeys = {"version", "interpreter", "modules"};
constexpr std::array<std::string_view, 5> kParameterKinds = {"positional_only", "positional_or_keyword", "var_positional", "keyword_only", "var_keyword"};
constexpr std::array<std::string_view, 2> kAttributeTypes = {"class", "instance"};

SourceMark mark_of(const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  if (m.is_null()) return {};
  return {m.line + 1, m.column + 1};
}

std::string describe_type(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Scalar: return "`" + node.Scalar() + "`";
    case YAML::NodeType::Null: return "nothing";
    default: return "an undefined node";
  }
}

std::string join_keys(Keys keys) {
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ", ";
    out += keys[i];
  }
  return out;
}

// "did you mean `x`? " when `word` looks like a typo of one of `candidates`, else "".
std::string did_you_mean(std::string_view word, Keys candidates) {
  if (auto guess = closest_match(word, candidates)) return "did you mean `" + std::string(*guess) + "`? ";
  return {};
}

bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  const auto start = [](unsigned char c) { return ascii::is_alpha(c) || c == '_' || c >= 0x80; };
  if (!start(static_cast<unsigned char>(s[0]))) return false;
  for (unsigned char c : s) {
    if (!start(c) && !ascii::is_digit(c)) return false;
  }
  return true;
}

// A dotted Python name: `Plugin`, `plugins.base.Plugin`.
bool is_dotted_name(std::string_view s) {
  if (s.empty()) return false;
  size_t start = 0;
  while (true) {
    const size_t dot = s.find('.', start);
    if (!is_identifier(s.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// Walks the YAML tree along the contract schema. Each function takes the node and the place to blame
// when the node itself carries no useful mark (a null value has none).
class ContractReader {
public:
  ContractReader(std::string source, const ContractLimits& limits) : source_(std::move(source)), limits_(limits) {}

  Contract read(const YAML::Node& root) {
    Contract contract;
    contract.source = source_;
    if (!root.IsMap()) {
      fail(ContractErrorKind::wrong_type, mark_of(root), "a contract must be a mapping of keys such as `filename:` and `classes:`, found " + describe_type(root),
           "start the file with `filename: your_module.py` and the sections you need");
    }
    check_keys(root, kTopKeys, "the contract");
    if (auto node = root["importspy"]; node.IsDefined()) contract.schema_version = read_schema_version(node, mark_of(root));
    contract.module = read_module_fields(root, "the contract");
    contract.module.mark = mark_of(root);
    if (const YAML::Node imports = root["imports"]; imports.IsDefined() && !imports.IsNull()) contract.imports = read_imports(root, imports);
    if (const YAML::Node rules = root["architecture_rules"]; rules.IsDefined() && !rules.IsNull()) {
      contract.architecture_rules = compile_architecture(read_architecture(root, rules));
    }
    for_each_item(root, "requires", "the contract", [&](const YAML::Node& item, SourceMark at) {
      require_map(item, at, "`requires`", "{module: package.module, contract: module.yml}");
      check_keys(item, kRequiresKeys, "an entry of `requires`");
      RequiredContract required;
      required.module = required_text(item, "module", "an entry of `requires`", "package.module");
      if (!is_dotted_name(required.module)) {
        fail(ContractErrorKind::invalid_value, value_mark(item, "module"), "`" + required.module + "` is not a dotted module name (in `requires`)",
             "write the module's absolute dotted name, for example `plugins.base`");
      }
      required.module = identifier_nfkc(required.module);
      required.contract = required_text(item, "contract", "an entry of `requires`", "module.yml");
      required.mark = at;
      contract.required_contracts.push_back(std::move(required));
    });
    for_each_item(root, "deployments", "the contract", [&](const YAML::Node& item, SourceMark at) {
      contract.deployments.push_back(read_deployment(item, at));
    });
    if (const YAML::Node unsure = root["when_unsure"]; unsure.IsDefined()) {
      contract.when_unsure = read_when_unsure(unsure);
      contract.when_unsure.written = true;
      contract.when_unsure.mark = mark_of(unsure);
    }
    return contract;
  }

private:
  // `when_unsure: deny|allow` for every kind of fact, or a mapping `{namespace: .., imports: ..,
  // definitions: ..}` (a kind left out is denied).
  Contract::WhenUnsure read_when_unsure(const YAML::Node& node) {
    const auto verdict = [&](const YAML::Node& value, std::string_view where) {
      if (!value.IsScalar() || (value.Scalar() != "deny" && value.Scalar() != "allow")) {
        fail(ContractErrorKind::invalid_value, mark_of(value),
             "`" + std::string(where) + "` must be `deny` or `allow`, found " + describe_type(value),
             "write `when_unsure: deny` (the default: a rule that needs what the source cannot show is violated), `when_unsure: allow` "
             "(every rule judges what the source shows), or a mapping such as `when_unsure: {namespace: allow, imports: deny, definitions: deny}`");
      }
      return value.Scalar() == "deny";
    };
    Contract::WhenUnsure out;
    if (!node.IsMap()) {
      out.deny_namespace = out.deny_imports = out.deny_definitions = verdict(node, "when_unsure");
      return out;
    }
    static constexpr std::array<std::string_view, 3> kKinds = {"namespace", "imports", "definitions"};
    check_keys(node, kKinds, "`when_unsure`");
    if (const YAML::Node v = node["namespace"]; v.IsDefined()) out.deny_namespace = verdict(v, "when_unsure.namespace");
    if (const YAML::Node v = node["imports"]; v.IsDefined()) out.deny_imports = verdict(v, "when_unsure.imports");
    if (const YAML::Node v = node["definitions"]; v.IsDefined()) out.deny_definitions = verdict(v, "when_unsure.definitions");
    return out;
  }

  [[noreturn]] void fail(ContractErrorKind kind, SourceMark at, std::string message, std::string hint = {}) const {
    throw ContractError(kind, source_, at.line, at.column, std::move(message), std::move(hint));
  }

  void count_node(const YAML::Node& node, int depth) {
    if (++nodes_visited_ > limits_.max_nodes) {
      fail(ContractErrorKind::too_many_nodes, mark_of(node),
           "the contract expands to more than " + std::to_string(limits_.max_nodes) + " nodes",
           "this usually means aliases (`*name`) that expand each other exponentially; write the entries out or reduce the aliases");
    }
    if (depth > limits_.max_depth) {
      fail(ContractErrorKind::too_deep, mark_of(node), "the contract nests deeper than " + std::to_string(limits_.max_depth) + " levels",
           "flatten the value; contracts never need this much nesting");
    }
  }

  // `architecture_rules:` → the raw form every front end shares; compile_architecture validates it.
  RawArchitectureOption architecture_option(const YAML::Node& key, const YAML::Node& value, int depth) {
    RawArchitectureOption option;
    option.key = key.Scalar();
    option.mark = mark_of(key);
    count_node(value, depth);
    if (value.IsSequence()) {
      option.is_list = true;
      for (const YAML::Node& item : value) {
        count_node(item, depth + 1);
        if (!item.IsScalar()) {
          fail(ContractErrorKind::wrong_type, mark_of(item), "each item of `" + option.key + "` must be text, found " + describe_type(item),
               "write one module, layer or import expression per item");
        }
        option.values.push_back(item.Scalar());
        option.value_marks.push_back(mark_of(item));
      }
    } else if (value.IsScalar()) {
      option.values.push_back(value.Scalar());
      option.value_marks.push_back(mark_of(value));
    } else if (value.IsNull()) {
      option.is_list = true;  // `key:` with nothing: an empty list
    } else {
      fail(ContractErrorKind::wrong_type, mark_of(value), "`" + option.key + "` must be text or a list, found " + describe_type(value),
           "write `" + option.key + ": value` or a list of values");
    }
    return option;
  }

  RawArchitecture read_architecture(const YAML::Node& owner, const YAML::Node& node) {
    RawArchitecture raw;
    raw.file = source_;
    raw.mark = value_mark(owner, "architecture_rules");
    count_node(node, 1);
    if (!node.IsMap()) {
      fail(ContractErrorKind::wrong_type, raw.mark, "`architecture_rules` must be a mapping, found " + describe_type(node),
           "write `architecture_rules:` with `rules:` (a list of rules) and, optionally, settings such as `root_packages:`");
    }
    std::set<std::string, std::less<>> seen;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) fail(ContractErrorKind::wrong_type, mark_of(entry.first), "a key in `architecture_rules` must be a plain word");
      const std::string& key = entry.first.Scalar();
      if (!seen.insert(key).second) {
        fail(ContractErrorKind::duplicate_key, mark_of(entry.first), "duplicate key `" + key + "` in `architecture_rules`", "keep one");
      }
      if (key != "rules") {
        raw.session.push_back(architecture_option(entry.first, entry.second, 2));
        continue;
      }
      count_node(entry.second, 2);
      if (!entry.second.IsSequence()) {
        fail(ContractErrorKind::wrong_type, value_mark(node, "rules"), "`rules` of `architecture_rules` must be a list, found " + describe_type(entry.second),
             "write each rule as a list item: `- name: ...` with `type:` and its options");
      }
      for (const YAML::Node& item : entry.second) {
        count_node(item, 3);
        if (!item.IsMap()) {
          fail(ContractErrorKind::wrong_type, mark_of(item), "each architecture rule must be a mapping, found " + describe_type(item),
               "write `- name: ...` with `type:` and its options");
        }
        RawArchitectureRule rule;
        rule.mark = mark_of(item);
        std::set<std::string, std::less<>> rule_keys;
        for (const auto& option : item) {
          if (!option.first.IsScalar()) fail(ContractErrorKind::wrong_type, mark_of(option.first), "a key in an architecture rule must be a plain word");
          if (!rule_keys.insert(option.first.Scalar()).second) {
            fail(ContractErrorKind::duplicate_key, mark_of(option.first), "duplicate key `" + option.first.Scalar() + "` in an architecture rule",
                 "remove one of the two; YAML would silently keep only the last one");
          }
          rule.options.push_back(architecture_option(option.first, option.second, 4));
        }
        raw.rules.push_back(std::move(rule));
      }
    }
    return raw;
  }

  // Rejects duplicate and unknown keys; every mapping in the schema goes through here.
  void check_keys(const YAML::Node& map, Keys allowed, std::string_view where) {
    std::set<std::string, std::less<>> seen;
    for (const auto& entry : map) {
      const YAML::Node& key = entry.first;
      if (!key.IsScalar()) {
        fail(ContractErrorKind::wrong_type, mark_of(key), "a key in " + std::string(where) + " must be a plain word, found " + describe_type(key));
      }
      const std::string& name = key.Scalar();
      if (!seen.insert(name).second) {
        fail(ContractErrorKind::duplicate_key, mark_of(key), "duplicate key `" + name + "` in " + std::string(where),
             "remove one of the two `" + name + "` entries; YAML would silently keep only the last one");
      }
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        fail(ContractErrorKind::unknown_key, mark_of(key), "unknown key `" + name + "` in " + std::string(where),
             did_you_mean(name, allowed) + "Allowed keys here: " + join_keys(allowed) + ".");
      }
    }
  }

  // Where a value sits: its own mark, or its key's when YAML gives a null value no position.
  SourceMark value_mark(const YAML::Node& owner, std::string_view key) const {
    for (const auto& entry : owner) {
      if (entry.first.IsScalar() && entry.first.Scalar() == key) {
        return entry.second.IsNull() ? mark_of(entry.first) : mark_of(entry.second);
      }
    }
    return mark_of(owner);
  }

  // A schema-typed text field: any scalar is taken as written (`3.10` stays "3.10"). Null or absent: nullopt.
  std::optional<std::string> optional_text(const YAML::Node& owner, std::string_view key, std::string_view where) {
    const YAML::Node node = owner[std::string(key)];
    if (!node.IsDefined() || node.IsNull()) return std::nullopt;
    count_node(node, 0);
    if (!node.IsScalar()) {
      fail(ContractErrorKind::wrong_type, value_mark(owner, key),
           "`" + std::string(key) + "` of " + std::string(where) + " must be text, found " + describe_type(node));
    }
    return node.Scalar();
  }

  std::string required_text(const YAML::Node& owner, std::string_view key, std::string_view where, std::string_view example) {
    auto text = optional_text(owner, key, where);
    if (!text || text->empty()) {
      const bool present = owner[std::string(key)].IsDefined();
      fail(present ? ContractErrorKind::invalid_value : ContractErrorKind::missing_key, present ? value_mark(owner, key) : mark_of(owner),
           std::string(where) + (present ? " has an empty `" : " has no `") + std::string(key) + "`",
           "add `" + std::string(key) + ": " + std::string(example) + "`");
    }
    return *std::move(text);
  }

  std::string required_name(const YAML::Node& owner, std::string_view where, std::string_view example) {
    std::string name = required_text(owner, "name", where, example);
    if (!is_identifier(name)) {
      fail(ContractErrorKind::invalid_value, value_mark(owner, "name"), "`" + name + "` is not a Python identifier (in " + std::string(where) + ")",
           "names are written as in code: letters, digits and underscores, not starting with a digit");
    }
    return identifier_nfkc(name);  // the name CPython binds, however the contract spells it
  }

  // Calls `visit` for each item of the list under `key`; a null or absent list has no items.
  template <typename Visit>
  void for_each_item(const YAML::Node& owner, std::string_view key, std::string_view where, Visit&& visit) {
    const YAML::Node list = owner[std::string(key)];
    if (!list.IsDefined() || list.IsNull()) return;
    count_node(list, 1);
    if (!list.IsSequence()) {
      fail(ContractErrorKind::wrong_type, value_mark(owner, key),
           "`" + std::string(key) + "` of " + std::string(where) + " must be a list, found " + describe_type(list),
           "write each entry on its own line starting with `- `");
    }
    for (const YAML::Node& item : list) {
      count_node(item, 2);
      visit(item, item.IsNull() ? value_mark(owner, key) : mark_of(item));
    }
  }

  void require_map(const YAML::Node& item, SourceMark at, std::string_view what, std::string_view example) {
    if (!item.IsMap()) {
      fail(ContractErrorKind::wrong_type, at, "each entry of " + std::string(what) + " must be a mapping, found " + describe_type(item),
           "write it as `- " + std::string(example) + "`");
    }
  }

  int read_schema_version(const YAML::Node& node, SourceMark fallback) {
    const SourceMark at = node.IsNull() ? fallback : mark_of(node);
    if (!node.IsScalar() || node.Scalar() != "1") {
      fail(ContractErrorKind::invalid_value, at, "unsupported contract schema `importspy: " + (node.IsScalar() ? node.Scalar() : describe_type(node)) + "`",
           "this version of ImportSpy reads `importspy: 1`; leave the key out for the ImportSpy 0.x format");
    }
    return 1;
  }

  std::optional<AnnotationRule> read_annotation(const YAML::Node& owner, std::string_view key, std::string_view where) {
    auto text = optional_text(owner, key, where);
    if (!text) return std::nullopt;
    AnnotationSyntaxError error;
    auto canonical = canonical_annotation(*text, &error);
    if (!canonical) {
      SourceMark at = value_mark(owner, key);
      at.column += static_cast<int>(error.offset);
      std::string shown = *text;  // a hostile one may be huge: the start is enough, cut between characters
      if (shown.size() > 80) {
        size_t cut = 60;
        while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
        shown = shown.substr(0, cut) + "…";
      }
      fail(ContractErrorKind::invalid_value, at, "`" + shown + "` is not a Python annotation (in " + std::string(where) + "): " + error.message,
           "write the annotation as in code, for example `list[str]` or `Optional[int]`");
    }
    return AnnotationRule{*std::move(text), *std::move(canonical)};
  }

  std::optional<VersionRule> read_version(const YAML::Node& owner, std::string_view where, bool must_be_pep440) {
    auto text = optional_text(owner, "version", where);
    if (!text) return std::nullopt;
    std::string error;
    auto rule = VersionRule::parse(*text, &error);
    if (rule && must_be_pep440 && !rule->is_pep440()) error = "`" + *text + "` is not a version number";
    if (!rule || !error.empty()) {
      fail(ContractErrorKind::invalid_value, value_mark(owner, "version"), "invalid version in " + std::string(where) + ": " + error,
           "write a version such as `3.11`, `3.11.7`, or a PEP 440 specifier such as `>=3.10,<3.13`");
    }
    return rule;
  }

  // A `value:` follows YAML 1.2 core rules: quoted → str; plain true/false/null/numbers typed as such.
  Value read_value(const YAML::Node& node, int depth) {
    count_node(node, depth);
    switch (node.Type()) {
      case YAML::NodeType::Null:
        return Value::none();
      case YAML::NodeType::Scalar:
        return typed_scalar(node);
      case YAML::NodeType::Sequence: {
        std::vector<Value> items;
        for (const YAML::Node& item : node) items.push_back(read_value(item, depth + 1));
        return Value::list(std::move(items));
      }
      case YAML::NodeType::Map: {
        std::vector<Value::Entry> entries;
        for (const auto& entry : node) entries.emplace_back(read_value(entry.first, depth + 1), read_value(entry.second, depth + 1));
        return Value::mapping(std::move(entries));
      }
      default:
        return Value::none();
    }
  }

  static Value typed_scalar(const YAML::Node& node) {
    const std::string& s = node.Scalar();
    const std::string& tag = node.Tag();
    if (tag == "!" || tag == "tag:yaml.org,2002:str") return Value::string(s);
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Value::none();
    if (s == "true" || s == "True" || s == "TRUE") return Value::boolean(true);
    if (s == "false" || s == "False" || s == "FALSE") return Value::boolean(false);
    if (auto integer = parse_core_integer(s)) return *std::move(integer);
    if (auto number = parse_core_float(s)) return Value::floating(*number);
    return Value::string(s);
  }

  static std::optional<Value> parse_core_integer(std::string_view s) {
    int base = 10;
    std::string_view digits = s;
    bool negative = false;
    if (digits.starts_with("0o")) {
      base = 8;
      digits.remove_prefix(2);
    } else if (digits.starts_with("0x")) {
      base = 16;
      digits.remove_prefix(2);
    } else if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
      negative = digits[0] == '-';
      digits.remove_prefix(1);
    }
    if (digits.empty()) return std::nullopt;
    for (char c : digits) {
      const bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                                 : (c >= '0' && c < static_cast<char>('0' + base));
      if (!ok) return std::nullopt;
    }
    std::uint64_t magnitude = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
    const std::uint64_t max_magnitude = negative ? std::uint64_t{1} << 63 : std::numeric_limits<std::int64_t>::max();
    if (ec == std::errc::result_out_of_range || magnitude > max_magnitude) {
      if (base != 10) return std::nullopt;  // a huge hex/octal literal is kept as text rather than converted
      size_t first = digits.find_first_not_of('0');
      std::string text = first == std::string_view::npos ? "0" : std::string(digits.substr(first));
      return Value::big_integer(negative ? "-" + text : text);
    }
    if (ec != std::errc{} || ptr != digits.data() + digits.size()) return std::nullopt;
    if (negative) return Value::integer(magnitude == (std::uint64_t{1} << 63) ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(magnitude));
    return Value::integer(static_cast<std::int64_t>(magnitude));
  }

  static std::optional<double> parse_core_float(std::string_view s) {
    std::string_view body = s;
    bool negative = false;
    if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
      negative = body[0] == '-';
      body.remove_prefix(1);
    }
    if (body == ".inf" || body == ".Inf" || body == ".INF") return negative ? -HUGE_VAL : HUGE_VAL;
    if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::numeric_limits<double>::quiet_NaN();
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    size_t i = 0;
    size_t int_digits = 0, frac_digits = 0;
    while (i < body.size() && ascii::is_digit(static_cast<unsigned char>(body[i]))) ++i, ++int_digits;
    if (i < body.size() && body[i] == '.') {
      ++i;
      while (i < body.size() && ascii::is_digit(static_cast<unsigned char>(body[i]))) ++i, ++frac_digits;
    }
    if (int_digits == 0 && frac_digits == 0) return std::nullopt;
    if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
      ++i;
      if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
      size_t exp_digits = 0;
      while (i < body.size() && ascii::is_digit(static_cast<unsigned char>(body[i]))) ++i, ++exp_digits;
      if (exp_digits == 0) return std::nullopt;
    }
    if (i != body.size()) return std::nullopt;
    double out = 0;
    const std::string_view text = body.front() == '.' ? body : body;  // from_chars accepts ".5" and "5."
    auto [ptr, ec] = float_chars::from_decimal(text.data(), text.data() + text.size(), out);
    if (ptr != text.data() + text.size() || (ec != std::errc{} && ec != std::errc::result_out_of_range)) return std::nullopt;
    return negative ? -out : out;
  }

  std::optional<Value> optional_value(const YAML::Node& owner) {
    const YAML::Node node = owner["value"];
    if (!node.IsDefined()) return std::nullopt;
    return read_value(node, 3);
  }

  static bool is_sha256_hex(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) { return ascii::is_digit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'); });
  }

  // `hash: "sha256:<64 lowercase hex digits>"` on a function, method or class.
  std::optional<std::string> read_structure_hash(const YAML::Node& owner, std::string_view where) {
    auto text = optional_text(owner, "hash", where);
    if (!text) return std::nullopt;
    if (!text->starts_with("sha256:") || !is_sha256_hex(std::string_view(*text).substr(7))) {
      fail(ContractErrorKind::invalid_value, value_mark(owner, "hash"), "`hash` of " + std::string(where) + " must be \"sha256:\" and 64 hex digits, found `" + *text + "`",
           "copy the value `importspy hash MODULE` prints");
    }
    return text;
  }

  ModuleRule read_module_fields(const YAML::Node& map, std::string_view where) {
    ModuleRule module;
    module.filename = optional_text(map, "filename", where);
    if (const YAML::Node integrity = map["integrity"]; integrity.IsDefined() && !integrity.IsNull()) {
      count_node(integrity, 1);
      if (!integrity.IsMap()) {
        fail(ContractErrorKind::wrong_type, value_mark(map, "integrity"), "`integrity` of " + std::string(where) + " must be a mapping such as `{sha256: ...}`",
             "write `integrity:` with `sha256: <hex>` under it");
      }
      check_keys(integrity, kIntegrityKeys, "the integrity of " + std::string(where));
      // Written bare or with the `sha256:` prefix that `importspy hash` prints and `hash:` pins carry.
      const std::string written = required_text(integrity, "sha256", "the integrity of " + std::string(where), "<64 hex digits>");
      const std::string digest = written.starts_with("sha256:") ? written.substr(7) : written;
      if (!is_sha256_hex(digest)) {
        fail(ContractErrorKind::invalid_value, value_mark(integrity, "sha256"),
             "`sha256` must be 64 lowercase hex digits, with or without the prefix `sha256:`, found `" + written + "`",
             "copy the value `importspy hash MODULE` prints for the file");
      }
      module.file_sha256 = digest;
    }
    module.version = read_version(map, where, false);
    for_each_item(map, "variables", where, [&](const YAML::Node& item, SourceMark at) {
      require_map(item, at, "`variables`", "name: my_variable");
      check_keys(item, kVariableKeys, "a variable");
      VariableRule rule;
      rule.name = required_name(item, "a variable", "my_variable");
      const std::string what = "variable `" + rule.name + "`";
      rule.value = optional_value(item);
      rule.annotation = read_annotation(item, "annotation", what);
      rule.mark = at;
      module.variables.push_back(std::move(rule));
    });
    for_each_item(map, "functions", where, [&](const YAML::Node& item, SourceMark at) {
      module.functions.push_back(read_function(item, at, "function"));
    });
    for_each_item(map, "classes", where, [&](const YAML::Node& item, SourceMark at) {
      module.classes.push_back(read_class(item, at));
    });
    return module;
  }

  // `imports: {allowed: [...], forbidden: [...], type_checking: false}`.
  ImportRules read_imports(const YAML::Node& owner, const YAML::Node& imports) {
    count_node(imports, 1);
    if (!imports.IsMap()) {
      fail(ContractErrorKind::wrong_type, value_mark(owner, "imports"), "`imports` of the contract must be a mapping, found " + describe_type(imports),
           "write `imports:` with `allowed:` and/or `forbidden:` lists of module names under it");
    }
    check_keys(imports, kImportsKeys, "`imports`");
    ImportRules rules;
    rules.mark = value_mark(owner, "imports");
    const auto read_list = [&](std::string_view key, std::vector<ImportPattern>& out) {
      for_each_item(imports, key, "`imports`", [&](const YAML::Node& item, SourceMark at) {
        if (!item.IsScalar()) {
          fail(ContractErrorKind::wrong_type, at, "each entry of `imports." + std::string(key) + "` must be a module name, found " + describe_type(item),
               "write `- package.module` or `- package.*`");
        }
        ImportPattern pattern;
        pattern.written = item.Scalar();
        pattern.mark = at;
        std::string_view name = pattern.written;
        if (name.ends_with(".*")) {
          pattern.submodules_only = true;
          name.remove_suffix(2);
        }
        if (!is_dotted_name(name)) {
          fail(ContractErrorKind::invalid_value, at, "`" + pattern.written + "` is not a module pattern (in `imports." + std::string(key) + "`)",
               "write an absolute dotted module name (`package.module`), or `package.*` for every submodule of a package");
        }
        pattern.module = identifier_nfkc(name);  // `ｓubprocess` is the module `subprocess`
        out.push_back(std::move(pattern));
      });
    };
    read_list("allowed", rules.allowed);
    rules.has_allowed = imports["allowed"].IsDefined() && !imports["allowed"].IsNull();
    read_list("forbidden", rules.forbidden);
    const auto read_flag = [&](std::string_view key, std::string_view hint) {
      const YAML::Node flag = imports[std::string(key)];
      if (!flag.IsDefined()) return false;
      count_node(flag, 2);
      const std::string text = flag.IsScalar() ? flag.Scalar() : std::string();
      if (text != "true" && text != "false") {
        fail(ContractErrorKind::wrong_type, value_mark(imports, key), "`" + std::string(key) + "` of `imports` must be true or false, found " + describe_type(flag),
             std::string(hint));
      }
      return text == "true";
    };
    rules.type_checking = read_flag("type_checking", "write `type_checking: true` to count imports under `if TYPE_CHECKING:`, or leave the key out");
    rules.no_cycles = read_flag("no_cycles", "write `no_cycles: true` to require that the module is in no import cycle, or leave the key out");
    if (rules.no_cycles) rules.no_cycles_mark = value_mark(imports, "no_cycles");
    return rules;
  }

  FunctionRule read_function(const YAML::Node& item, SourceMark at, std::string_view noun) {
    require_map(item, at, noun == "method" ? "`methods`" : "`functions`", "name: run");
    check_keys(item, kFunctionKeys, "a " + std::string(noun));
    FunctionRule rule;
    rule.name = required_name(item, "a " + std::string(noun), "run");
    rule.mark = at;
    const std::string what = std::string(noun) + " `" + rule.name + "`";
    rule.structure_hash = read_structure_hash(item, what);
    for_each_item(item, "arguments", what, [&](const YAML::Node& arg, SourceMark arg_at) {
      rule.arguments.push_back(read_argument(arg, arg_at, what));
    });
    rule.return_annotation = read_annotation(item, "return_annotation", what);
    if (rule.return_annotation) rule.return_annotation_mark = value_mark(item, "return_annotation");
    return rule;
  }

  ArgumentRule read_argument(const YAML::Node& item, SourceMark at, const std::string& owner) {
    require_map(item, at, "`arguments` of " + owner, "name: msg");
    check_keys(item, kArgumentKeys, "an argument of " + owner);
    ArgumentRule rule;
    rule.mark = at;
    std::string name = required_text(item, "name", "an argument of " + owner, "msg");
    if (name.starts_with("**")) {
      rule.kind = ParameterKind::var_keyword;
      name.erase(0, 2);
    } else if (name.starts_with("*")) {
      rule.kind = ParameterKind::var_positional;
      name.erase(0, 1);
    }
    if (!is_identifier(name)) {
      fail(ContractErrorKind::invalid_value, value_mark(item, "name"), "`" + name + "` is not a parameter name (in " + owner + ")",
           "write the name as in the signature: `msg`, `*args` or `**kwargs`");
    }
    rule.name = identifier_nfkc(name);
    const std::string what = "argument `" + rule.name + "` of " + owner;
    if (auto kind = optional_text(item, "kind", what)) {
      const auto found = std::find(kParameterKinds.begin(), kParameterKinds.end(), *kind);
      if (found == kParameterKinds.end()) {
        const std::string hint = did_you_mean(*kind, kParameterKinds);
        fail(ContractErrorKind::invalid_value, value_mark(item, "kind"), "unknown parameter kind `" + *kind + "` for " + what,
             hint + "Kinds: " + join_keys(kParameterKinds) + ".");
      }
      const auto declared = static_cast<ParameterKind>(found - kParameterKinds.begin());
      if (rule.kind && *rule.kind != declared) {
        fail(ContractErrorKind::invalid_value, value_mark(item, "kind"), "`kind: " + *kind + "` contradicts the `*` in the name of " + what,
             "keep either the star prefix or the `kind:` key");
      }
      rule.kind = declared;
    }
    rule.default_value = optional_value(item);
    rule.annotation = read_annotation(item, "annotation", what);
    return rule;
  }

  ClassRule read_class(const YAML::Node& item, SourceMark at) {
    require_map(item, at, "`classes`", "name: MyClass");
    check_keys(item, kClassKeys, "a class");
    ClassRule rule;
    rule.name = required_name(item, "a class", "MyClass");
    rule.mark = at;
    const std::string what = "class `" + rule.name + "`";
    rule.structure_hash = read_structure_hash(item, what);
    for_each_item(item, "attributes", what, [&](const YAML::Node& attr, SourceMark attr_at) {
      rule.attributes.push_back(read_attribute(attr, attr_at, what));
    });
    for_each_item(item, "methods", what, [&](const YAML::Node& method, SourceMark method_at) {
      rule.methods.push_back(read_function(method, method_at, "method"));
    });
    for_each_item(item, "superclasses", what, [&](const YAML::Node& base, SourceMark base_at) {
      rule.superclasses.push_back(read_superclass(base, base_at, what));
    });
    return rule;
  }

  AttributeRule read_attribute(const YAML::Node& item, SourceMark at, const std::string& owner) {
    require_map(item, at, "`attributes` of " + owner, "type: class");
    check_keys(item, kAttributeKeys, "an attribute of " + owner);
    AttributeRule rule;
    rule.name = required_name(item, "an attribute of " + owner, "my_attribute");
    rule.mark = at;
    const std::string what = "attribute `" + rule.name + "` of " + owner;
    const std::string type = required_text(item, "type", what, "class");
    if (type == "class") {
      rule.kind = AttributeKind::class_attribute;
    } else if (type == "instance") {
      rule.kind = AttributeKind::instance_attribute;
    } else {
      const std::string hint = did_you_mean(type, kAttributeTypes);
      fail(ContractErrorKind::invalid_value, value_mark(item, "type"), "unknown attribute type `" + type + "` for " + what,
           hint + "`type:` is `class` (set in the class body) or `instance` (set on self).");
    }
    rule.value = optional_value(item);
    rule.annotation = read_annotation(item, "annotation", what);
    return rule;
  }

  SuperclassRule read_superclass(const YAML::Node& item, SourceMark at, const std::string& owner) {
    std::string name;
    if (item.IsScalar()) {
      name = item.Scalar();
    } else if (item.IsMap()) {
      check_keys(item, kSuperclassKeys, "a superclass of " + owner);
      name = required_text(item, "name", "a superclass of " + owner, "Plugin");
    } else {
      fail(ContractErrorKind::wrong_type, at, "each superclass of " + owner + " must be a class name, found " + describe_type(item),
           "write `- Plugin` or `- name: Plugin`");
    }
    if (!is_dotted_name(name)) {
      fail(ContractErrorKind::invalid_value, at, "`" + name + "` is not a class name (superclass of " + owner + ")",
           "write the class name, optionally qualified: `Plugin` or `plugins.base.Plugin`");
    }
    return SuperclassRule{identifier_nfkc(name), at};
  }

  std::string read_platform_name(const YAML::Node& item, std::string_view key, std::string_view where, std::string_view example,
                                 std::optional<std::string_view> (*canonical)(std::string_view),
                                 std::span<const std::string_view> spellings) {
    const std::string text = required_text(item, key, where, example);
    if (auto name = canonical(text)) return std::string(*name);
    const std::string hint = did_you_mean(text, spellings);
    fail(ContractErrorKind::invalid_value, value_mark(item, key), "unknown " + std::string(key) + " `" + text + "` in " + std::string(where),
         hint + "Accepted: " + join_keys(spellings) + ".");
  }

  DeploymentRule read_deployment(const YAML::Node& item, SourceMark at) {
    require_map(item, at, "`deployments`", "arch: x86_64");
    check_keys(item, kDeploymentKeys, "a deployment");
    DeploymentRule rule;
    rule.arch = read_platform_name(item, "arch", "a deployment", "x86_64", canonical_arch, arch_spellings());
    rule.mark = at;
    const std::string what = "deployment `" + rule.arch + "`";
    for_each_item(item, "systems", what, [&](const YAML::Node& system, SourceMark system_at) {
      rule.systems.push_back(read_system(system, system_at, what));
    });
    return rule;
  }

  SystemRule read_system(const YAML::Node& item, SourceMark at, const std::string& owner) {
    require_map(item, at, "`systems` of " + owner, "os: linux");
    check_keys(item, kSystemKeys, "a system of " + owner);
    SystemRule rule;
    rule.os = read_platform_name(item, "os", "a system of " + owner, "linux", canonical_os, os_spellings());
    rule.mark = at;
    const std::string what = "system `" + rule.os + "` of " + owner;
    if (const YAML::Node env = item["environment"]; env.IsDefined() && !env.IsNull()) {
      count_node(env, 3);
      if (!env.IsMap()) {
        fail(ContractErrorKind::wrong_type, value_mark(item, "environment"), "`environment` of " + what + " must be a mapping, found " + describe_type(env),
             "write `environment:` with `variables:` and `secrets:` lists under it");
      }
      check_keys(env, kEnvironmentKeys, "the environment of " + what);
      read_environment(env, rule, what);
    }
    for_each_item(item, "pythons", what, [&](const YAML::Node& python, SourceMark python_at) {
      rule.pythons.push_back(read_python(python, python_at, what));
    });
    return rule;
  }

  void read_environment(const YAML::Node& env, SystemRule& rule, const std::string& owner) {
    for_each_item(env, "variables", "the environment of " + owner, [&](const YAML::Node& item, SourceMark at) {
      EnvironmentVariableRule variable;
      variable.mark = at;
      if (item.IsScalar()) {
        variable.name = item.Scalar();  // `- NAME`: only presence is required
      } else {
        require_map(item, at, "environment `variables`", "name: APP_ENV");
        check_keys(item, kEnvVariableKeys, "an environment variable of " + owner);
        variable.name = required_text(item, "name", "an environment variable of " + owner, "APP_ENV");
        variable.value = optional_text(item, "value", "environment variable `" + variable.name + "`");
      }
      check_environment_name(variable.name, at, owner);
      rule.environment_variables.push_back(std::move(variable));
    });
    for_each_item(env, "secrets", "the environment of " + owner, [&](const YAML::Node& item, SourceMark at) {
      SecretRule secret;
      secret.mark = at;
      if (item.IsScalar()) {
        secret.name = item.Scalar();
      } else {
        require_map(item, at, "`secrets`", "API_TOKEN");
        check_keys(item, kSecretKeys, "a secret of " + owner);
        secret.name = required_text(item, "name", "a secret of " + owner, "API_TOKEN");
      }
      check_environment_name(secret.name, at, owner);
      rule.secrets.push_back(std::move(secret));
    });
  }

  void check_environment_name(const std::string& name, SourceMark at, const std::string& owner) {
    if (name.empty() || name.find('=') != std::string::npos || name.find('\0') != std::string::npos) {
      fail(ContractErrorKind::invalid_value, at, "`" + name + "` is not an environment variable name (in " + owner + ")",
           "environment variable names are non-empty and contain no `=`");
    }
  }

  PythonRule read_python(const YAML::Node& item, SourceMark at, const std::string& owner) {
    require_map(item, at, "`pythons` of " + owner, "version: 3.11");
    check_keys(item, kPythonKeys, "a python of " + owner);
    PythonRule rule;
    rule.mark = at;
    rule.version = read_version(item, "a python of " + owner, true);
    if (auto text = optional_text(item, "interpreter", "a python of " + owner)) {
      auto name = canonical_interpreter(*text);
      if (!name) {
        const std::string hint = did_you_mean(*text, interpreter_spellings());
        fail(ContractErrorKind::invalid_value, value_mark(item, "interpreter"), "unknown interpreter `" + *text + "` in a python of " + owner,
             hint + "Accepted (any case): " + join_keys(interpreter_spellings()) + ".");
      }
      rule.interpreter = std::string(*name);
    }
    const std::string what = "python " + (rule.version ? rule.version->text() : std::string("(any version)")) + " of " + owner;
    for_each_item(item, "modules", what, [&](const YAML::Node& module, SourceMark module_at) {
      require_map(module, module_at, "`modules` of " + what, "filename: my_module.py");
      check_keys(module, kModuleKeys, "a module of " + what);
      ModuleRule rule_module = read_module_fields(module, "a module of " + what);
      rule_module.mark = module_at;
      rule.modules.push_back(std::move(rule_module));
    });
    return rule;
  }

  std::string source_;
  ContractLimits limits_;
  std::size_t nodes_visited_ = 0;
};

std::string hex_byte(char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto byte = static_cast<unsigned char>(c);
  return std::string{kHex[byte >> 4], kHex[byte & 15]};
}

// The offset of the first C0 control character other than tab, line feed and carriage return, or DEL.
size_t first_control_character(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::shared_ptr<const Contract> parse_contract(std::string_view text, std::string source, const ContractLimits& limits) {
  if (text.size() > limits.max_bytes) {
    throw ContractError(ContractErrorKind::too_large, source, 0, 0,
                        "the contract is " + std::to_string(text.size()) + " bytes, more than the limit of " + std::to_string(limits.max_bytes),
                        "a contract is a short description; check that this is the file you meant");
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (const size_t bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    const SourceMark at = mark_at_offset(text, bad);
    throw ContractError(ContractErrorKind::not_utf8, source, at.line, at.column, "the contract is not valid UTF-8 (byte 0x" + hex_byte(text[bad]) + ")",
                        "save the file as UTF-8");
  }
  // YAML allows no control characters but tab and line breaks; yaml-cpp misreads a NUL (it ends its
  // input there and then decodes the bytes after it as another encoding), so they are refused first.
  if (const size_t bad = first_control_character(text); bad != std::string_view::npos) {
    const SourceMark at = mark_at_offset(text, bad);
    throw ContractError(ContractErrorKind::syntax, source, at.line, at.column,
                        "the contract contains the control character U+00" + hex_byte(text[bad]) + ", which YAML does not allow",
                        "remove it; write \\x" + hex_byte(text[bad]) + " inside a double-quoted string if the value needs it");
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::DeepRecursion& e) {
    throw ContractError(ContractErrorKind::too_deep, source, e.mark.line + 1, e.mark.column + 1,
                        "the contract nests too deeply for the YAML parser", "flatten the value; contracts never need this much nesting");
  } catch (const YAML::Exception& e) {
    throw ContractError(ContractErrorKind::syntax, source, e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1,
                        "YAML syntax error: " + e.msg, "check indentation, colons and quotes around this place");
  }
  if (!root.IsDefined() || root.IsNull()) {
    throw ContractError(ContractErrorKind::empty, source, 0, 0, "the contract is empty",
                        "write at least `filename: your_module.py`, or the sections your module must satisfy");
  }
  ContractReader reader(source, limits);
  Contract contract = reader.read(root);
  contract.secret_names = collect_secret_names(contract);
  return std::make_shared<const Contract>(std::move(contract));
}

std::shared_ptr<const Contract> load_contract_file(const std::filesystem::path& path, const ContractLimits& limits) {
  const std::string source = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ContractError(ContractErrorKind::unreadable, source, 0, 0, "the contract path is a directory", "name the YAML file itself, for example spymodel.yml");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const bool exists = std::filesystem::exists(path, ec);
    throw ContractError(ContractErrorKind::unreadable, source, 0, 0, exists ? "the contract file cannot be read (permission denied?)" : "the contract file does not exist",
                        exists ? "check the file's permissions" : "check the path; relative paths are resolved against the working directory");
  }
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<size_t>(in.gcount()));
    if (text.size() > limits.max_bytes) {
      throw ContractError(ContractErrorKind::too_large, source, 0, 0,
                          "the contract is larger than the limit of " + std::to_string(limits.max_bytes) + " bytes",
                          "a contract is a short description; check that this is the file you meant");
    }
  }
  if (in.bad()) throw ContractError(ContractErrorKind::unreadable, source, 0, 0, "reading the contract file failed", "check the file and the disk");
  return parse_contract(text, source, limits);
}

}  // namespace importspy
