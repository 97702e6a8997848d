#pragma once
// Deciding a 0.5 policy on collected facts: host runtime, the subject's imports and what they resolve to,
// evidence. Pure: no file, import or network access; the caller collects the facts.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "importspy/policy/policy.hpp"

namespace importspy::policy {

using Json = nlohmann::ordered_json;

// The host as 0.5.0 reports it: platform.python_version(), platform.system().lower(),
// platform.machine().lower(), platform.python_implementation().
struct Host {
  std::string python;
  std::string os;
  std::string architecture;
  std::string implementation;
  std::map<std::string, std::string, std::less<>> variables;  // the process environment; values never reported
};

struct ImportReference {
  std::string name;  // as written, without leading dots
  int line = 1;
  int column = 1;
  int level = 0;  // leading dots of a relative import
};

struct Origin {  // PEP 610 direct_url.json, as far as it could be read
  std::string type = "unknown";  // unknown, index, vcs, local, archive
  std::optional<std::string> url, repository, commit;
  std::optional<bool> editable;
};

struct Distribution {
  std::string name;  // PEP 503 normalised
  std::optional<std::string> version;
  std::optional<bool> declared;  // named in pyproject.toml; nullopt when that cannot be known
  Origin origin;
};

// One import of the subject and what it resolved to.
struct Dependency {
  ImportReference reference;
  std::string kind;  // stdlib, internal, external, namespace, direct, unresolved
  std::vector<Distribution> distributions;
  std::optional<bool> declared;
  std::optional<std::string> detail;
};

struct Evidence {
  std::string kind;
  std::string subject;
  Json observed;
  Json expected;
  std::string provider = "importspy";
  std::string phase = "static";
  std::string status = "observed";
  std::optional<std::string> detail;
};

struct Location {
  std::string path;
  std::optional<int> line, column;
};

// A violation in 0.5.0's shape; `code` is public (ISPY-R101 …), see docs/policies-0.5.md.
struct PolicyViolation {
  std::string code;
  std::string category;
  std::string message;
  std::string subject;
  std::string severity = "error";
  std::string phase = "static";
  std::optional<Location> location;
  Json expected;
  Json observed;
  std::optional<std::string> remediation;
};

// Evidence the engine itself collects about the host for this policy (runtime.*; runtime.environment
// with only whether each required variable is as required, never its value).
std::vector<Evidence> runtime_evidence(const Policy& policy, const Host& host, const std::string& subject);

// Every violation of `policy` by the facts, in 0.5.0's order: dependency rules, runtime rules, evidence
// requirements. `subject` is the subject's absolute path.
std::vector<PolicyViolation> evaluate(const Policy& policy, const Host& host, const std::vector<Dependency>& dependencies,
                                      const std::vector<Evidence>& evidence, const std::string& subject);

}  // namespace importspy::policy
