// Deciding a 0.5 policy on facts: runtime rules, dependency rules, evidence requirements.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "importspy/policy/admission.hpp"
#include "importspy/policy/loader.hpp"

namespace importspy::policy {
namespace {

Host linux_host() { return {"3.11.7", "linux", "x86_64", "CPython", {{"MODE", "test"}}}; }

std::vector<std::string> codes_of(const std::string& yaml, const std::vector<Dependency>& dependencies = {}, Host host = linux_host()) {
  const Policy policy = parse_policy(yaml, "policy.yml");
  const auto evidence = runtime_evidence(policy, host, "/srv/plugin.py");
  std::vector<std::string> out;
  for (const auto& violation : evaluate(policy, host, dependencies, evidence, "/srv/plugin.py")) out.push_back(violation.code);
  return out;
}

Dependency stdlib(std::string name) { return {{std::move(name), 1, 1, 0}, "stdlib", {}, std::nullopt, std::nullopt}; }

using Codes = std::vector<std::string>;

TEST(PolicyDecision, admits_a_host_meeting_every_runtime_rule) {
  EXPECT_EQ(codes_of("schema_version: 1\nruntime: {python: '>=3.8', os: [linux], architecture: [x86_64], implementation: [CPython], "
                     "environment: {MODE: test, PATH_UNSET_OK: null}}\n")
                .size(),
            1u);  // PATH_UNSET_OK is not set: the one violation
  EXPECT_EQ(codes_of("schema_version: 1\nruntime: {python: '>=3.8', os: [linux], environment: {MODE: test}}\n"), Codes{});
}

TEST(PolicyDecision, denies_an_os_architecture_or_implementation_not_listed) {
  EXPECT_EQ(codes_of("schema_version: 1\nruntime: {os: [plan9], architecture: [s390x], implementation: [PyPy]}\n"),
            (Codes{"ISPY-R101", "ISPY-R101", "ISPY-R101"}));
}

TEST(PolicyDecision, compares_implementation_names_without_regard_to_case_unlike_0_5) {
  EXPECT_EQ(codes_of("schema_version: 1\nruntime: {implementation: [cpython]}\n"), Codes{});
  EXPECT_EQ(codes_of("schema_version: 1\nruntime: {os: [Linux]}\n"), Codes{"ISPY-R101"});  // os is compared exactly, as 0.5.0 does
}

TEST(PolicyDecision, denies_a_python_outside_the_range_and_accepts_its_prereleases) {
  EXPECT_EQ(codes_of("schema_version: 1\nruntime: {python: '<3'}\n"), Codes{"ISPY-R102"});
  Host prerelease = linux_host();
  prerelease.python = "3.14.0rc1";
  EXPECT_EQ(codes_of("schema_version: 1\nruntime: {python: '>=3.13'}\n", {}, prerelease), Codes{});
  EXPECT_EQ(codes_of("schema_version: 1\nruntime: {python: '<3.14'}\n", {}, prerelease), Codes{"ISPY-R102"});  // PEP 440: <V excludes V's pre-releases
}

TEST(PolicyDecision, denies_a_missing_or_different_environment_variable_without_its_value) {
  const Policy policy = parse_policy("schema_version: 1\nruntime: {environment: {MODE: production, ABSENT: null}}\n", "policy.yml");
  const auto evidence = runtime_evidence(policy, linux_host(), "/srv/plugin.py");
  const auto violations = evaluate(policy, linux_host(), {}, evidence, "/srv/plugin.py");
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].subject, "MODE");
  EXPECT_EQ(violations[0].code, "ISPY-R103");
  EXPECT_TRUE(violations[0].observed.is_null());  // the value "test" appears nowhere
  EXPECT_EQ(violations[1].subject, "ABSENT");
}

TEST(PolicyDecision, denies_a_forbidden_import_at_its_line) {
  const Policy policy = parse_policy("schema_version: 1\ndependencies: {'import:json': {allowed: false}}\n", "policy.yml");
  Dependency json = stdlib("json.decoder");
  json.reference.line = 7;
  const auto violations = evaluate(policy, linux_host(), {json, stdlib("os")}, {}, "/srv/plugin.py");
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].code, "ISPY-D101");
  EXPECT_EQ(violations[0].subject, "import:json");
  EXPECT_EQ(violations[0].location->line, 7);
}

TEST(PolicyDecision, denies_a_required_dependency_not_imported) {
  EXPECT_EQ(codes_of("schema_version: 1\ndependencies: {requests: {required: true}, 'import:os': {required: true}}\n", {stdlib("os")}),
            Codes{"ISPY-D103"});
}

TEST(PolicyDecision, denies_unresolved_imports_unless_allowed) {
  Dependency unknown{{"nowhere", 2, 1, 0}, "unresolved", {}, std::nullopt, std::nullopt};
  EXPECT_EQ(codes_of("schema_version: 1\n", {unknown}), Codes{"ISPY-D102"});
  EXPECT_EQ(codes_of("schema_version: 1\ndependency_options: {unresolved: allow}\n", {unknown}), Codes{});
}

TEST(PolicyDecision, checks_version_origin_editable_and_listing_of_a_distribution) {
  Distribution requests{"requests", "2.30.0", false, {"index", std::nullopt, std::nullopt, std::nullopt, false}};
  Dependency dependency{{"requests", 1, 1, 0}, "external", {requests}, false, std::nullopt};
  EXPECT_EQ(codes_of("schema_version: 1\ndependencies: {requests: {version: '>=2.31', declared: true, editable: true, origin: {type: vcs}}}\n",
                     {dependency}),
            (Codes{"ISPY-D104", "ISPY-D105", "ISPY-D107", "ISPY-D106"}));
  EXPECT_EQ(codes_of("schema_version: 1\ndependencies: {requests: {version: '>=2.30', editable: false, origin: {type: index}}}\n", {dependency}),
            Codes{});
  EXPECT_EQ(codes_of("schema_version: 1\ndependency_options: {unlisted: deny, undeclared: deny}\n", {dependency}),
            (Codes{"ISPY-D108", "ISPY-D105"}));
}

TEST(PolicyDecision, denies_evidence_requirements_no_evidence_meets) {
  EXPECT_EQ(codes_of("schema_version: 1\nevidence_requirements: [{kind: distribution.provenance, subject: requests}]\n"), Codes{"ISPY-P101"});
  // Evidence the engine collects meets a requirement naming it.
  EXPECT_EQ(codes_of("schema_version: 1\nevidence_requirements: [{kind: runtime.os, subject: /srv/plugin.py, status: observed}]\n"), Codes{});
}

TEST(PolicyAdmission, resolves_stdlib_local_and_unresolved_imports) {
  const auto root = std::filesystem::temp_directory_path() / "importspy_policy_resolve";
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root / "pkg");
  std::ofstream(root / "pyproject.toml") << "[project]\nname = 'x'\n";
  std::ofstream(root / "helpers.py") << "";
  std::ofstream(root / "pkg" / "__init__.py") << "";
  EXPECT_EQ(project_root_for(root / "pkg" / "plugin.py"), std::filesystem::canonical(root));
  const auto dependencies = resolve({{"os.path", 1, 1, 0}, {"helpers", 2, 1, 0}, {"pkg", 3, 1, 0}, {"", 4, 1, 1}, {"nowhere", 5, 1, 0}},
                                    root / "pkg" / "plugin.py", {{"os"}, root});
  std::vector<std::string> kinds;
  for (const auto& dependency : dependencies) kinds.push_back(dependency.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"stdlib", "internal", "internal", "internal", "unresolved"}));
  std::filesystem::remove_all(root);
}

TEST(PolicyAdmission, writes_the_decision_document_in_0_5_key_order) {
  const Policy policy = parse_policy("schema_version: 1\nruntime: {os: [plan9]}\n", "deny.yml");
  const Decision decision = admit(policy, {"/srv/plugin.py", "ab", std::nullopt, {}}, linux_host(), {}, "test", "2026-01-01T00:00:00Z");
  const Json document = to_json(decision);
  std::vector<std::string> keys;
  for (const auto& item : document.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"schema_version", "subject", "source_hash", "contract_identity", "contract_hash", "engine_version",
                                            "environment", "dependencies", "evidence", "violations", "decision", "phases", "runtime_required",
                                            "target_executed", "timestamp"}));
  EXPECT_EQ(document["decision"], "DENY");
  EXPECT_EQ(document["contract_identity"], "deny.yml");
  EXPECT_EQ(document["violations"][0]["code"], "ISPY-R101");
  EXPECT_EQ(document["phases"], Json({"static", "resolve", "evidence", "host-runtime", "policy"}));
}

TEST(PolicyAdmission, the_decision_record_holds_hashes_host_distributions_and_verdict_but_no_variable_values) {
  const Policy policy = parse_policy("policy_id: p\nschema_version: 1\nruntime: {environment: {MODE: test}}\n", "p.yml");
  Decision decision = admit(policy, {"/srv/plugin.py", "ab12", std::nullopt, {}}, linux_host(), {}, "test", "2026-01-01T00:00:00Z");
  Distribution demo{"demo", "1.0", std::nullopt, {"vcs", "https://x.org/demo.git", "https://x.org/demo", "abc", false}};
  decision.dependencies.push_back({{"demo", 1, 1, 0}, "direct", {demo}, std::nullopt, std::nullopt});
  decision.dependencies.push_back({{"demo.sub", 2, 1, 0}, "direct", {demo}, std::nullopt, std::nullopt});
  const Json record = decision_record({decision});
  const Json& entry = record["decisions"][0];
  EXPECT_EQ(entry["source_sha256"], "ab12");
  EXPECT_EQ(entry["policy"], "p");
  EXPECT_EQ(entry["policy_sha256"], policy.sha256);
  EXPECT_EQ(entry["host"]["implementation"], "CPython");
  ASSERT_EQ(entry["distributions"].size(), 1u);  // once, however often imported
  EXPECT_EQ(entry["distributions"][0]["origin"]["commit"], "abc");
  EXPECT_EQ(entry["decision"], "ADMIT");
  EXPECT_EQ(record.dump().find("\"test\""), record.dump().rfind("\"test\""));  // only the engine version, never MODE's value
}

TEST(PolicyAdmission, a_configuration_error_is_a_denial_without_host_facts) {
  const Decision decision = error_decision("plugin.py", "ISPY-C101", "bad", "configuration", "test");
  EXPECT_FALSE(decision.admitted());
  EXPECT_EQ(to_json(decision)["violations"][0]["phase"], "configuration");
}

}  // namespace
}  // namespace importspy::policy
