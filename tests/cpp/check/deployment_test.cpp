#include <gtest/gtest.h>

#include "importspy/render/report.hpp"
#include "support.hpp"

using namespace importspy;
using namespace importspy::testing;

namespace {

constexpr const char* kDeployments = R"(
deployments:
  - arch: x86_64
    systems:
      - os: linux
        environment:
          variables:
            - {name: APP_ENV, value: production}
            - FEATURE_FLAGS
          secrets: [API_TOKEN]
        pythons:
          - version: ">=3.10,<3.13"
            interpreter: CPython
          - version: "3.12"
            interpreter: PyPy
      - os: windows
        pythons:
          - version: "3.11"
  - arch: aarch64
    systems:
      - os: macos
)";

EnvironmentFacts good_env() {
  EnvironmentFacts env = linux_cpython("3.11.7");
  env.variables = {{"APP_ENV", "production"}, {"FEATURE_FLAGS", ""}, {"API_TOKEN", "tok-123-secret"}};
  return env;
}

}  // namespace

TEST(CheckDeployments, matching_path_passes) { EXPECT_TRUE(check_yaml(kDeployments, module_at(), good_env()).ok()); }

TEST(CheckDeployments, no_deployments_means_runs_anywhere) {
  EnvironmentFacts env = good_env();
  env.arch = "riscv64";
  EXPECT_TRUE(check_yaml("filename: extension.py\n", module_at(), env).ok());
}

TEST(CheckDeployments, platform_aliases_in_the_environment_are_normalised) {
  EnvironmentFacts env = good_env();
  env.arch = "AMD64";
  env.interpreter = "cpython";
  EXPECT_TRUE(check_yaml(kDeployments, module_at(), env).ok());
}

TEST(CheckDeployments, arch_unsupported_names_allowed_archs) {
  EnvironmentFacts env = good_env();
  env.arch = "ppc64le";
  auto v = only_violation(check_yaml(kDeployments, module_at(), env));
  EXPECT_EQ(v.code, "arch-unsupported");
  EXPECT_EQ(v.context, Context::runtime);
  EXPECT_EQ(v.path, "deployments.arch");
  EXPECT_EQ(v.expected, "x86_64, aarch64");
  EXPECT_EQ(v.actual, "ppc64le");
}

TEST(CheckDeployments, os_unsupported_names_systems_allowed_on_the_matched_arch) {
  EnvironmentFacts env = good_env();
  env.os = "Darwin";
  auto v = only_violation(check_yaml(kDeployments, module_at(), env));
  EXPECT_EQ(v.code, "os-unsupported");
  EXPECT_EQ(v.context, Context::environment);
  EXPECT_EQ(v.expected, "linux, windows");  // macos is allowed only on aarch64
  EXPECT_EQ(v.actual, "Darwin");
}

TEST(CheckDeployments, python_unsupported_names_versions_allowed_on_the_matched_system) {
  auto v = only_violation(check_yaml(kDeployments, module_at(), [] {
    EnvironmentFacts env = good_env();
    env.python_version = "3.13.1";
    return env;
  }()));
  EXPECT_EQ(v.code, "python-unsupported");
  EXPECT_EQ(v.expected, ">=3.10,<3.13 (CPython), 3.12 (PyPy)");
  EXPECT_EQ(v.actual, "3.13.1 (CPython)");
}

TEST(CheckDeployments, interpreter_unsupported_when_the_version_fits) {
  EnvironmentFacts env = good_env();
  env.interpreter = "IronPython";
  env.python_version = "3.12.1";
  auto v = only_violation(check_yaml(kDeployments, module_at(), env));
  EXPECT_EQ(v.code, "interpreter-unsupported");
  EXPECT_EQ(v.expected, "CPython, PyPy");
  EXPECT_EQ(v.actual, "IronPython");
}

TEST(CheckDeployments, python_entry_with_neither_version_nor_interpreter_matches_any) {
  EnvironmentFacts env = good_env();
  env.os = "windows";
  env.python_version = "3.9.0";
  auto report = check_yaml("deployments:\n  - arch: x86_64\n    systems:\n      - os: windows\n        pythons:\n          - modules: []\n", module_at(), env);
  EXPECT_TRUE(report.ok());
}

TEST(CheckDeployments, env_missing) {
  EnvironmentFacts env = good_env();
  env.variables.erase("FEATURE_FLAGS");
  auto v = only_violation(check_yaml(kDeployments, module_at(), env));
  EXPECT_EQ(v.code, "env-missing");
  EXPECT_EQ(v.context, Context::environment);
  EXPECT_EQ(v.path, "deployments[0].systems[0].environment.variables.FEATURE_FLAGS");
}

TEST(CheckDeployments, env_value_mismatch) {
  EnvironmentFacts env = good_env();
  env.variables["APP_ENV"] = "staging";
  auto v = only_violation(check_yaml(kDeployments, module_at(), env));
  EXPECT_EQ(v.code, "env-value-mismatch");
  EXPECT_EQ(v.expected, "production");
  EXPECT_EQ(v.actual, "staging");
}

TEST(CheckDeployments, secret_missing) {
  EnvironmentFacts env = good_env();
  env.variables.erase("API_TOKEN");
  auto v = only_violation(check_yaml(kDeployments, module_at(), env));
  EXPECT_EQ(v.code, "secret-missing");
  EXPECT_EQ(v.path, "deployments[0].systems[0].environment.secrets.API_TOKEN");
}

TEST(CheckDeployments, secret_set_but_empty_is_missing) {
  EnvironmentFacts env = good_env();
  env.variables["API_TOKEN"] = "";
  EXPECT_EQ(only_violation(check_yaml(kDeployments, module_at(), env)).code, "secret-missing");
}

TEST(CheckDeployments, secret_values_never_appear_in_any_rendering) {
  const std::string secret_value = "tok-123-secret";
  const std::string contract = R"(
deployments:
  - arch: x86_64
    systems:
      - os: linux
        environment:
          variables:
            - {name: API_TOKEN, value: expected-token-value}
          secrets: [API_TOKEN]
)";
  EnvironmentFacts env = good_env();
  auto report = check_yaml(contract, module_at(), env);
  auto v = only_violation(report);
  EXPECT_EQ(v.code, "env-value-mismatch");
  const std::string everything = render_text(report) + render_json(report) + v.message + v.hint + v.expected.value_or("") + v.actual.value_or("");
  EXPECT_EQ(everything.find(secret_value), std::string::npos) << everything;
  EXPECT_EQ(everything.find("expected-token-value"), std::string::npos) << everything;
}

TEST(CheckDeployments, a_name_secret_in_one_deployment_is_never_shown_in_another) {
  // aarch64 keeps API_TOKEN secret; x86_64 lists it as a plain variable with a value.
  const std::string contract = R"(
deployments:
  - arch: aarch64
    systems:
      - os: linux
        environment:
          secrets: [API_TOKEN]
  - arch: x86_64
    systems:
      - os: linux
        environment:
          variables:
            - {name: API_TOKEN, value: expected-token-value}
            - {name: OTHER, value: plain}
)";
  EnvironmentFacts env = good_env();  // API_TOKEN=tok-123-secret
  env.variables["OTHER"] = "visible-plain-value";
  auto report = check_yaml(contract, module_at(), env);
  ASSERT_EQ(report.violations.size(), 2u);
  const Violation& token = report.violations[0];
  EXPECT_EQ(token.code, "env-value-mismatch");
  EXPECT_EQ(token.expected, "<secret>");
  EXPECT_EQ(token.actual, "<secret>");
  std::string everything = render_text(report) + render_json(report);
  for (const auto& v : report.violations) everything += v.message + v.hint + v.expected.value_or("") + v.actual.value_or("");
  EXPECT_EQ(everything.find("tok-123-secret"), std::string::npos) << everything;
  EXPECT_EQ(everything.find("expected-token-value"), std::string::npos) << everything;
  EXPECT_NE(everything.find("visible-plain-value"), std::string::npos) << "plain variables are still shown";
  env.variables.erase("API_TOKEN");
  report = check_yaml(contract, module_at(), env);
  EXPECT_EQ(report.violations[0].code, "env-missing");
  EXPECT_EQ(report.violations[0].expected, "<secret>");
  EXPECT_EQ(report.violations[0].hint.find("expected-token-value"), std::string::npos);
}

TEST(CheckDeployments, the_compiled_contract_knows_every_secret_name_once_sorted) {
  auto contract = parse_contract("deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        environment: {secrets: [B, A]}\n"
                                 "  - arch: aarch64\n    systems:\n      - os: linux\n        environment: {secrets: [A, C]}\n",
                                 "c.yml");
  EXPECT_EQ(contract->secret_names, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_TRUE(contract->is_secret("C"));
  EXPECT_FALSE(contract->is_secret("D"));
}

TEST(CheckDeployments, deployment_modules_apply_when_their_filename_matches) {
  const std::string contract = R"(
deployments:
  - arch: x86_64
    systems:
      - os: linux
        pythons:
          - version: "3.11"
            modules:
              - filename: extension.py
                variables: [{name: author, value: Ada}]
              - filename: addons.py
                variables: [{name: never_checked}]
)";
  ModuleFacts m = module_at();
  m.variables.push_back({"author", Value::string("Grace"), std::nullopt, 1});
  auto v = only_violation(check_yaml(contract, m, good_env()));
  EXPECT_EQ(v.code, "variable-value-mismatch");
  EXPECT_EQ(v.path, "deployments[0].systems[0].pythons[0].modules[0].variables.author");
}

TEST(CheckDeployments, filename_mismatch_when_no_deployment_module_applies) {
  const std::string contract = R"(
deployments:
  - arch: x86_64
    systems:
      - os: linux
        pythons:
          - modules:
              - filename: addons.py
              - filename: tools.py
)";
  auto v = only_violation(check_yaml(contract, module_at(), good_env()));
  EXPECT_EQ(v.code, "filename-mismatch");
  EXPECT_EQ(v.expected, "addons.py, tools.py");
  EXPECT_EQ(v.actual, "extension.py");
}

TEST(CheckDeployments, alternatives_the_first_clean_path_wins) {
  // Two linux systems: the first requires a variable that is not set, the second does not.
  const std::string contract = R"(
deployments:
  - arch: x86_64
    systems:
      - os: linux
        environment:
          variables: [NOT_SET_ANYWHERE]
      - os: linux
)";
  EXPECT_TRUE(check_yaml(contract, module_at(), good_env()).ok());
}

TEST(CheckDeployments, alternatives_all_failing_report_the_first_path) {
  const std::string contract = R"(
deployments:
  - arch: x86_64
    systems:
      - os: linux
        environment:
          variables: [FIRST_MISSING]
      - os: linux
        environment:
          variables: [SECOND_MISSING]
)";
  auto v = only_violation(check_yaml(contract, module_at(), good_env()));
  EXPECT_EQ(v.path, "deployments[0].systems[0].environment.variables.FIRST_MISSING");
}

TEST(CheckDeployments, structure_and_environment_violations_are_reported_together) {
  EnvironmentFacts env = good_env();
  env.variables.erase("API_TOKEN");
  auto report = check_yaml(std::string("variables:\n  - name: nope\n") + kDeployments, module_at(), env);
  EXPECT_EQ(codes_of(report), (std::vector<std::string>{"variable-missing", "secret-missing"}));
}
