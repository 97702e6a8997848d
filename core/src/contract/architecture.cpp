#include "importspy/contract/architecture.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <span>

#include "importspy/contract/loader.hpp"
#include "importspy/util/suggest.hpp"

namespace importspy {

std::string_view to_string(ArchitectureRuleType type) {
  switch (type) {
    case ArchitectureRuleType::forbidden: return "forbidden";
    case ArchitectureRuleType::layers: return "layers";
    case ArchitectureRuleType::independence: return "independence";
    case ArchitectureRuleType::acyclic_siblings: return "acyclic_siblings";
    case ArchitectureRuleType::protected_modules: return "protected";
    case ArchitectureRuleType::private_modules: return "private_modules";
  }
  return "forbidden";
}

bool ModuleExpression::has_wildcard() const {
  return std::any_of(components.begin(), components.end(), [](const std::string& c) { return c == "*" || c == "**"; });
}

namespace {

// Components of `module` from `m`, against expression components from `e`. `**` takes one component or
// more; backtracking is bounded by the (short) number of components.
bool match_from(std::span<const std::string> expression, std::size_t e, const std::vector<std::string_view>& module, std::size_t m) {
  if (e == expression.size()) return m == module.size();
  if (m == module.size()) return false;
  if (expression[e] == "**") {
    for (std::size_t take = 1; m + take <= module.size(); ++take) {
      if (match_from(expression, e + 1, module, m + take)) return true;
    }
    return false;
  }
  if (expression[e] != "*" && expression[e] != module[m]) return false;
  return match_from(expression, e + 1, module, m + 1);
}

}  // namespace

bool ModuleExpression::matches(std::string_view module) const {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = module.find('.', start);
    parts.push_back(module.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return match_from(components, 0, parts, 0);
}

namespace {

constexpr std::array<std::string_view, 5> kSessionKeys = {"root_package", "root_packages", "include_external_packages", "exclude_type_checking_imports",
                                                           "cache_dir"};
constexpr std::array<std::string_view, 9> kCommonKeys = {"name", "type", "id", "ignore_imports", "unmatched_ignore_imports_alerting",
                                                          "broken_contract_guidance", "lazy_imports", "type_checking_imports", "main_imports"};
constexpr std::array<std::string_view, 4> kForbiddenKeys = {"source_modules", "forbidden_modules", "allow_indirect_imports", "as_packages"};
constexpr std::array<std::string_view, 4> kLayersKeys = {"layers", "containers", "exhaustive", "exhaustive_ignores"};
constexpr std::array<std::string_view, 1> kIndependenceKeys = {"modules"};
constexpr std::array<std::string_view, 3> kAcyclicKeys = {"ancestors", "depth", "skip_descendants"};
constexpr std::array<std::string_view, 3> kProtectedKeys = {"protected_modules", "allowed_importers", "as_packages"};
constexpr std::array<std::string_view, 1> kPrivateKeys = {"packages_with_private_modules"};
constexpr std::array<std::string_view, 6> kTypes = {"forbidden", "layers", "independence", "acyclic_siblings", "protected", "private_modules"};

std::span<const std::string_view> keys_of(ArchitectureRuleType type) {
  switch (type) {
    case ArchitectureRuleType::forbidden: return kForbiddenKeys;
    case ArchitectureRuleType::layers: return kLayersKeys;
    case ArchitectureRuleType::independence: return kIndependenceKeys;
    case ArchitectureRuleType::acyclic_siblings: return kAcyclicKeys;
    case ArchitectureRuleType::protected_modules: return kProtectedKeys;
    case ArchitectureRuleType::private_modules: return kPrivateKeys;
  }
  return {};
}

std::string join(std::span<const std::string_view> words) {
  std::string out;
  for (std::string_view word : words) out += (out.empty() ? "" : ", ") + std::string(word);
  return out;
}

bool contains(std::span<const std::string_view> words, std::string_view word) { return std::find(words.begin(), words.end(), word) != words.end(); }

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

bool is_identifier(std::string_view text) {
  if (text.empty()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

class Compiler {
public:
  explicit Compiler(const RawArchitecture& raw) : raw_(raw) {}

  ArchitectureRules compile() {
    ArchitectureRules out;
    out.file = raw_.file;
    out.mark = raw_.mark;
    std::set<std::string> seen;
    for (const RawArchitectureOption& option : raw_.session) {
      check_once(seen, option, "the architecture settings");
      if (option.key == "root_package") {
        out.root_packages.push_back(module_name(option, scalar(option)));
      } else if (option.key == "root_packages") {
        for (std::size_t i = 0; i < option.values.size(); ++i) out.root_packages.push_back(module_name(option, option.values[i], i));
      } else if (option.key == "include_external_packages") {
        out.include_external_packages = boolean(option);
      } else if (option.key == "exclude_type_checking_imports") {
        out.exclude_type_checking_imports = boolean(option);
      } else if (option.key == "cache_dir") {
        // import-linter's cache folder: the graph is not cached there, so it has no effect.
      } else {
        unknown(option, kSessionKeys, "the architecture settings", "");
      }
    }
    if (seen.count("root_package") && seen.count("root_packages")) {
      fail(ContractErrorKind::invalid_value, raw_.mark, "both `root_package` and `root_packages` are set", "keep one: `root_packages` takes a list");
    }
    std::set<std::string> ids;
    for (const RawArchitectureRule& rule : raw_.rules) {
      out.rules.push_back(compile_rule(rule, out));
      if (!rule.id.empty() && !ids.insert(rule.id).second) {
        fail(ContractErrorKind::duplicate_key, rule.mark, "two architecture rules have the id `" + rule.id + "`", "give each rule its own id");
      }
    }
    return out;
  }

private:
  [[noreturn]] void fail(ContractErrorKind kind, SourceMark at, const std::string& message, const std::string& hint) const {
    throw ContractError(kind, raw_.file, at.line, at.column, message, hint);
  }

  SourceMark value_mark(const RawArchitectureOption& option, std::size_t i) const {
    if (i < option.value_marks.size() && option.value_marks[i].line > 0) return option.value_marks[i];
    return option.mark;
  }

  void check_once(std::set<std::string>& seen, const RawArchitectureOption& option, const std::string& where) const {
    if (!seen.insert(option.key).second) fail(ContractErrorKind::duplicate_key, option.mark, "`" + option.key + "` is set twice in " + where, "keep one");
  }

  [[noreturn]] void unknown(const RawArchitectureOption& option, std::span<const std::string_view> accepted, const std::string& where,
                            const std::string& elsewhere) const {
    std::string hint;
    if (auto guess = closest_match(option.key, accepted)) hint = "did you mean `" + std::string(*guess) + "`? ";
    hint += elsewhere.empty() ? "Accepted: " + join(accepted) + "." : elsewhere;
    fail(ContractErrorKind::unknown_key, option.mark, "unknown key `" + option.key + "` in " + where, hint);
  }

  const std::string& scalar(const RawArchitectureOption& option) const {
    if (option.is_list || option.values.size() != 1) {
      fail(ContractErrorKind::wrong_type, option.mark, "`" + option.key + "` takes one value, found " + std::to_string(option.values.size()),
           "write it as a single value: `" + option.key + ": ...`");
    }
    return option.values[0];
  }

  bool boolean(const RawArchitectureOption& option) const {
    std::string text = scalar(option);
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
    if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
    if (text == "false" || text == "no" || text == "off" || text == "0") return false;
    fail(ContractErrorKind::invalid_value, value_mark(option, 0), "`" + option.key + "` must be true or false, found `" + option.values[0] + "`",
         "write `" + option.key + ": true` or `" + option.key + ": false`");
  }

  std::string module_name(const RawArchitectureOption& option, const std::string& text, std::size_t i = 0) const {
    const std::string name = trim(text);
    std::size_t start = 0;
    while (true) {
      const std::size_t dot = name.find('.', start);
      if (!is_identifier(std::string_view(name).substr(start, dot == std::string::npos ? std::string::npos : dot - start))) {
        fail(ContractErrorKind::invalid_value, value_mark(option, i), "`" + name + "` is not a dotted module name (in `" + option.key + "`)",
             "write a module name such as `mypackage.sub`");
      }
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return name;
  }

  ModuleExpression expression(const RawArchitectureOption& option, const std::string& text, std::size_t i) const {
    ModuleExpression out;
    out.written = trim(text);
    out.mark = value_mark(option, i);
    std::string_view previous;  // the component before, when a wildcard
    std::size_t start = 0;
    while (true) {
      const std::size_t dot = out.written.find('.', start);
      std::string component = out.written.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (component == "*" || component == "**") {
        // Two wildcards side by side, one of them `**`, could split the same components several ways:
        // refused, as import-linter refuses them (`pkg.*.models.**` is fine).
        if (previous == "**" || (previous == "*" && component == "**")) {
          fail(ContractErrorKind::invalid_value, out.mark, "`" + out.written + "` puts `" + std::string(previous) + "` next to `" + component + "` (in `" + option.key + "`)",
               "a `**` may not touch another wildcard: write `pkg.**` for any depth, or put a module name between them (`pkg.*.models.**`)");
        }
        previous = component == "*" ? "*" : "**";
      } else if (!is_identifier(component)) {
        fail(ContractErrorKind::invalid_value, out.mark, "`" + out.written + "` is not a module expression (in `" + option.key + "`)",
             "write dotted module names; `*` stands for one whole component, `**` for one or more (`mypackage.*.models`, `mypackage.**`)");
      }
      if (component != "*" && component != "**") previous = {};
      out.components.push_back(std::move(component));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return out;
  }

  std::vector<ModuleExpression> expressions(const RawArchitectureOption& option) const {
    std::vector<ModuleExpression> out;
    for (std::size_t i = 0; i < option.values.size(); ++i) {
      if (trim(option.values[i]).empty()) continue;
      out.push_back(expression(option, option.values[i], i));
    }
    return out;
  }

  ImportExpression import_expression(const RawArchitectureOption& option, const std::string& text, std::size_t i) const {
    const std::size_t arrow = text.find("->");
    if (arrow == std::string::npos || text.find("->", arrow + 2) != std::string::npos) {
      fail(ContractErrorKind::invalid_value, value_mark(option, i), "`" + trim(text) + "` is not an import expression (in `ignore_imports`)",
           "write `importer -> imported`, for example `mypackage.a -> mypackage.b.*`");
    }
    ImportExpression out;
    out.written = trim(text);
    out.mark = value_mark(option, i);
    out.importer = expression(option, text.substr(0, arrow), i);
    out.imported = expression(option, text.substr(arrow + 2), i);
    return out;
  }

  Layer layer(const RawArchitectureOption& option, const std::string& text, std::size_t i) const {
    Layer out;
    out.mark = value_mark(option, i);
    const bool pipe = text.find('|') != std::string::npos;
    const bool colon = text.find(':') != std::string::npos;
    if (pipe && colon) {
      fail(ContractErrorKind::invalid_value, out.mark, "layer `" + trim(text) + "` mixes `|` and `:`",
           "separate siblings by `|` when they must not import each other, by `:` when they may; not both in one layer");
    }
    out.independent = !colon;
    const char separator = colon ? ':' : '|';
    std::size_t start = 0;
    std::set<std::string> names;
    while (true) {
      const std::size_t end = text.find(separator, start);
      std::string item = trim(std::string_view(text).substr(start, end == std::string::npos ? std::string::npos : end - start));
      LayerModule module;
      module.mark = out.mark;
      if (item.size() >= 2 && item.front() == '(' && item.back() == ')') {
        module.optional = true;
        item = trim(std::string_view(item).substr(1, item.size() - 2));
      }
      module.name = module_name(option, item, i);
      if (!names.insert(module.name).second) {
        fail(ContractErrorKind::invalid_value, out.mark, "layer `" + trim(text) + "` names `" + module.name + "` twice", "name each module of a layer once");
      }
      out.modules.push_back(std::move(module));
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return out;
  }

  static bool contains_module(const std::string& outer, const std::string& inner) {
    return inner.size() > outer.size() && inner.starts_with(outer) && inner[outer.size()] == '.';
  }

  ArchitectureRule compile_rule(const RawArchitectureRule& raw, const ArchitectureRules& session) {
    ArchitectureRule rule;
    rule.id = raw.id;
    rule.mark = raw.mark;
    rule.counted.type_checking = !session.exclude_type_checking_imports;
    const RawArchitectureOption* type_option = nullptr;
    const RawArchitectureOption* name_option = nullptr;
    for (const RawArchitectureOption& option : raw.options) {
      if (option.key == "type") type_option = &option;
      if (option.key == "name") name_option = &option;
    }
    const std::string where = raw.id.empty() ? std::string("an architecture rule") : "architecture rule `" + raw.id + "`";
    if (!name_option) fail(ContractErrorKind::missing_key, raw.mark, where + " has no `name`", "add `name: <what the rule says, in words>`");
    rule.name = trim(scalar(*name_option));
    const std::string named = "architecture rule `" + rule.name + "`";
    if (!type_option) {
      fail(ContractErrorKind::missing_key, raw.mark, named + " has no `type`", "add `type:` with one of: " + join(kTypes) + ".");
    }
    const std::string type = trim(scalar(*type_option));
    const auto found = std::find(kTypes.begin(), kTypes.end(), type);
    if (found == kTypes.end()) {
      std::string hint;
      if (auto guess = closest_match(type, kTypes)) hint = "did you mean `" + std::string(*guess) + "`? ";
      fail(ContractErrorKind::invalid_value, value_mark(*type_option, 0), "unknown rule type `" + type + "` in " + named,
           hint + "Accepted: " + join(kTypes) + ".");
    }
    rule.type = static_cast<ArchitectureRuleType>(found - kTypes.begin());
    const std::span<const std::string_view> own = keys_of(rule.type);
    std::vector<std::string_view> accepted(kCommonKeys.begin(), kCommonKeys.end());
    accepted.insert(accepted.end(), own.begin(), own.end());

    std::set<std::string> seen;
    std::set<std::string> required(own.begin(), own.end());
    for (const RawArchitectureOption& option : raw.options) {
      check_once(seen, option, named);
      const std::string& key = option.key;
      if (key == "name" || key == "type") continue;
      if (key == "id") {
        if (rule.id.empty()) rule.id = trim(scalar(option));
      } else if (key == "ignore_imports") {
        for (std::size_t i = 0; i < option.values.size(); ++i) {
          if (!trim(option.values[i]).empty()) rule.ignore_imports.push_back(import_expression(option, option.values[i], i));
        }
      } else if (key == "unmatched_ignore_imports_alerting") {
        const std::string value = trim(scalar(option));
        if (value == "error") rule.unmatched_ignore_imports_alerting = UnmatchedIgnoreAlerting::error;
        else if (value == "warn") rule.unmatched_ignore_imports_alerting = UnmatchedIgnoreAlerting::warn;
        else if (value == "none") rule.unmatched_ignore_imports_alerting = UnmatchedIgnoreAlerting::none;
        else {
          fail(ContractErrorKind::invalid_value, value_mark(option, 0), "`unmatched_ignore_imports_alerting` must be error, warn or none, found `" + value + "`",
               "error (the default) fails the check, warn prints a warning, none says nothing");
        }
      } else if (key == "broken_contract_guidance") {
        std::string text;
        for (const std::string& line : option.values) text += (text.empty() ? "" : "\n") + line;
        rule.broken_contract_guidance = trim(text);
      } else if (key == "lazy_imports") {
        rule.counted.lazy = boolean(option);
      } else if (key == "type_checking_imports") {
        rule.counted.type_checking = boolean(option);
      } else if (key == "main_imports") {
        rule.counted.main_guard = boolean(option);
      } else if (contains(own, key)) {
        typed_option(rule, option);
        required.erase(key);
      } else {
        std::string elsewhere;
        for (std::size_t t = 0; t < kTypes.size(); ++t) {
          if (contains(keys_of(static_cast<ArchitectureRuleType>(t)), key)) {
            elsewhere = "`" + key + "` is an option of " + std::string(kTypes[t]) + " rules; this rule's type is " + type + ". Accepted: " +
                        join(accepted) + ".";
            break;
          }
        }
        unknown(option, accepted, named, elsewhere);
      }
    }
    // Options every rule of the type needs (the others have defaults).
    static constexpr std::array<std::string_view, 9> kOptional = {"allow_indirect_imports", "as_packages", "containers", "exhaustive",
                                                                   "exhaustive_ignores", "depth", "skip_descendants", "packages_with_private_modules",
                                                                   "allowed_importers"};
    for (const std::string& key : required) {
      if (contains(kOptional, key)) continue;
      fail(ContractErrorKind::missing_key, raw.mark, named + " (" + type + ") has no `" + key + "`", "add `" + key + ":`");
    }
    if (rule.type == ArchitectureRuleType::protected_modules && !seen.count("allowed_importers")) {
      fail(ContractErrorKind::missing_key, raw.mark, named + " (protected) has no `allowed_importers`",
           "add `allowed_importers:` (an empty list allows none outside the protected modules)");
    }
    validate(rule, named, raw);
    return rule;
  }

  void typed_option(ArchitectureRule& rule, const RawArchitectureOption& option) const {
    const std::string& key = option.key;
    switch (rule.type) {
      case ArchitectureRuleType::forbidden:
        if (key == "source_modules") rule.forbidden.source_modules = expressions(option);
        else if (key == "forbidden_modules") rule.forbidden.forbidden_modules = expressions(option);
        else if (key == "allow_indirect_imports") rule.forbidden.allow_indirect_imports = boolean(option);
        else if (key == "as_packages") rule.forbidden.as_packages = boolean(option);
        return;
      case ArchitectureRuleType::layers:
        if (key == "layers") {
          for (std::size_t i = 0; i < option.values.size(); ++i) {
            if (!trim(option.values[i]).empty()) rule.layers.layers.push_back(layer(option, option.values[i], i));
          }
        } else if (key == "containers") {
          rule.layers.containers = expressions(option);
        } else if (key == "exhaustive") {
          rule.layers.exhaustive = boolean(option);
          rule.layers.exhaustive_mark = option.mark;
        } else if (key == "exhaustive_ignores") {
          for (std::size_t i = 0; i < option.values.size(); ++i) {
            if (!trim(option.values[i]).empty()) rule.layers.exhaustive_ignores.push_back(module_name(option, option.values[i], i));
          }
        }
        return;
      case ArchitectureRuleType::independence:
        rule.independence.modules = expressions(option);
        return;
      case ArchitectureRuleType::acyclic_siblings:
        if (key == "ancestors") rule.acyclic_siblings.ancestors = expressions(option);
        else if (key == "skip_descendants") rule.acyclic_siblings.skip_descendants = expressions(option);
        else if (key == "depth") {
          const std::string text = trim(scalar(option));
          int depth = -1;
          if (!text.empty() && text.size() < 6 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) depth = std::stoi(text);
          if (depth < 0) {
            fail(ContractErrorKind::invalid_value, value_mark(option, 0), "`depth` must be a whole number, 0 or more, found `" + text + "`",
                 "write how many levels below each ancestor to check, for example `depth: 10` (the default)");
          }
          rule.acyclic_siblings.depth = depth;
        }
        return;
      case ArchitectureRuleType::protected_modules:
        if (key == "protected_modules") rule.protected_modules.protected_modules = expressions(option);
        else if (key == "allowed_importers") rule.protected_modules.allowed_importers = expressions(option);
        else if (key == "as_packages") rule.protected_modules.as_packages = boolean(option);
        return;
      case ArchitectureRuleType::private_modules:
        rule.private_modules.packages_with_private_modules = expressions(option);
        return;
    }
  }

  void validate(const ArchitectureRule& rule, const std::string& named, const RawArchitectureRule& raw) const {
    if (rule.type == ArchitectureRuleType::layers) {
      if (rule.layers.layers.empty()) fail(ContractErrorKind::invalid_value, raw.mark, named + " has no layers", "list the layers, highest first");
      std::vector<const LayerModule*> all;
      for (const Layer& layer : rule.layers.layers) {
        for (const LayerModule& module : layer.modules) {
          for (const LayerModule* other : all) {
            if (other->name == module.name) {
              fail(ContractErrorKind::invalid_value, module.mark, "`" + module.name + "` is in more than one layer of " + named, "keep it in one layer");
            }
            if (contains_module(other->name, module.name) || contains_module(module.name, other->name)) {
              const bool outer = contains_module(other->name, module.name);
              fail(ContractErrorKind::invalid_value, module.mark,
                   "layers of " + named + " contain each other: `" + (outer ? other->name : module.name) + "` contains `" + (outer ? module.name : other->name) +
                       "`",
                   "a layer is a whole package; name sibling packages only");
            }
          }
          all.push_back(&module);
        }
      }
      if (rule.layers.exhaustive && rule.layers.containers.empty()) {
        fail(ContractErrorKind::invalid_value, rule.layers.exhaustive_mark, "`exhaustive` of " + named + " needs `containers`",
             "exhaustive means every child of each container is a layer: name the containers");
      }
    }
    if (rule.type == ArchitectureRuleType::private_modules) {
      for (const ModuleExpression& expression : rule.private_modules.packages_with_private_modules) {
        for (const std::string& component : expression.components) {
          if (component.starts_with('_') && !(component.starts_with("__") && component.ends_with("__") && component.size() > 4)) {
            fail(ContractErrorKind::invalid_value, expression.mark, "`" + expression.written + "` is private or inside a private module (in " + named + ")",
                 "list an ancestor that is not private instead");
          }
        }
      }
    }
    if (rule.type == ArchitectureRuleType::acyclic_siblings) {
      for (const ModuleExpression& skip : rule.acyclic_siblings.skip_descendants) {
        for (const ModuleExpression& ancestor : rule.acyclic_siblings.ancestors) {
          if (skip.written == ancestor.written) {
            fail(ContractErrorKind::invalid_value, skip.mark, "`" + skip.written + "` is both an ancestor and skipped in " + named, "remove it from one of the two");
          }
        }
      }
    }
    if (rule.type == ArchitectureRuleType::independence && rule.independence.modules.empty()) {
      fail(ContractErrorKind::invalid_value, raw.mark, named + " names no modules", "list at least two modules that must not import each other");
    }
  }

  const RawArchitecture& raw_;
};

}  // namespace

ArchitectureRules compile_architecture(const RawArchitecture& raw) { return Compiler(raw).compile(); }

}  // namespace importspy
