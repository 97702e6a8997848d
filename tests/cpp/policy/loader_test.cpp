// ImportSpy 0.5 policies: what is read, what is refused, and where the error points.
#include <gtest/gtest.h>

#include "importspy/policy/loader.hpp"

namespace importspy::policy {
namespace {

PolicyError error_from(std::string_view yaml) {
  try {
    parse_policy(yaml, "policy.yml");
  } catch (const PolicyError& error) {
    return error;
  }
  ADD_FAILURE() << "expected a policy error for:\n" << yaml;
  return PolicyError("", 0, 0, "", "");
}

TEST(PolicyLoader, reads_every_key_of_a_complete_policy) {
  const Policy policy = parse_policy(R"(schema_version: 1
policy_id: plugins/payments
runtime:
  python: ">=3.10,<3.14"
  os: [linux, darwin]
  architecture: [x86_64]
  implementation: [CPython]
  environment:
    DEPLOY_MODE: production
    API_TOKEN: null
dependencies:
  Requests:
    version: ">=2.31"
    declared: true
    origin: {type: index, url: "https://pypi.org/simple/requests/"}
    editable: false
    provenance: {required: true}
  "import:yaml":
    allowed: false
dependency_options:
  unresolved: allow
  unlisted: deny
evidence_requirements:
  - kind: distribution.provenance
    subject: requests
    status: observed
)", "policy.yml");
  EXPECT_EQ(policy.policy_id, "plugins/payments");
  ASSERT_TRUE(policy.runtime.python);
  EXPECT_TRUE(policy.runtime.python->matches("3.11.7"));
  EXPECT_FALSE(policy.runtime.python->matches("3.9.1"));
  EXPECT_EQ(policy.runtime.os, (std::vector<std::string>{"linux", "darwin"}));
  ASSERT_EQ(policy.runtime.environment.size(), 2u);
  EXPECT_EQ(policy.runtime.environment[0].value, "production");
  EXPECT_EQ(policy.runtime.environment[1].value, std::nullopt);
  ASSERT_EQ(policy.dependencies.size(), 2u);
  EXPECT_EQ(policy.dependencies[0].key, "Requests");  // sorted by key as written, as 0.5.0 evaluates them
  EXPECT_EQ(policy.dependencies[0].normalized, "requests");
  EXPECT_EQ(policy.dependencies[0].declared, true);
  EXPECT_EQ(policy.dependencies[0].editable, false);
  EXPECT_TRUE(policy.dependencies[0].provenance);
  EXPECT_EQ(policy.dependencies[0].origin->type, "index");
  EXPECT_TRUE(policy.dependencies[1].is_import);
  EXPECT_FALSE(policy.dependencies[1].allowed);
  EXPECT_EQ(policy.dependency_options.unresolved, Option::allow);
  EXPECT_EQ(policy.dependency_options.undeclared, Option::allow);
  EXPECT_EQ(policy.dependency_options.unlisted, Option::deny);
  ASSERT_EQ(policy.evidence_requirements.size(), 1u);
  EXPECT_EQ(policy.evidence_requirements[0].status, "observed");
  EXPECT_EQ(policy.sha256.size(), 64u);
}

TEST(PolicyLoader, defaults_deny_unresolved_imports_only) {
  const Policy policy = parse_policy("schema_version: 1\n", "policy.yml");
  EXPECT_EQ(policy.dependency_options.unresolved, Option::deny);
  EXPECT_EQ(policy.dependency_options.undeclared, Option::allow);
  EXPECT_EQ(policy.dependency_options.unlisted, Option::allow);
  EXPECT_FALSE(policy.policy_id);
}

TEST(PolicyLoader, rejects_a_misspelt_key_at_its_line_and_column_with_a_suggestion) {
  const PolicyError error = error_from("schema_version: 1\npolcy_id: typo\n");
  EXPECT_EQ(error.line(), 2);
  EXPECT_EQ(error.column(), 1);
  EXPECT_EQ(error.message(), "unknown key `polcy_id` in the policy");
  EXPECT_NE(error.hint().find("did you mean `policy_id`?"), std::string::npos);
  EXPECT_EQ(error.describe().rfind("policy.yml:2:1: invalid policy: unknown key", 0), 0u);
}

TEST(PolicyLoader, rejects_schema_version_written_as_text_or_another_number) {
  EXPECT_NE(error_from("schema_version: \"1\"\n").message().find("must be the integer 1, found the text `1`"), std::string::npos);
  const PolicyError two = error_from("schema_version: 2\n");
  EXPECT_EQ(two.line(), 1);
  EXPECT_EQ(two.column(), 17);
}

TEST(PolicyLoader, reads_a_0_4_contract_as_a_policy_when_schema_version_is_optional) {
  const std::string contract = "filename: plugin.py\nfunctions:\n  - name: register\n";
  EXPECT_NE(error_from(contract).message().find("has no `schema_version`"), std::string::npos);
  const Policy policy = parse_policy(contract, "spymodel.yml", SchemaVersion::optional);
  ASSERT_TRUE(policy.structure.has_value());
  EXPECT_NE(policy.structure->find("register"), std::string::npos);
  EXPECT_EQ(policy.dependency_options.unresolved, Option::deny);
}

TEST(PolicyLoader, an_optional_schema_version_must_still_be_1_and_unknown_keys_are_still_errors) {
  EXPECT_THROW(parse_policy("schema_version: 2\n", "p.yml", SchemaVersion::optional), PolicyError);
  try {
    parse_policy("filename: plugin.py\nimportspy: 1\n", "spymodel.yml", SchemaVersion::optional);
    ADD_FAILURE() << "an unknown key was read";
  } catch (const PolicyError& error) {
    EXPECT_EQ(error.describe().rfind("spymodel.yml:2:1: invalid policy: unknown key `importspy`", 0), 0u) << error.describe();
  }
}

TEST(PolicyLoader, rejects_a_policy_id_that_is_a_number) {
  EXPECT_NE(error_from("schema_version: 1\npolicy_id: 5\n").message().find("must be text, found the integer `5`"), std::string::npos);
}

TEST(PolicyLoader, rejects_a_python_rule_that_is_not_a_range) {
  EXPECT_NE(error_from("schema_version: 1\nruntime:\n  python: three\n").message().find("PEP 440 version range"), std::string::npos);
  const PolicyError bare = error_from("schema_version: 1\nruntime:\n  python: \"3.11\"\n");
  EXPECT_EQ(bare.line(), 3);
  EXPECT_NE(bare.hint().find("`==3.11`"), std::string::npos);
}

TEST(PolicyLoader, rejects_environment_values_that_are_not_text) {
  const PolicyError error = error_from("schema_version: 1\nruntime:\n  environment:\n    DEBUG: [1]\n");
  EXPECT_EQ(error.line(), 4);
  EXPECT_NE(error.message().find("must be text or null, found a list"), std::string::npos);
}

TEST(PolicyLoader, rejects_import_keys_naming_a_submodule) {
  const PolicyError error = error_from("schema_version: 1\ndependencies:\n  \"import:a.b\":\n    allowed: false\n");
  EXPECT_EQ(error.line(), 3);
  EXPECT_NE(error.hint().find("`import:a`"), std::string::npos);
}

TEST(PolicyLoader, rejects_two_keys_naming_one_distribution) {
  const PolicyError error = error_from("schema_version: 1\ndependencies:\n  Foo_Bar: {}\n  foo-bar: {}\n");
  EXPECT_EQ(error.line(), 4);
  EXPECT_NE(error.message().find("(`foo-bar`)"), std::string::npos);
}

TEST(PolicyLoader, rejects_unknown_option_values_and_statuses) {
  EXPECT_NE(error_from("schema_version: 1\ndependency_options:\n  unresolved: maybe\n").message().find("one of allow, deny, found `maybe`"),
            std::string::npos);
  EXPECT_NE(error_from("schema_version: 1\nevidence_requirements:\n  - {kind: k, subject: s, status: maybe}\n").message().find("verified, observed"),
            std::string::npos);
  EXPECT_NE(error_from("schema_version: 1\nevidence_requirements:\n  - {kind: k}\n").message().find("has no `subject`"), std::string::npos);
}

TEST(PolicyLoader, rejects_origin_urls_that_are_not_absolute) {
  EXPECT_NE(error_from("schema_version: 1\ndependencies:\n  requests:\n    origin: {url: not a url}\n").message().find("absolute URL"), std::string::npos);
}

TEST(PolicyLoader, rejects_booleans_written_as_text) {
  EXPECT_NE(error_from("schema_version: 1\ndependencies:\n  requests:\n    allowed: \"no\"\n").message().find("must be true or false"), std::string::npos);
}

TEST(PolicyLoader, keeps_structural_rules_as_contract_text_on_the_policy_lines) {
  const Policy policy = parse_policy("schema_version: 1\nruntime:\n  os: [linux]\nfunctions:\n  - name: register\npolicy_id: p\n", "policy.yml");
  ASSERT_TRUE(policy.structure.has_value());
  // The 0.5 blocks are blanked, never removed: the contract loader's lines are the policy's.
  EXPECT_EQ(*policy.structure, "                 \n        \n             \nfunctions:\n  - name: register\n            \n");
  ASSERT_EQ(policy.runtime.os.size(), 1u);
  EXPECT_EQ(policy.policy_id, "p");
}

TEST(PolicyLoader, a_policy_without_structural_rules_has_no_structure) {
  EXPECT_FALSE(parse_policy("schema_version: 1\npolicy_id: p\n", "policy.yml").structure.has_value());
}

TEST(PolicyLoader, structural_rules_need_one_top_level_key_per_line) {
  const PolicyError error = error_from("{schema_version: 1, functions: [{name: register}]}\n");
  EXPECT_NE(error.message().find("block style"), std::string::npos) << error.message();
}

TEST(PolicyLoader, reports_yaml_syntax_errors_at_their_place) {
  const PolicyError error = error_from("schema_version: [1\n");
  EXPECT_GT(error.line(), 0);
  EXPECT_NE(error.message().find("not valid YAML"), std::string::npos);
}

TEST(PolicyLoader, rejects_a_list_instead_of_a_mapping) {
  EXPECT_NE(error_from("- schema_version\n- 1\n").message().find("must be a YAML mapping, found a list"), std::string::npos);
}

TEST(PolicyFormat, is_recognised_by_schema_version_only) {
  EXPECT_TRUE(is_policy_text("schema_version: 1\n"));
  EXPECT_TRUE(is_policy_text("# comment\npolicy_id: x\nschema_version: 2\n"));
  EXPECT_FALSE(is_policy_text("filename: plugin.py\n"));
  EXPECT_FALSE(is_policy_text("importspy: 1\n"));
  EXPECT_FALSE(is_policy_text("schema_version: [1\n"));
  EXPECT_FALSE(is_policy_text("- schema_version\n"));
}

TEST(PolicyNames, normalises_distribution_names_as_pep_503) {
  EXPECT_EQ(normalize_distribution_name("Foo__Bar.baz-Qux"), "foo-bar-baz-qux");
  EXPECT_TRUE(is_distribution_name("zope.interface"));
  EXPECT_FALSE(is_distribution_name("-leading"));
  EXPECT_FALSE(is_distribution_name("has space"));
}

TEST(PolicyNames, normalises_origin_urls_as_0_5_compares_them) {
  EXPECT_EQ(normalize_origin_url("HTTPS://user:pw@GitHub.com:443/psf/requests.git/?x=1#frag", true), "https://github.com/psf/requests");
  EXPECT_EQ(normalize_origin_url("http://example.org:8080/a/"), "http://example.org:8080/a");
  EXPECT_EQ(normalize_origin_url("file:///srv/src"), "file:///srv/src");
  EXPECT_FALSE(normalize_origin_url("not a url"));
  EXPECT_FALSE(normalize_origin_url("gopher://example.org/"));
  EXPECT_FALSE(normalize_origin_url("https:///no-host"));
}

}  // namespace
}  // namespace importspy::policy

namespace importspy::policy {
namespace {

TEST(PolicyLoaderLimits, a_deeply_nested_policy_is_an_error_not_a_crash) {
  const std::string deep = "schema_version: 1\nruntime:\n  os: " + std::string(100000, '[') + "\n";
  EXPECT_THROW(parse_policy(deep, "deep.yml"), PolicyError);
  EXPECT_FALSE(is_policy_text(std::string(100000, '[')));
}

TEST(PolicyLoaderLimits, aliases_to_large_lists_fail_at_the_first_wrong_item) {
  std::string yaml = "schema_version: 1\nbig: &a [x, x, x, x, x, x, x, x]\n";
  std::string previous = "a";
  for (int i = 0; i < 30; ++i) {
    yaml += "l" + std::to_string(i) + ": &b" + std::to_string(i) + " [*" + previous + ", *" + previous + "]\n";
    previous = "b" + std::to_string(i);
  }
  yaml += "runtime:\n  os: *" + previous + "\n";
  EXPECT_THROW(parse_policy(yaml, "laughs.yml"), PolicyError);  // `big` is an unknown key, reported first
  std::string only_runtime = "schema_version: 1\nruntime:\n  architecture: &a [x, x]\n  os: [*a, *a]\n";
  EXPECT_NE(error_from(only_runtime).message().find("must be text, found a list"), std::string::npos);
}

}  // namespace
}  // namespace importspy::policy
