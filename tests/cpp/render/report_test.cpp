#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "importspy/render/report.hpp"
#include "support.hpp"

using namespace importspy;
using namespace importspy::testing;
using json = nlohmann::json;

namespace {

Report two_violations() {
  ModuleFacts m = module_at();
  m.variables.push_back({"engine", Value::string("podman"), std::nullopt, 1});
  EnvironmentFacts env = linux_cpython();
  return check_yaml(R"(
variables: [{name: engine, value: docker}]
classes: [{name: Extension}]
deployments:
  - arch: x86_64
    systems:
      - os: linux
        environment: {variables: [NEEDED]}
)", m, env);
}

}  // namespace

TEST(RenderText, groups_by_context_one_line_per_violation_with_summary) {
  const std::string text = render_text(two_violations(), {false, false});
  EXPECT_EQ(text,
            "extension.py violates contract.yml\n"
            "\n"
            "environment\n"
            "  env-missing deployments[0].systems[0].environment.variables.NEEDED: environment variable `NEEDED` is not set (contract.yml:8)\n"
            "\n"
            "module\n"
            "  variable-value-mismatch variables.engine: variable `engine` is 'podman', expected 'docker' (contract.yml:2)\n"
            "\n"
            "class\n"
            "  class-missing classes.Extension: class `Extension` is not defined (contract.yml:3)\n"
            "\n"
            "Found 3 violations (1 environment, 1 module, 1 class).\n");
}

TEST(RenderText, summary_of_one_context_names_it_once_with_the_right_number) {
  Report report = two_violations();
  std::erase_if(report.violations, [](const Violation& v) { return v.context != Context::module; });
  report.violations.push_back(report.violations.front());
  EXPECT_TRUE(render_text(report).ends_with("\nFound 2 module violations.\n")) << render_text(report);
  report.violations.pop_back();
  EXPECT_TRUE(render_text(report).ends_with("\nFound 1 module violation.\n")) << render_text(report);
}

TEST(RenderText, hints_follow_their_violation) {
  const std::string text = render_text(two_violations());
  EXPECT_NE(text.find("is not defined (contract.yml:3)\n      hint: define `class Extension:` at module level\n"), std::string::npos) << text;
}

TEST(RenderText, compliant_report_says_so) {
  Report ok;
  ok.contract_source = "spymodel.yml";
  ok.module_filename = "/x/extension.py";
  EXPECT_EQ(render_text(ok), "extension.py satisfies spymodel.yml\n");
}

TEST(RenderText, colour_only_when_asked) {
  EXPECT_EQ(render_text(two_violations(), {false, true}).find('\x1b'), std::string::npos);
  EXPECT_NE(render_text(two_violations(), {true, true}).find("\x1b[31m"), std::string::npos);
}

TEST(RenderJson, has_ok_and_violations_with_exactly_the_public_fields) {
  const json doc = json::parse(render_json(two_violations()));
  EXPECT_EQ(doc.size(), 2u);
  EXPECT_EQ(doc["ok"], false);
  ASSERT_EQ(doc["violations"].size(), 3u);
  for (const auto& v : doc["violations"]) {
    std::vector<std::string> keys;
    for (const auto& [key, _] : v.items()) keys.push_back(key);
    EXPECT_EQ(keys, (std::vector<std::string>{"actual", "category", "code", "context", "expected", "hint", "message", "path"}));
  }
  const auto& first = doc["violations"][0];
  EXPECT_EQ(first["code"], "variable-value-mismatch");
  EXPECT_EQ(first["category"], "mismatch");
  EXPECT_EQ(first["context"], "module");
  EXPECT_EQ(first["expected"], "'docker'");
  EXPECT_EQ(first["actual"], "'podman'");
  EXPECT_TRUE(doc["violations"][1]["actual"].is_null());
}

TEST(RenderJson, compliant_report) { EXPECT_EQ(json::parse(render_json(Report{})), json::parse(R"({"ok": true, "violations": []})")); }

TEST(RenderJson, contract_error_object) {
  ContractError error(ContractErrorKind::unknown_key, "spymodel.yml", 3, 5, "unknown key `x`", "did you mean `y`?");
  const json doc = json::parse(render_json(error));
  EXPECT_EQ(doc["ok"], false);
  EXPECT_EQ(doc["error"]["code"], "contract-invalid");
  EXPECT_EQ(doc["error"]["message"], "unknown key `x`");
  EXPECT_EQ(doc["error"]["file"], "spymodel.yml");
  EXPECT_EQ(doc["error"]["line"], 3);
  EXPECT_EQ(doc["error"]["column"], 5);
  EXPECT_EQ(doc["error"]["hint"], "did you mean `y`?");
}

TEST(RenderJson, invalid_utf8_from_a_module_still_yields_valid_json) {
  Report report;
  report.violations.push_back(Violation{"variable-value-mismatch", Category::mismatch, Context::module, "variables.x", "'a'", "'\xff\xfe'", "bad \xff", "", {}, 0});
  EXPECT_NO_THROW(json::parse(render_json(report)));
}

TEST(RenderText, contract_error_names_file_line_column_and_hint) {
  ContractError error(ContractErrorKind::unknown_key, "spymodel.yml", 3, 5, "unknown key `x`", "did you mean `y`?");
  EXPECT_EQ(render_text(error), "spymodel.yml:3:5: invalid contract: unknown key `x`\n  hint: did you mean `y`?\n");
}

TEST(RenderText, shows_ten_chains_of_a_violation_and_counts_the_rest) {
  Report report;
  report.module_filename = "p/src.py";
  report.contract_source = "contract.yml";
  Violation v;
  v.code = "architecture-forbidden";
  v.message = "forbidden";
  for (int i = 0; i < 12; ++i) {
    v.chains.push_back({{"p.src.m" + std::to_string(i), "p/src/m" + std::to_string(i) + ".py", i + 1}, {"p.bad.x", "p/bad/x.py", 0}});
  }
  report.violations.push_back(v);
  const std::string text = render_text(report, {false, false});
  EXPECT_NE(text.find("chain 10: p.src.m9 -> p.bad.x"), std::string::npos) << text;
  EXPECT_EQ(text.find("chain 11:"), std::string::npos) << text;
  EXPECT_NE(text.find("and 2 more chains (every chain: --format json or sarif)"), std::string::npos) << text;
}
