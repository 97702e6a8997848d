#include "importspy/policy/decision.hpp"
#include "importspy/util/ascii.hpp"

#include <algorithm>
#include <set>

namespace importspy::policy {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return ascii::to_lower(c); });
  return text;
}

Json optional_json(const std::optional<std::string>& value) { return value ? Json(*value) : Json(nullptr); }
Json optional_json(const std::optional<bool>& value) { return value ? Json(*value) : Json(nullptr); }

std::string top_level(const std::string& name) { return name.substr(0, name.find('.')); }

const std::string kDependencyRemedy = "Update the dependency installation or the admission contract.";

// The rule's checks of one distribution (or of none, for an import no distribution provides).
void rule_violations(const Dependency& dependency, const Distribution* distribution, const DependencyRule& rule, const std::string& subject,
                     std::vector<PolicyViolation>& out) {
  const Location location{subject, dependency.reference.line, dependency.reference.column};
  const auto add = [&](const char* code, std::string message, Json expected, Json observed) {
    out.push_back({code, "dependency", std::move(message), rule.normalized, "error", "static", location, std::move(expected), std::move(observed),
                   kDependencyRemedy});
  };
  const std::string& key = rule.normalized;
  if (!rule.allowed) add("ISPY-D101", "Dependency `" + key + "` is not permitted by policy.", "absent", "observed");
  if (rule.version) {
    const std::optional<std::string> version = distribution ? distribution->version : std::nullopt;
    const std::optional<Version> parsed = version ? Version::parse(*version) : std::nullopt;
    if (!parsed || !rule.version->matches(parsed, *version)) {
      add("ISPY-D104", "Dependency `" + key + "` does not satisfy version " + rule.version->text() + ".", rule.version->text(), optional_json(version));
    }
  }
  const std::optional<bool> declared = distribution ? distribution->declared : dependency.declared;
  if (rule.declared && declared != rule.declared) {
    add("ISPY-D105", "Declaration requirement for `" + key + "` was not established.", *rule.declared, optional_json(declared));
  }
  const Origin origin = distribution ? distribution->origin : Origin{};
  if (rule.editable && origin.editable != rule.editable) {
    add("ISPY-D107", "Editable installation requirement for `" + key + "` was not established.", *rule.editable, optional_json(origin.editable));
  }
  if (rule.origin) {
    const auto compare = [&](const char* field, const std::optional<std::string>& expected, const std::optional<std::string>& observed, bool url,
                             bool repository) {
      if (!expected) return;
      std::optional<std::string> want = url ? normalize_origin_url(*expected, repository) : expected;
      std::optional<std::string> got = url && observed ? normalize_origin_url(*observed, repository) : observed;
      if (want != got) {
        add("ISPY-D106", "Dependency `" + key + "` has an unexpected or unknown origin " + field + ".", optional_json(want), optional_json(got));
      }
    };
    compare("type", rule.origin->type, origin.type, false, false);
    compare("repository", rule.origin->repository, origin.repository, true, true);
    compare("url", rule.origin->url, origin.url, true, false);
    compare("commit", rule.origin->commit, origin.commit, false, false);
  }
}

std::vector<PolicyViolation> dependency_violations(const Policy& policy, const std::vector<Dependency>& dependencies, const std::string& subject) {
  std::vector<PolicyViolation> out;
  std::set<std::string, std::less<>> observed;
  const auto& options = policy.dependency_options;
  for (const Dependency& dependency : dependencies) {
    const std::string import_key = "import:" + top_level(dependency.reference.name);
    observed.insert(import_key);
    const Location location{subject, dependency.reference.line, dependency.reference.column};
    if (dependency.kind == "unresolved" && options.unresolved == Option::deny) {
      out.push_back({"ISPY-D102", "dependency", "Import `" + dependency.reference.name + "` could not be resolved.", dependency.reference.name, "error",
                     "static", location, "resolved", "unresolved", "Install the dependency or explicitly allow unresolved imports."});
    }
    for (const DependencyRule& rule : policy.dependencies) {
      if (rule.normalized != import_key) continue;
      if (dependency.distributions.empty()) rule_violations(dependency, nullptr, rule, subject, out);
      for (const Distribution& distribution : dependency.distributions) rule_violations(dependency, &distribution, rule, subject, out);
    }
    for (const Distribution& distribution : dependency.distributions) {
      const std::string name = normalize_distribution_name(distribution.name);
      observed.insert(name);
      std::vector<const DependencyRule*> matched;
      for (const DependencyRule& rule : policy.dependencies) {
        if (rule.normalized == name) matched.push_back(&rule);
      }
      if (matched.empty() && options.unlisted == Option::deny) {
        out.push_back({"ISPY-D108", "dependency", "Dependency `" + name + "` has no distribution policy entry.", name, "error", "static", location,
                       "listed", "unlisted", std::nullopt});
      }
      if (options.undeclared == Option::deny && distribution.declared != true) {
        out.push_back({"ISPY-D105", "dependency", "Dependency `" + name + "` is undeclared or its declaration context is unknown.", name, "error",
                       "static", location, true, optional_json(distribution.declared), std::nullopt});
      }
      for (const DependencyRule* rule : matched) rule_violations(dependency, &distribution, *rule, subject, out);
    }
  }
  for (const DependencyRule& rule : policy.dependencies) {
    if (rule.required && !observed.contains(rule.normalized)) {
      out.push_back({"ISPY-D103", "dependency", "Required dependency `" + rule.normalized + "` was not observed in source.", rule.normalized, "error",
                     "static", std::nullopt, "observed", "absent", "Declare and import the required dependency or revise the contract."});
    }
  }
  return out;
}

bool listed(const std::vector<std::string>& allowed, const std::string& value, bool ignore_case) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& item) { return ignore_case ? lower(item) == lower(value) : item == value; });
}

std::vector<PolicyViolation> runtime_violations(const Policy& policy, const Host& host, const std::vector<Evidence>& evidence, const std::string& subject) {
  std::vector<PolicyViolation> out;
  const RuntimeRules& runtime = policy.runtime;
  // Implementation names are compared without regard to case (`cpython` names CPython); 0.5.0 compares
  // them exactly, which denies CPython for `[cpython]` (docs/policies-0.5.md, Differences).
  const struct {
    const char* name;
    const std::vector<std::string>& allowed;
    const std::string& observed;
    bool ignore_case;
  } lists[] = {{"os", runtime.os, host.os, false},
               {"architecture", runtime.architecture, host.architecture, false},
               {"implementation", runtime.implementation, host.implementation, true}};
  for (const auto& rule : lists) {
    if (rule.allowed.empty() || listed(rule.allowed, rule.observed, rule.ignore_case)) continue;
    out.push_back({"ISPY-R101", "runtime", std::string("Host ") + rule.name + " is not permitted.", subject, "error", "runtime", std::nullopt,
                   Json(rule.allowed), rule.observed, std::nullopt});
  }
  if (runtime.python && !runtime.python->matches(host.python)) {
    out.push_back({"ISPY-R102", "runtime", "Host Python version is not permitted.", subject, "error", "runtime", std::nullopt, runtime.python->text(),
                   host.python, std::nullopt});
  }
  for (const Evidence& item : evidence) {
    if (item.kind == "runtime.environment" && item.provider == "importspy" && item.observed != Json(true)) {
      out.push_back({"ISPY-R103", "runtime", "Required environment variable is missing or differs (value redacted).", item.subject, "error", "runtime",
                     std::nullopt, nullptr, nullptr, std::nullopt});
    }
  }
  return out;
}

bool satisfies(const Evidence& item, const EvidenceRequirement& requirement) {
  const bool truthy = !(item.observed.is_null() || item.observed == Json(false) || item.observed == Json(0) || item.observed == Json("") ||
                        ((item.observed.is_array() || item.observed.is_object()) && item.observed.empty()));
  return item.kind == requirement.kind && item.subject == requirement.subject &&
         (item.status == requirement.status || (requirement.status == "observed" && item.status == "verified")) && truthy &&
         (!requirement.provider || item.provider == *requirement.provider);
}

}  // namespace

std::vector<Evidence> runtime_evidence(const Policy& policy, const Host& host, const std::string& subject) {
  std::vector<Evidence> out;
  for (const auto& [kind, value] : {std::pair{"python", &host.python}, std::pair{"os", &host.os}, std::pair{"architecture", &host.architecture},
                                    std::pair{"implementation", &host.implementation}}) {
    out.push_back({std::string("runtime.") + kind, subject, *value, nullptr, "importspy", "runtime", "verified", std::nullopt});
  }
  for (const EnvironmentRule& rule : policy.runtime.environment) {
    const auto found = host.variables.find(rule.name);
    const bool met = found != host.variables.end() && (!rule.value || found->second == *rule.value);
    out.push_back({"runtime.environment", rule.name, met, true, "importspy", "runtime", "verified", std::nullopt});
  }
  return out;
}

std::vector<PolicyViolation> evaluate(const Policy& policy, const Host& host, const std::vector<Dependency>& dependencies,
                                      const std::vector<Evidence>& evidence, const std::string& subject) {
  std::vector<PolicyViolation> out = dependency_violations(policy, dependencies, subject);
  for (auto& violation : runtime_violations(policy, host, evidence, subject)) out.push_back(std::move(violation));
  std::vector<EvidenceRequirement> requirements = policy.evidence_requirements;
  for (const DependencyRule& rule : policy.dependencies) {
    if (!rule.provenance) continue;
    std::set<std::string> subjects;
    bool matched = false;
    for (const Dependency& dependency : dependencies) {
      for (const Distribution& distribution : dependency.distributions) {
        if (!rule.is_import && distribution.name == rule.normalized) subjects.insert(distribution.name);
      }
      if (rule.is_import && "import:" + top_level(dependency.reference.name) == rule.normalized) {
        matched = true;
        for (const Distribution& distribution : dependency.distributions) subjects.insert(distribution.name);
      }
    }
    if (rule.is_import && matched && subjects.empty()) subjects.insert(rule.normalized);  // no distribution can establish provenance
    for (const std::string& name : subjects) requirements.push_back({"distribution.provenance", name, std::nullopt, "verified"});
  }
  for (const EvidenceRequirement& requirement : requirements) {
    if (std::any_of(evidence.begin(), evidence.end(), [&](const Evidence& item) { return satisfies(item, requirement); })) continue;
    out.push_back({"ISPY-P101", "evidence", "Required " + requirement.kind + " evidence is unavailable or insufficient.", requirement.subject, "error",
                   "external", std::nullopt, requirement.status, nullptr, "Select a trusted evidence provider explicitly, or revise the policy."});
  }
  return out;
}

}  // namespace importspy::policy
