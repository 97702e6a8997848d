#include "importspy/policy/admission.hpp"

#include <algorithm>
#include <set>

namespace importspy::policy {
namespace fs = std::filesystem;
namespace {

Json optional_json(const std::optional<std::string>& value) { return value ? Json(*value) : Json(nullptr); }
Json optional_json(const std::optional<bool>& value) { return value ? Json(*value) : Json(nullptr); }
Json optional_json(const std::optional<int>& value) { return value ? Json(*value) : Json(nullptr); }

Json host_json(const Host& host) {
  return Json{{"python", host.python}, {"os", host.os}, {"architecture", host.architecture}, {"implementation", host.implementation}};
}

Json reference_json(const ImportReference& reference) {
  return Json{{"name", reference.name}, {"line", reference.line}, {"column", reference.column}, {"level", reference.level}, {"optional", false}};
}

Json violation_json(const PolicyViolation& violation) {
  Json location = nullptr;
  if (violation.location) {
    location = Json{{"path", violation.location->path}, {"line", optional_json(violation.location->line)}, {"column", optional_json(violation.location->column)}};
  }
  return Json{{"code", violation.code},         {"category", violation.category}, {"message", violation.message},
              {"subject", violation.subject},   {"severity", violation.severity}, {"phase", violation.phase},
              {"location", location},           {"expected", violation.expected}, {"observed", violation.observed},
              {"remediation", optional_json(violation.remediation)}};
}

bool is_file_or_folder(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) || fs::is_directory(path, ec);
}

bool inside(const fs::path& path, const fs::path& root) {
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(path, ec);
  if (ec) return false;
  const fs::path relative = resolved.lexically_relative(root);
  return !relative.empty() && *relative.begin() != "..";
}

enum class LocalKind { none, internal, namespace_, escapes };

// Where 0.5.0 looks for a local module: relative imports from the subject's folder (one level up per extra
// dot), absolute ones in src/, the project root and the subject's folder. A regular top-level module or
// package there is internal, a folder without __init__.py a namespace part; a match outside the project
// root stops the search (escapes).
LocalKind local_kind(const ImportReference& reference, const fs::path& folder, const fs::path& root) {
  std::vector<std::string> parts;
  for (size_t start = 0; !reference.name.empty();) {
    const size_t dot = reference.name.find('.', start);
    parts.push_back(reference.name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  std::vector<fs::path> roots;
  if (reference.level > 0) {
    fs::path base = folder;
    for (int i = 1; i < reference.level; ++i) base = base.parent_path();
    roots.push_back(base);
  } else {
    roots = {root / "src", root, folder};
  }
  bool namespace_part = false;
  for (const fs::path& base : roots) {
    fs::path path = base;
    for (const std::string& part : parts) path /= part;
    const fs::path top = parts.empty() ? base : base / parts.front();
    const auto with_py = [](fs::path p) { return p += ".py"; };
    std::vector<fs::path> candidates;
    if (reference.level == 0) candidates = {with_py(top), top / "__init__.py"};
    candidates.push_back(with_py(path));
    candidates.push_back(path);
    std::error_code ec;
    for (const fs::path& candidate : candidates) {
      if (!is_file_or_folder(candidate)) continue;
      if (!inside(candidate, root)) return LocalKind::escapes;
      if (reference.level > 0 || fs::is_regular_file(with_py(top), ec) || fs::is_regular_file(top / "__init__.py", ec)) return LocalKind::internal;
      namespace_part = true;
    }
  }
  return namespace_part ? LocalKind::namespace_ : LocalKind::none;
}

}  // namespace

bool Decision::admitted() const {
  return environment.has_value() && std::none_of(violations.begin(), violations.end(), [](const auto& v) { return v.severity == "error"; });
}

Json to_json(const Decision& decision) {
  Json dependencies = Json::array();
  for (const Dependency& dependency : decision.dependencies) {
    Json distributions = Json::array();
    for (const Distribution& distribution : dependency.distributions) {
      const Origin& origin = distribution.origin;
      distributions.push_back(Json{{"name", distribution.name},
                                   {"version", optional_json(distribution.version)},
                                   {"declared", optional_json(distribution.declared)},
                                   {"origin", Json{{"type", origin.type}, {"url", optional_json(origin.url)}, {"repository", optional_json(origin.repository)},
                                                   {"commit", optional_json(origin.commit)}, {"editable", optional_json(origin.editable)}, {"hashes", Json::object()}}}});
    }
    dependencies.push_back(Json{{"reference", reference_json(dependency.reference)}, {"kind", dependency.kind}, {"distributions", distributions},
                                {"declared", optional_json(dependency.declared)}, {"detail", optional_json(dependency.detail)}});
  }
  Json evidence = Json::array();
  for (const Evidence& item : decision.evidence) {
    evidence.push_back(Json{{"kind", item.kind}, {"subject", item.subject}, {"observed", item.observed}, {"expected", item.expected},
                            {"provider", item.provider}, {"phase", item.phase}, {"status", item.status}, {"detail", optional_json(item.detail)}});
  }
  Json violations = Json::array();
  for (const PolicyViolation& violation : decision.violations) violations.push_back(violation_json(violation));
  return Json{{"schema_version", 1},
              {"subject", decision.subject},
              {"source_hash", optional_json(decision.source_hash)},
              {"contract_identity", optional_json(decision.contract_identity)},
              {"contract_hash", optional_json(decision.contract_hash)},
              {"engine_version", decision.engine_version},
              {"environment", decision.environment ? host_json(*decision.environment) : Json::object()},
              {"dependencies", dependencies},
              {"evidence", evidence},
              {"violations", violations},
              {"decision", decision.admitted() ? "ADMIT" : "DENY"},
              {"phases", decision.phases},
              {"runtime_required", decision.runtime_required},
              {"target_executed", decision.target_executed},
              {"timestamp", decision.timestamp}};
}

Json decision_record(const std::vector<Decision>& decisions) {
  Json subjects = Json::array();
  for (const Decision& decision : decisions) {
    Json distributions = Json::array();
    std::set<std::string> seen;
    for (const Dependency& dependency : decision.dependencies) {
      for (const Distribution& distribution : dependency.distributions) {
        if (!seen.insert(distribution.name).second) continue;
        const Origin& origin = distribution.origin;
        distributions.push_back(Json{{"name", distribution.name},
                                     {"version", optional_json(distribution.version)},
                                     {"origin", Json{{"type", origin.type}, {"url", optional_json(origin.url)}, {"repository", optional_json(origin.repository)},
                                                     {"commit", optional_json(origin.commit)}, {"editable", optional_json(origin.editable)}}}});
      }
    }
    Json violations = Json::array();
    for (const PolicyViolation& violation : decision.violations) violations.push_back(violation.code);
    subjects.push_back(Json{{"subject", decision.subject},
                            {"source_sha256", optional_json(decision.source_hash)},
                            {"policy", optional_json(decision.contract_identity)},
                            {"policy_sha256", optional_json(decision.contract_hash)},
                            {"host", decision.environment ? host_json(*decision.environment) : Json(nullptr)},
                            {"distributions", distributions},
                            {"violations", violations},
                            {"decision", decision.admitted() ? "ADMIT" : "DENY"},
                            {"timestamp", decision.timestamp.empty() ? Json(nullptr) : Json(decision.timestamp)}});
  }
  return Json{{"record_version", 1}, {"engine_version", decisions.empty() ? std::string() : decisions.front().engine_version}, {"decisions", subjects}};
}

Decision error_decision(const std::string& subject, const std::string& code, const std::string& message, const std::string& category,
                        const std::string& engine_version) {
  Decision decision;
  decision.subject = subject;
  decision.engine_version = engine_version;
  decision.violations.push_back({code, category, message, subject, "error", "configuration", std::nullopt, nullptr, nullptr, std::nullopt});
  return decision;
}

fs::path project_root_for(const fs::path& subject) {
  std::error_code ec;
  fs::path folder = fs::weakly_canonical(subject, ec).parent_path();
  for (fs::path at = folder; !at.empty(); at = at.parent_path()) {
    if (fs::is_regular_file(at / "pyproject.toml", ec)) return at;
    if (at == at.root_path()) break;
  }
  return folder;
}

std::vector<Dependency> resolve(const std::vector<ImportReference>& imports, const fs::path& subject, const Resolution& where) {
  std::vector<Dependency> out;
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(where.project_root, ec);
  const fs::path folder = fs::weakly_canonical(subject, ec).parent_path();
  for (const ImportReference& reference : imports) {
    const std::string top = reference.name.substr(0, reference.name.find('.'));
    Dependency dependency{reference, "unresolved", {}, std::nullopt, std::nullopt};
    // Built-in modules cannot be shadowed; other stdlib modules can, by a local file of the same name.
    if (reference.level == 0 && where.builtin.contains(top)) {
      dependency.kind = "stdlib";
      out.push_back(std::move(dependency));
      continue;
    }
    const LocalKind local = local_kind(reference, folder, root);
    if (local == LocalKind::internal || local == LocalKind::escapes) {
      if (local == LocalKind::internal) dependency.kind = "internal";
      else dependency.detail = "A local import path escapes the project root.";
      out.push_back(std::move(dependency));
      continue;
    }
    if (reference.level == 0 && where.stdlib.contains(top)) {
      dependency.kind = "stdlib";
      out.push_back(std::move(dependency));
      continue;
    }
    std::set<std::string> names;
    if (reference.level == 0 && where.distributions) {
      if (const auto* providers = where.distributions->providers(top)) {
        for (const std::string& name : *providers) names.insert(normalize_distribution_name(name));
      }
    }
    for (const std::string& name : names) {
      const InstalledDistribution* installed = where.distributions->find(name);
      if (!installed) continue;
      Distribution distribution{name, installed->version, std::nullopt, read_direct_url(installed->direct_url)};
      if (where.declarations) distribution.declared = where.declarations->contains(name);
      dependency.distributions.push_back(std::move(distribution));
    }
    if (names.empty() && local == LocalKind::namespace_) {
      dependency.kind = "internal";  // a namespace folder of the project that no distribution shares
      out.push_back(std::move(dependency));
      continue;
    }
    if (names.empty() || dependency.distributions.size() != names.size()) {
      dependency.detail = "No complete installed distribution mapping or local source was found.";
      out.push_back(std::move(dependency));
      continue;
    }
    const std::string& origin = dependency.distributions.front().origin.type;
    dependency.kind = dependency.distributions.size() > 1 || local == LocalKind::namespace_ ? "namespace"
                      : (origin == "vcs" || origin == "local" || origin == "archive")     ? "direct"
                                                                                          : "external";
    if (local == LocalKind::namespace_) dependency.detail = "Local namespace source and installed contributors were both found.";
    if (where.declarations) {
      dependency.declared = std::all_of(dependency.distributions.begin(), dependency.distributions.end(), [](const auto& d) { return d.declared == true; });
    }
    out.push_back(std::move(dependency));
  }
  return out;
}

Decision admit(const std::optional<Policy>& policy, const Subject& subject, const Host& host, const Resolution& where,
               const std::string& engine_version, const std::string& timestamp, const ExternalEvidence& external) {
  static const Policy default_policy{};
  const Policy& rules = policy ? *policy : default_policy;
  Decision decision;
  decision.subject = subject.path;
  decision.source_hash = subject.sha256;
  if (policy) {
    decision.contract_identity = policy->policy_id ? *policy->policy_id : policy->source;
    decision.contract_hash = policy->sha256;
  }
  decision.engine_version = engine_version;
  decision.environment = host;
  decision.timestamp = timestamp;
  decision.phases = {"static"};
  if (subject.source_error) {
    decision.violations.push_back(*subject.source_error);
    return decision;
  }
  decision.evidence.push_back({"source.syntax", subject.path, "valid", nullptr, "importspy", "static", "verified", std::nullopt});
  decision.dependencies = resolve(subject.imports, subject.path, where);
  for (const Dependency& dependency : decision.dependencies) {
    decision.evidence.push_back({"dependency.classification", dependency.reference.name, dependency.kind, nullptr, "importspy", "static",
                                 dependency.kind == "unresolved" ? "unknown" : "observed", dependency.detail});
  }
  for (auto& item : runtime_evidence(rules, host, subject.path)) decision.evidence.push_back(std::move(item));
  decision.phases.insert(decision.phases.end(), {"resolve", "evidence", "host-runtime"});
  if (external) {
    for (auto& item : external(decision)) decision.evidence.push_back(std::move(item));
  }
  decision.violations = evaluate(rules, host, decision.dependencies, decision.evidence, subject.path);
  decision.phases.push_back("policy");
  decision.runtime_required = std::any_of(decision.violations.begin(), decision.violations.end(), [](const auto& v) { return v.code == "ISPY-S103"; });
  return decision;
}

}  // namespace importspy::policy
