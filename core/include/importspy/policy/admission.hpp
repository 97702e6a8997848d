#pragma once
// One admission decision in ImportSpy 0.5.0's document shape (docs/policies-0.5.md): what was checked,
// the facts, the violations, ADMIT or DENY; and how the subject's imports are resolved.

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "importspy/facts/distributions.hpp"
#include "importspy/policy/decision.hpp"

namespace importspy::policy {

struct Decision {
  std::string subject;  // absolute path; on a configuration error, the argument as given
  std::optional<std::string> source_hash;
  std::optional<std::string> contract_identity;
  std::optional<std::string> contract_hash;
  std::string engine_version;
  std::optional<Host> environment;  // absent on a configuration error
  std::vector<Dependency> dependencies;
  std::vector<Evidence> evidence;
  std::vector<PolicyViolation> violations;
  std::vector<std::string> phases;
  bool runtime_required = false;
  bool target_executed = false;
  std::string timestamp;  // ISO 8601, UTC

  bool admitted() const;
};

// The document, keys in 0.5.0's order.
Json to_json(const Decision& decision);

// The decision record `importspy check --record FILE` writes (docs/policies-0.5.md): per subject, the
// subject and policy hashes, host facts, each distribution's version and origin, the decision and time.
// Environment variable values never appear.
Json decision_record(const std::vector<Decision>& decisions);

// A decision that could not be made: `code` ISPY-C101 (configuration, exit 2) or ISPY-C199 (tool, exit 3).
Decision error_decision(const std::string& subject, const std::string& code, const std::string& message, const std::string& category,
                        const std::string& engine_version);

// The subject, read and parsed by the caller.
struct Subject {
  std::string path;  // absolute
  std::optional<std::string> sha256;  // of its bytes; nullopt when unreadable
  std::optional<PolicyViolation> source_error;  // ISPY-S001 when it cannot be read or parsed
  std::vector<ImportReference> imports;
};

// Where imports resolve: the standard library's top-level names, the project root.
struct Resolution {
  std::set<std::string, std::less<>> stdlib;  // sys.stdlib_module_names ∪ sys.builtin_module_names
  std::filesystem::path project_root;
  const DistributionIndex* distributions = nullptr;  // installed distributions (sys.path); null: none
  // PEP 503 names the project's pyproject.toml declares; nullopt when that cannot be known.
  std::optional<std::set<std::string, std::less<>>> declarations;
  std::set<std::string, std::less<>> builtin;  // sys.builtin_module_names: never shadowed by a local file
};

// Each import classified as 0.5.0 does: stdlib, internal (a file or package under the project),
// external or direct (one installed distribution provides it; direct: PEP 610 vcs, local or archive
// origin), namespace (several), or unresolved.
std::vector<Dependency> resolve(const std::vector<ImportReference>& imports, const std::filesystem::path& subject, const Resolution& where);

// The distribution names a project declares (runtime and optional dependencies of [project], else
// [tool.poetry.dependencies]); nullopt when there is no pyproject.toml or the lists are dynamic or invalid.
std::optional<std::set<std::string, std::less<>>> project_declarations(const std::filesystem::path& project_root);

// A distribution's PEP 610 origin as 0.5.0 reads direct_url.json: anything missing or malformed is `unknown`.
Origin read_direct_url(const std::optional<std::string>& json);

// The project root 0.5.0 uses: the nearest parent of the subject holding pyproject.toml, else its folder.
std::filesystem::path project_root_for(const std::filesystem::path& subject);

// Evidence from outside the engine (the selected evidence providers), asked for once the subject's
// dependencies are resolved and before any rule is evaluated; empty when none are selected.
using ExternalEvidence = std::function<std::vector<Evidence>(const Decision& so_far)>;

// Decides `subject` against `policy` (nullopt: the default policy) on `host`.
Decision admit(const std::optional<Policy>& policy, const Subject& subject, const Host& host, const Resolution& where,
               const std::string& engine_version, const std::string& timestamp, const ExternalEvidence& external = {});

}  // namespace importspy::policy
