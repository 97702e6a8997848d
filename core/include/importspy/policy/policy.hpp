#pragma once
// An ImportSpy 0.5 admission policy (docs/policies-0.5.md): host constraints, dependency rules and
// evidence requirements, as read from YAML and validated once.

#include <optional>
#include <string>
#include <vector>

#include "importspy/lang/version.hpp"
#include "importspy/util/source_mark.hpp"

namespace importspy::policy {

struct EnvironmentRule {
  std::string name;
  std::optional<std::string> value;  // nullopt: the variable must only be set
  SourceMark mark;
};

struct RuntimeRules {
  std::optional<VersionRule> python;  // a PEP 440 specifier set
  std::vector<std::string> os;
  std::vector<std::string> architecture;
  std::vector<std::string> implementation;
  std::vector<EnvironmentRule> environment;  // in file order
};

struct OriginRule {
  std::optional<std::string> type;  // unknown, index, vcs, local, archive
  std::optional<std::string> repository;
  std::optional<std::string> url;
  std::optional<std::string> commit;
};

struct DependencyRule {
  std::string key;  // as written: a distribution name or `import:<identifier>`
  std::string normalized;  // PEP 503 name, or the `import:` key unchanged
  bool is_import = false;
  bool allowed = true;
  bool required = false;
  std::optional<VersionRule> version;
  std::optional<bool> declared;
  std::optional<OriginRule> origin;
  std::optional<bool> editable;
  bool provenance = false;
  SourceMark mark;
};

enum class Option { allow, deny };

struct DependencyOptions {
  Option unresolved = Option::deny;
  Option undeclared = Option::allow;
  Option unlisted = Option::allow;
};

struct EvidenceRequirement {
  std::string kind;
  std::string subject;
  std::optional<std::string> provider;
  std::string status = "verified";  // or "observed"
};

struct Policy {
  std::string source;  // the path as given, for messages and contract_identity
  std::string sha256;  // of the file's bytes; empty for the default policy
  std::optional<std::string> policy_id;
  RuntimeRules runtime;
  std::vector<DependencyRule> dependencies;  // sorted by normalized key, as 0.5.0 evaluates them
  DependencyOptions dependency_options;
  std::vector<EvidenceRequirement> evidence_requirements;
  // The 0.4 structural keys a policy may also carry (filename, version, variables, functions, classes,
  // deployments), as 0.4 contract text: the policy file with its other top-level blocks blanked, so that
  // the contract loader's lines and columns are the policy's. Checked statically (S101-S103, R104).
  std::optional<std::string> structure;
};

// PEP 503 normalisation: runs of `-`, `_`, `.` become one `-`, letters lower-cased.
std::string normalize_distribution_name(std::string_view name);
// A valid distribution name (PEP 508): letters and digits at both ends, `._-` inside.
bool is_distribution_name(std::string_view name);
// An origin URL normalised as 0.5.0 compares them (scheme and host lower-cased, default port, user info,
// query, fragment and trailing `/` removed; `.git` too for a repository); nullopt when not an absolute URL
// with scheme https, http, ssh, git, file or ftp.
std::optional<std::string> normalize_origin_url(std::string_view url, bool repository = false);

}  // namespace importspy::policy
