#include "importspy/policy/loader.hpp"
#include "importspy/policy/editing.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <regex>
#include <set>
#include <span>
#include <sstream>

#include "importspy/facts/distributions.hpp"
#include "importspy/util/ascii.hpp"
#include "importspy/util/sha256.hpp"
#include "importspy/util/suggest.hpp"

namespace importspy::policy {
namespace {

using Keys = std::span<const std::string_view>;

// 0.4 contract keys that a 0.5 policy may also carry; 0.5.0 checks them statically (Policy::structure).
constexpr std::array<std::string_view, 6> kStructuralKeys = {"filename", "version", "variables", "functions", "classes", "deployments"};
// Every key a policy's top level may have: its own, then the structural ones.
constexpr std::array<std::string_view, 12> kPolicyKeys = {"schema_version", "policy_id", "runtime", "dependencies", "dependency_options",
                                                          "evidence_requirements", "filename", "version", "variables", "functions", "classes",
                                                          "deployments"};
constexpr std::array<std::string_view, 5> kRuntimeKeys = {"python", "os", "architecture", "implementation", "environment"};
constexpr std::array<std::string_view, 7> kRuleKeys = {"allowed", "required", "version", "declared", "origin", "editable", "provenance"};
constexpr std::array<std::string_view, 4> kOriginKeys = {"type", "repository", "url", "commit"};
constexpr std::array<std::string_view, 5> kOriginTypes = {"unknown", "index", "vcs", "local", "archive"};
constexpr std::array<std::string_view, 1> kProvenanceKeys = {"required"};
constexpr std::array<std::string_view, 3> kOptionKeys = {"unresolved", "undeclared", "unlisted"};
constexpr std::array<std::string_view, 2> kOptionValues = {"allow", "deny"};
constexpr std::array<std::string_view, 4> kEvidenceKeys = {"kind", "subject", "provider", "status"};
constexpr std::array<std::string_view, 2> kStatuses = {"verified", "observed"};

SourceMark mark_of(const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  if (m.is_null()) return {};
  return {m.line + 1, m.column + 1};
}

std::string join(Keys keys) {
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i) out += (i ? ", " : "") + std::string(keys[i]);
  return out;
}

// What a YAML 1.2 (core schema) scalar is: 0.5.0 reads policies with YAML 1.2, so `yes` is text and
// `3.10` is a number.
enum class ScalarKind { text, boolean, integer, number, null };

ScalarKind scalar_kind(const YAML::Node& node) {
  if (!node.IsDefined()) return ScalarKind::null;
  if (node.IsNull()) return ScalarKind::null;
  if (!node.IsScalar()) return ScalarKind::text;  // a list or mapping: callers test IsScalar() next
  if (node.Tag() == "!") return ScalarKind::text;  // quoted
  const std::string& s = node.Scalar();
  static const std::regex null_re("~|null|Null|NULL|");
  static const std::regex bool_re("true|True|TRUE|false|False|FALSE");
  static const std::regex int_re("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+");
  static const std::regex float_re(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))");
  if (std::regex_match(s, null_re)) return ScalarKind::null;
  if (std::regex_match(s, bool_re)) return ScalarKind::boolean;
  if (std::regex_match(s, int_re)) return ScalarKind::integer;
  if (std::regex_match(s, float_re)) return ScalarKind::number;
  return ScalarKind::text;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Null: return "nothing (null)";
    case YAML::NodeType::Scalar:
      switch (scalar_kind(node)) {
        case ScalarKind::text: return "the text `" + node.Scalar() + "`";
        case ScalarKind::boolean: return "the boolean `" + node.Scalar() + "`";
        case ScalarKind::integer: return "the integer `" + node.Scalar() + "`";
        case ScalarKind::number: return "the number `" + node.Scalar() + "`";
        case ScalarKind::null: return "nothing (null)";
      }
      [[fallthrough]];
    default: return "nothing";
  }
}

bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  const auto start = [](unsigned char c) { return ascii::is_alpha(c) || c == '_' || c >= 0x80; };
  if (!start(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [&](unsigned char c) { return start(c) || ascii::is_digit(c); });
}

class Reader {
public:
  Reader(std::string source, std::string_view text, SchemaVersion schema_version)
      : source_(std::move(source)), text_(text), schema_version_(schema_version) {}

  // The policy's 0.4 structural keys as contract text: the file with every other top-level block blanked,
  // so that the contract loader's lines and columns are the policy file's. nullopt without such keys.
  std::optional<std::string> structure_text(const YAML::Node& root) const {
    struct Block {
      int line;  // 0-based line of the key
      bool structural;
      SourceMark mark;
    };
    std::vector<Block> blocks;
    for (const auto& entry : root) {
      const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
      const bool structural = std::find(kStructuralKeys.begin(), kStructuralKeys.end(), key) != kStructuralKeys.end();
      blocks.push_back({entry.first.Mark().line, structural, mark_of(entry.first)});
    }
    if (std::none_of(blocks.begin(), blocks.end(), [](const Block& b) { return b.structural; })) return std::nullopt;
    std::sort(blocks.begin(), blocks.end(), [](const Block& a, const Block& b) { return a.line < b.line; });
    for (std::size_t i = 1; i < blocks.size(); ++i) {
      if (blocks[i].line == blocks[i - 1].line) {
        fail(blocks[i].mark, "0.4 structural keys in a 0.5 policy need the policy in block style, one top-level key per line",
             "write each top-level key on a line of its own (not `{a: 1, b: 2}`)");
      }
    }
    std::vector<std::size_t> line_starts = {0};
    for (std::size_t i = 0; i < text_.size(); ++i) {
      if (text_[i] == '\n') line_starts.push_back(i + 1);
    }
    std::string out(text_);
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      if (blocks[i].structural) continue;
      const std::size_t first = static_cast<std::size_t>(blocks[i].line);
      const std::size_t end_line = i + 1 < blocks.size() ? static_cast<std::size_t>(blocks[i + 1].line) : line_starts.size();
      const std::size_t from = first < line_starts.size() ? line_starts[first] : out.size();
      const std::size_t to = end_line < line_starts.size() ? line_starts[end_line] : out.size();
      for (std::size_t k = from; k < to; ++k) {
        if (out[k] != '\n' && out[k] != '\r') out[k] = ' ';
      }
    }
    return out;
  }

  Policy read(const YAML::Node& root) {
    if (!root.IsMap()) {
      fail(mark_of(root), "a policy must be a YAML mapping, found " + describe(root), "start the file with `schema_version: 1`");
    }
    Policy policy;
    policy.source = source_;
    policy.structure = structure_text(root);
    check_keys(root, kPolicyKeys, "the policy");
    const YAML::Node version = root["schema_version"];
    if (!version.IsDefined() && schema_version_ == SchemaVersion::required) {
      fail(mark_of(root), "the policy has no `schema_version`", "add `schema_version: 1` as its first line");
    }
    if (version.IsDefined() && (scalar_kind(version) != ScalarKind::integer || version.Scalar() != "1")) {
      fail(value_mark(root, "schema_version"), "`schema_version` must be the integer 1, found " + describe(version),
           "write `schema_version: 1` (without quotes)");
    }
    policy.policy_id = optional_text(root, "policy_id", "the policy");
    if (const auto runtime = mapping(root, "runtime", "the policy")) read_runtime(*runtime, policy.runtime);
    if (const auto dependencies = mapping(root, "dependencies", "the policy")) read_dependencies(*dependencies, policy);
    if (const auto options = mapping(root, "dependency_options", "the policy")) {
      check_keys(*options, kOptionKeys, "`dependency_options`");
      policy.dependency_options.unresolved = option(*options, "unresolved", Option::deny);
      policy.dependency_options.undeclared = option(*options, "undeclared", Option::allow);
      policy.dependency_options.unlisted = option(*options, "unlisted", Option::allow);
    }
    if (const auto evidence = list(root, "evidence_requirements", "the policy")) {
      for (size_t i = 0; i < evidence->size(); ++i) {
        const YAML::Node item = (*evidence)[i];
        const std::string where = "`evidence_requirements[" + std::to_string(i) + "]`";
        if (!item.IsMap()) fail(mark_of(item), where + " must be a mapping, found " + describe(item), "write `- {kind: distribution.provenance, subject: NAME}`");
        check_keys(item, kEvidenceKeys, where);
        EvidenceRequirement requirement;
        requirement.kind = required_text(item, "kind", where, "distribution.provenance");
        requirement.subject = required_text(item, "subject", where, "requests");
        requirement.provider = optional_text(item, "provider", where);
        if (auto status = optional_text(item, "status", where)) requirement.status = one_of(item, "status", *status, kStatuses, where);
        policy.evidence_requirements.push_back(std::move(requirement));
      }
    }
    return policy;
  }

private:
  [[noreturn]] void fail(SourceMark at, const std::string& message, const std::string& hint) const {
    throw PolicyError(source_, at.line, at.column, message, hint);
  }

  void check_keys(const YAML::Node& map, Keys allowed, const std::string& where) const {
    std::set<std::string, std::less<>> seen;
    for (const auto& entry : map) {
      if (!entry.first.IsScalar()) fail(mark_of(entry.first), "a key in " + where + " must be text, found " + describe(entry.first), "write the key as a plain word");
      const std::string& name = entry.first.Scalar();
      if (!seen.insert(name).second) {
        fail(mark_of(entry.first), "duplicate key `" + name + "` in " + where, "remove one of the two entries; YAML would keep only the last one");
      }
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        std::string hint;
        if (auto guess = closest_match(name, allowed)) hint = "did you mean `" + std::string(*guess) + "`? ";
        fail(mark_of(entry.first), "unknown key `" + name + "` in " + where, hint + "Allowed keys here: " + join(allowed) + ".");
      }
    }
  }

  SourceMark value_mark(const YAML::Node& owner, std::string_view key) const {
    for (const auto& entry : owner) {
      if (entry.first.IsScalar() && entry.first.Scalar() == key) return entry.second.IsNull() ? mark_of(entry.first) : mark_of(entry.second);
    }
    return mark_of(owner);
  }

  // A mapping under `key`; an absent or null one is empty (a null YAML::Node converts to false).
  std::optional<YAML::Node> mapping(const YAML::Node& owner, std::string_view key, const std::string& where) const {
    const YAML::Node node = owner[std::string(key)];
    if (!node.IsDefined() || node.IsNull()) return std::nullopt;
    if (!node.IsMap()) fail(value_mark(owner, key), "`" + std::string(key) + "` in " + where + " must be a mapping, found " + describe(node), "see docs/policies-0.5.md for its keys");
    return node;
  }

  std::optional<YAML::Node> list(const YAML::Node& owner, std::string_view key, const std::string& where) const {
    const YAML::Node node = owner[std::string(key)];
    if (!node.IsDefined() || node.IsNull()) return std::nullopt;
    if (!node.IsSequence()) fail(value_mark(owner, key), "`" + std::string(key) + "` in " + where + " must be a list, found " + describe(node), "write it as `[a, b]` or one `- item` per line");
    return node;
  }

  std::optional<std::string> optional_text(const YAML::Node& owner, std::string_view key, const std::string& where) const {
    const YAML::Node node = owner[std::string(key)];
    if (!node.IsDefined() || scalar_kind(node) == ScalarKind::null) return std::nullopt;
    if (!node.IsScalar() || scalar_kind(node) != ScalarKind::text) {
      fail(value_mark(owner, key), "`" + std::string(key) + "` in " + where + " must be text, found " + describe(node),
           "quote the value: `" + std::string(key) + ": \"...\"`");
    }
    return node.Scalar();
  }

  std::string required_text(const YAML::Node& owner, std::string_view key, const std::string& where, std::string_view example) const {
    auto text = optional_text(owner, key, where);
    if (!text) fail(mark_of(owner), where + " has no `" + std::string(key) + "`", "add `" + std::string(key) + ": " + std::string(example) + "`");
    return *text;
  }

  std::string one_of(const YAML::Node& owner, std::string_view key, const std::string& value, Keys allowed, const std::string& where) const {
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      fail(value_mark(owner, key), "`" + std::string(key) + "` in " + where + " must be one of " + join(allowed) + ", found `" + value + "`",
           "write one of: " + join(allowed));
    }
    return value;
  }

  std::optional<bool> optional_bool(const YAML::Node& owner, std::string_view key, const std::string& where) const {
    const YAML::Node node = owner[std::string(key)];
    if (!node.IsDefined() || scalar_kind(node) == ScalarKind::null) return std::nullopt;
    if (!node.IsScalar() || scalar_kind(node) != ScalarKind::boolean) {
      fail(value_mark(owner, key), "`" + std::string(key) + "` in " + where + " must be true or false, found " + describe(node),
           "write `" + std::string(key) + ": true` or `" + std::string(key) + ": false`");
    }
    return node.as<bool>();
  }

  std::vector<std::string> text_list(const YAML::Node& owner, std::string_view key, const std::string& where) const {
    std::vector<std::string> out;
    const auto node = list(owner, key, where);
    if (!node) return out;
    for (const auto& item : *node) {
      if (!item.IsScalar() || scalar_kind(item) != ScalarKind::text) {
        fail(mark_of(item), "each entry of `" + std::string(key) + "` in " + where + " must be text, found " + describe(item), "quote the entry");
      }
      out.push_back(item.Scalar());
    }
    return out;
  }

  VersionRule specifier(const YAML::Node& owner, std::string_view key, const std::string& text, const std::string& where) const {
    std::string error;
    auto rule = VersionRule::parse(text, &error);
    if (!rule || (!text.empty() && !rule->is_specifier_set())) {
      fail(value_mark(owner, key), "`" + std::string(key) + "` in " + where + " must be a PEP 440 version range, found `" + text + "`" + (error.empty() ? "" : " (" + error + ")"),
           "write a range such as `>=3.10,<3.14` or `==1.4.*`; a bare version needs an operator (`==" + text + "`)");
    }
    return *rule;
  }

  Option option(const YAML::Node& owner, std::string_view key, Option fallback) const {
    auto text = optional_text(owner, key, "`dependency_options`");
    if (!text) return fallback;
    return one_of(owner, key, *text, kOptionValues, "`dependency_options`") == "allow" ? Option::allow : Option::deny;
  }

  void read_runtime(const YAML::Node& node, RuntimeRules& runtime) const {
    check_keys(node, kRuntimeKeys, "`runtime`");
    if (auto python = optional_text(node, "python", "`runtime`")) runtime.python = specifier(node, "python", *python, "`runtime`");
    runtime.os = text_list(node, "os", "`runtime`");
    runtime.architecture = text_list(node, "architecture", "`runtime`");
    runtime.implementation = text_list(node, "implementation", "`runtime`");
    if (const auto environment = mapping(node, "environment", "`runtime`")) {
      std::set<std::string, std::less<>> seen;
      for (const auto& entry : *environment) {
        if (!entry.first.IsScalar()) fail(mark_of(entry.first), "a variable name in `runtime.environment` must be text, found " + describe(entry.first), "write `NAME: value`");
        EnvironmentRule rule{entry.first.Scalar(), std::nullopt, mark_of(entry.first)};
        if (!seen.insert(rule.name).second) fail(rule.mark, "duplicate variable `" + rule.name + "` in `runtime.environment`", "remove one of the two entries");
        const YAML::Node& value = entry.second;
        if (scalar_kind(value) != ScalarKind::null) {
          if (!value.IsScalar() || scalar_kind(value) != ScalarKind::text) {
            fail(mark_of(value), "the value of `" + rule.name + "` in `runtime.environment` must be text or null, found " + describe(value),
                 "quote the value (`" + rule.name + ": \"1\"`), or write `null` to require only that it is set");
          }
          rule.value = value.Scalar();
        }
        runtime.environment.push_back(std::move(rule));
      }
    }
  }

  void read_dependencies(const YAML::Node& node, Policy& policy) const {
    std::set<std::string, std::less<>> names;
    for (const auto& entry : node) {
      const SourceMark at = mark_of(entry.first);
      if (!entry.first.IsScalar()) fail(at, "a key of `dependencies` must be text, found " + describe(entry.first), "write a distribution name or `import:<name>`");
      DependencyRule rule;
      rule.key = entry.first.Scalar();
      rule.mark = at;
      const std::string where = "`dependencies." + rule.key + "`";
      if (rule.key.starts_with("import:")) {
        rule.is_import = true;
        rule.normalized = rule.key;
        if (!is_identifier(std::string_view(rule.key).substr(7))) {
          fail(at, "`" + rule.key + "` must name one top-level import, found `" + rule.key.substr(7) + "`",
               "write the first component only: `import:" + rule.key.substr(7, rule.key.find('.', 7) - 7) + "`");
        }
      } else {
        if (!is_distribution_name(rule.key)) {
          fail(at, "`" + rule.key + "` is not a valid distribution name", "use the name on PyPI (letters, digits, `.`, `_`, `-`), or `import:<name>` for an import name");
        }
        rule.normalized = normalize_distribution_name(rule.key);
      }
      if (!names.insert(rule.normalized).second) {
        fail(at, "`" + rule.key + "` names the same dependency as another key of `dependencies` (`" + rule.normalized + "`)", "merge the two rules into one");
      }
      const YAML::Node& body = entry.second;
      if (!body.IsNull()) {
        if (!body.IsMap()) fail(mark_of(body), where + " must be a mapping, found " + describe(body), "write `{allowed: true}` or `{}`");
        check_keys(body, kRuleKeys, where);
        if (auto v = optional_bool(body, "allowed", where)) rule.allowed = *v;
        if (auto v = optional_bool(body, "required", where)) rule.required = *v;
        if (auto v = optional_text(body, "version", where)) rule.version = specifier(body, "version", *v, where);
        rule.declared = optional_bool(body, "declared", where);
        rule.editable = optional_bool(body, "editable", where);
        if (const auto origin_node = mapping(body, "origin", where)) {
          const YAML::Node& origin = *origin_node;
          check_keys(origin, kOriginKeys, where + ".origin");
          OriginRule out;
          if (auto type = optional_text(origin, "type", where + ".origin")) out.type = one_of(origin, "type", *type, kOriginTypes, where + ".origin");
          for (auto [key, field] : {std::pair{"repository", &out.repository}, std::pair{"url", &out.url}}) {
            *field = optional_text(origin, key, where + ".origin");
            if (*field && !normalize_origin_url(**field)) {
              fail(value_mark(origin, key), "`" + std::string(key) + "` in " + where + ".origin must be an absolute URL, found `" + **field + "`",
                   "write a URL with scheme https, http, ssh, git, file or ftp, such as `https://github.com/psf/requests`");
            }
          }
          out.commit = optional_text(origin, "commit", where + ".origin");
          rule.origin = std::move(out);
        }
        const YAML::Node provenance = body["provenance"];
        if (provenance.IsDefined() && provenance.IsMap()) {
          check_keys(provenance, kProvenanceKeys, where + ".provenance");
          rule.provenance = optional_bool(provenance, "required", where + ".provenance").value_or(false);
        } else {
          rule.provenance = optional_bool(body, "provenance", where).value_or(false);
        }
      }
      policy.dependencies.push_back(std::move(rule));
    }
    std::sort(policy.dependencies.begin(), policy.dependencies.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  }

  std::string source_;
  std::string_view text_;
  SchemaVersion schema_version_;
};

}  // namespace

std::string normalize_distribution_name(std::string_view name) { return normalize_project_name(name); }

bool is_distribution_name(std::string_view name) {
  static const std::regex valid("([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])");
  return std::regex_match(name.begin(), name.end(), valid);
}

std::optional<std::string> normalize_origin_url(std::string_view url, bool repository) {
  if (url.empty() || std::any_of(url.begin(), url.end(), [](unsigned char c) { return c < 33; })) return std::nullopt;
  const size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string scheme(url.substr(0, colon));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return ascii::to_lower(c); });
  static const std::set<std::string, std::less<>> schemes = {"https", "http", "ssh", "git", "file", "ftp"};
  if (!schemes.contains(scheme)) return std::nullopt;
  std::string_view rest = url.substr(colon + 1);
  rest = rest.substr(0, rest.find_first_of("?#"));
  std::string host;
  std::string_view path = rest;
  if (rest.starts_with("//")) {
    const size_t end = rest.find('/', 2);
    std::string_view netloc = rest.substr(2, end == std::string_view::npos ? std::string_view::npos : end - 2);
    path = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    if (const size_t at = netloc.rfind('@'); at != std::string_view::npos) netloc = netloc.substr(at + 1);
    std::string_view port;
    if (netloc.starts_with('[')) {
      const size_t close = netloc.find(']');
      if (close == std::string_view::npos) return std::nullopt;
      host = std::string(netloc.substr(0, close + 1));
      if (close + 1 < netloc.size()) {
        if (netloc[close + 1] != ':') return std::nullopt;
        port = netloc.substr(close + 2);
      }
    } else {
      const size_t p = netloc.find(':');
      host = std::string(netloc.substr(0, p));
      if (p != std::string_view::npos) port = netloc.substr(p + 1);
    }
    std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return ascii::to_lower(c); });
    if (!port.empty()) {
      if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](unsigned char c) { return ascii::is_digit(c); })) return std::nullopt;
      const int number = std::stoi(std::string(port));
      if (number > 65535) return std::nullopt;
      if (!((scheme == "https" && number == 443) || (scheme == "http" && number == 80))) host += ":" + std::to_string(number);
    }
  }
  if (scheme != "file" && host.empty()) return std::nullopt;
  std::string clean(path);
  while (!clean.empty() && clean.back() == '/') clean.pop_back();
  if (repository && clean.ends_with(".git")) clean.resize(clean.size() - 4);
  return scheme + "://" + host + clean;
}

std::string PolicyError::describe() const {
  std::string out = file();
  if (line() > 0) out += ":" + std::to_string(line()) + ":" + std::to_string(column());
  out += ": invalid policy: " + message_;
  if (!hint_.empty()) out += " (" + hint_ + ")";
  return out;
}

bool is_policy_text(std::string_view text) {
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    if (!root.IsMap()) return false;
    for (const auto& entry : root) {
      if (entry.first.IsScalar() && entry.first.Scalar() == "schema_version") return true;
    }
  } catch (const YAML::Exception&) {
  }
  return false;
}

Policy parse_policy(std::string_view text, std::string source, SchemaVersion schema_version) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& error) {
    throw PolicyError(source, error.mark.line + 1, error.mark.column + 1, "not valid YAML: " + error.msg, "fix the YAML syntax at this place");
  }
  Policy policy = Reader(source, text, schema_version).read(root);
  policy.sha256 = sha256_hex(text);
  return policy;
}

Policy load_policy_file(const std::filesystem::path& path, std::string source, SchemaVersion schema_version) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw PolicyError(source, 0, 0, "cannot read the policy: no such file", "pass an existing policy file to -s");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in && !in.eof()) throw PolicyError(source, 0, 0, "cannot read the policy", "check the file's permissions");
  const std::string text = bytes.str();
  if (text.size() > (4u << 20)) throw PolicyError(source, 0, 0, "the policy is larger than 4 MiB", "policies are small; is this the right file?");
  return parse_policy(text, std::move(source), schema_version);
}

// ---- editing (policy/editing.hpp): the same tables the loader enforces -------------------------------

bool is_structural_key(std::string_view key) { return std::find(kStructuralKeys.begin(), kStructuralKeys.end(), key) != kStructuralKeys.end(); }

std::optional<std::vector<PolicyCompletion>> complete_policy(const YamlPlace& place) {
  const auto& parents = place.parents;
  if (!parents.empty() && is_structural_key(parents.front())) return std::nullopt;
  std::vector<PolicyCompletion> out;
  const auto keys = [&](Keys names, const std::string& where) {
    for (const auto name : names) {
      if (std::find(place.siblings.begin(), place.siblings.end(), name) == place.siblings.end()) out.push_back({std::string(name), where, true});
    }
  };
  const auto values = [&](Keys names, const std::string& what) {
    for (const auto name : names) out.push_back({std::string(name), what, false});
  };
  constexpr std::array<std::string_view, 2> kBooleans = {"true", "false"};
  if (place.value) {
    const std::string& key = place.key;
    if (parents.empty() && key == "schema_version") values(std::array<std::string_view, 1>{"1"}, "schema_version");
    if (parents.size() == 1 && parents[0] == "dependency_options") values(kOptionValues, key);
    if (parents.size() == 1 && parents[0] == "evidence_requirements" && key == "status") values(kStatuses, "status");
    if (parents.size() == 3 && parents[0] == "dependencies" && parents[2] == "origin" && key == "type") values(kOriginTypes, "origin type");
    if (parents.size() == 2 && parents[0] == "dependencies" && key != "version" && key != "origin") values(kBooleans, key);
    if (parents.size() == 3 && parents[0] == "dependencies" && parents[2] == "provenance") values(kBooleans, key);
    return out;
  }
  if (parents.empty()) {
    keys(kPolicyKeys, "policy key");
  } else if (parents.size() == 1 && parents[0] == "runtime") {
    keys(kRuntimeKeys, "runtime");
  } else if (parents.size() == 1 && parents[0] == "dependency_options") {
    keys(kOptionKeys, "dependency option");
  } else if (parents.size() == 1 && parents[0] == "evidence_requirements") {
    keys(kEvidenceKeys, "evidence requirement");
  } else if (parents.size() == 2 && parents[0] == "dependencies") {
    keys(kRuleKeys, "dependency rule");
  } else if (parents.size() == 3 && parents[0] == "dependencies" && parents[2] == "origin") {
    keys(kOriginKeys, "origin");
  } else if (parents.size() == 3 && parents[0] == "dependencies" && parents[2] == "provenance") {
    keys(kProvenanceKeys, "provenance");
  }
  return out;
}

}  // namespace importspy::policy
