#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "importspy/render/html.hpp"

using namespace importspy;
using json = nlohmann::json;

namespace {

constexpr const char* kHostile = "</script><img src=x onerror=alert(1)>";

std::map<std::string, std::string> files() {
  return {{"p/b.py", "import os\n\ndef run(msg):\n    pass\n\nx = 2\nclass K:\n    pass\n"},
          {"c.yml", "modules:\n  - filename: b.py\n    functions:\n      - name: run\n        arguments:\n          - name: msg\n"
                    "    variables:\n      - name: x\n        value: 1\n"},
          {"env.yml", "environment:\n  variables:\n    - name: API_TOKEN\n      value: hunter2-very-secret\n    - {name: OTHER, value: \"s3cr3t, yes\"}\n"}};
}

HtmlOptions options() {
  HtmlOptions options;
  options.tool_version = "9.9.9";
  options.read_file = [](const std::string& path) -> std::optional<std::string> {
    const auto all = files();
    const auto found = all.find(path);
    return found == all.end() ? std::nullopt : std::optional(found->second);
  };
  return options;
}

BatchResult sample() {
  BatchResult batch;
  batch.results.push_back({"p/a.py", "p/a.py", "c.yml", Report{}, std::nullopt, false, {}});
  Report bad;
  bad.violations.push_back(Violation{"variable-value-mismatch", Category::mismatch, Context::module, "variables.x", "1", "2", "x is 2, expected 1",
                                     "set x = 1", {8, 9}, 6});
  bad.violations.push_back(Violation{"function-missing", Category::missing, Context::module, "functions.f", "f", std::nullopt, "f is missing", "define f",
                                     {4, 9}, 0});
  batch.results.push_back({"p/b.py", "p/b.py", "c.yml", bad, std::nullopt, false, {}});
  batch.results.push_back({"p/c.py", "p/c.py", "c.yml", std::nullopt, TargetError{"source-error", "not valid Python", "p/b.py", 3, 1, "fix line 3"}, false, {}});
  return batch;
}

// The data block the page's script reads.
json data_of(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"importspy-data\">";
  const std::size_t begin = page.find(open) + open.size();
  return json::parse(page.substr(begin, page.find("</script>", begin) - begin));
}

}  // namespace

TEST(RenderHtml, shows_the_summary_numbers_in_the_page_itself) {
  const std::string page = render_html(sample(), options());
  EXPECT_NE(page.find("data-count=\"targets\"><div class=\"n\">3</div>"), std::string::npos);
  EXPECT_NE(page.find("data-count=\"compliant\"><div class=\"n\">1</div>"), std::string::npos);
  EXPECT_NE(page.find("data-count=\"violating\"><div class=\"n\">1</div>"), std::string::npos);
  EXPECT_NE(page.find("data-count=\"errors\"><div class=\"n\">1</div>"), std::string::npos);
  EXPECT_NE(page.find("data-count=\"violations\"><div class=\"n\">2</div>"), std::string::npos);
  EXPECT_NE(page.find("<g class=\"bar\" data-label=\"function-missing\">"), std::string::npos) << "the chart by code";
  EXPECT_NE(page.find("<g class=\"bar\" data-label=\"mismatch\">"), std::string::npos) << "the chart by category";
  EXPECT_NE(page.find("importspy 9.9.9"), std::string::npos);
}

TEST(RenderHtml, loads_nothing_from_the_network) {
  const std::string page = render_html(sample(), options());
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_EQ(page.find(" src="), std::string::npos);
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
}

TEST(RenderHtml, gives_each_violation_its_source_and_contract_excerpt) {
  const json data = data_of(render_html(sample(), options()));
  ASSERT_EQ(data["targets"].size(), 3u);
  EXPECT_EQ(data["targets"][0]["status"], "ok");
  const json& mismatch = data["targets"][1]["violations"][0];
  EXPECT_EQ(mismatch["code"], "variable-value-mismatch");
  EXPECT_EQ(mismatch["hint"], "set x = 1");
  EXPECT_EQ(mismatch["source"]["at"], 6);
  EXPECT_EQ(mismatch["source"]["start"], 4);
  EXPECT_EQ(mismatch["source"]["lines"][2], "x = 2");
  EXPECT_EQ(mismatch["contract_excerpt"]["at"], 8);
  EXPECT_EQ(mismatch["contract_excerpt"]["lines"], json::parse(R"(["      - name: x", "        value: 1"])")) << "a module's rule shows its value";
  // A missing function is shown at line 1 of the module (as SARIF places it).
  EXPECT_EQ(data["targets"][1]["violations"][1]["source"]["at"], 1);
  EXPECT_EQ(data["targets"][2]["error"]["source"]["lines"][2], "def run(msg):");
}

TEST(RenderHtml, never_copies_a_value_from_the_contract) {
  BatchResult batch;
  Report env;
  env.violations.push_back(Violation{"env-value-mismatch", Category::mismatch, Context::environment, "environment.variables.API_TOKEN", "<secret>",
                                     "<secret>", "API_TOKEN has another value than required", "set API_TOKEN to the required value", {3, 7}, 0});
  env.violations.push_back(Violation{"env-value-mismatch", Category::mismatch, Context::environment, "environment.variables.OTHER", "<secret>",
                                     "<secret>", "OTHER has another value than required", "set OTHER to the required value", {5, 7}, 0});
  batch.results.push_back({"p/b.py", "p/b.py", "env.yml", env, std::nullopt, false, {}});
  const std::string page = render_html(batch, options());
  EXPECT_EQ(page.find("hunter2"), std::string::npos);
  EXPECT_EQ(page.find("s3cr3t"), std::string::npos);
  const json data = data_of(page);
  EXPECT_EQ(data["targets"][0]["violations"][0]["contract_excerpt"]["lines"],
            json::parse(R"(["    - name: API_TOKEN", "      value: <redacted>"])"));
  EXPECT_EQ(data["targets"][0]["violations"][1]["contract_excerpt"]["lines"][0], "    - {name: OTHER, value: <redacted>}");
}

TEST(RenderHtml, escapes_every_text_from_modules_contracts_and_paths) {
  BatchResult batch;
  Report bad;
  bad.violations.push_back(Violation{kHostile, Category::missing, Context::module, kHostile, kHostile, kHostile, kHostile, kHostile, {1, 1}, 1});
  batch.results.push_back({kHostile, kHostile, kHostile, bad, std::nullopt, false, {}});
  batch.results.push_back({"x", "x", "c", std::nullopt, TargetError{kHostile, kHostile, kHostile, 1, 1, kHostile}, false, {}});
  HtmlOptions hostile;
  hostile.title = kHostile;
  hostile.read_file = [](const std::string&) { return std::optional<std::string>(std::string(kHostile) + "\n<!-- <script>"); };
  const std::string page = render_html(batch, hostile);
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_EQ(page.find("<!--"), std::string::npos);
  // Exactly the page's own two scripts open and close.
  std::size_t opened = 0, closed = 0;
  for (std::size_t at = page.find("<script"); at != std::string::npos; at = page.find("<script", at + 1)) ++opened;
  for (std::size_t at = page.find("</script>"); at != std::string::npos; at = page.find("</script>", at + 1)) ++closed;
  EXPECT_EQ(opened, 2u);
  EXPECT_EQ(closed, 2u);
  EXPECT_NE(page.find("<title>&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</title>"), std::string::npos);
  // The data still says exactly what was found.
  const json data = data_of(page);
  EXPECT_EQ(data["targets"][0]["target"], kHostile);
  EXPECT_EQ(data["targets"][0]["violations"][0]["source"]["lines"][0], kHostile);
}

TEST(RenderHtml, gives_a_dependency_violation_its_import_chain) {
  BatchResult batch;
  Report bad;
  Violation v{"dependency-violation", Category::invalid, Context::module, "requires", std::nullopt, std::nullopt, "b breaks its contract", "fix b", {1, 1}, 1};
  v.chain = {"a", "b"};
  bad.violations.push_back(v);
  batch.results.push_back({"a.py", "a.py", "c.yml", bad, std::nullopt, false, {}});
  const std::string page = render_html(batch, options());
  EXPECT_EQ(data_of(page)["targets"][0]["violations"][0]["chain"], json::parse(R"(["a", "b"])"));
  EXPECT_NE(page.find("'import chain: '+v.chain.join"), std::string::npos) << "the page shows it";
}

TEST(RenderHtml, replaces_bytes_that_are_not_utf8) {
  BatchResult batch;
  batch.results.push_back({"bad\xff.py", "bad\xff.py", "c.yml", Report{}, std::nullopt, false, {}});
  EXPECT_EQ(data_of(render_html(batch, options()))["targets"][0]["target"], "bad\xef\xbf\xbd.py");
}

TEST(RenderHtml, an_unreadable_file_leaves_the_violation_without_an_excerpt) {
  BatchResult batch = sample();
  HtmlOptions none;
  none.read_file = [](const std::string&) { return std::optional<std::string>(); };
  const json violation = data_of(render_html(batch, none))["targets"][1]["violations"][0];
  EXPECT_TRUE(violation["source"].is_null());
  EXPECT_EQ(violation["message"], "x is 2, expected 1");
}

TEST(RenderGithubSummary, counts_codes_and_first_problems_as_markdown) {
  const std::string summary = render_github_summary(sample(), "the artifact `importspy-report`");
  EXPECT_NE(summary.find("## ImportSpy: targets could not be checked"), std::string::npos);
  EXPECT_NE(summary.find("| 3 | 1 | 1 | 1 | 2 |"), std::string::npos);
  EXPECT_NE(summary.find("| `variable-value-mismatch` | 1 |"), std::string::npos);
  EXPECT_NE(summary.find("| `p/b.py:6` | `variable-value-mismatch` | x is 2, expected 1 |"), std::string::npos);
  EXPECT_NE(summary.find("The full report"), std::string::npos);
}

TEST(RenderGithubSummary, keeps_a_table_whole_whatever_the_message) {
  BatchResult batch;
  Report bad;
  bad.violations.push_back(Violation{"function-missing", Category::missing, Context::module, "f", std::nullopt, std::nullopt, "a | b\n<b>c</b>", "", {1, 1}, 0});
  batch.results.push_back({"m.py", "m.py", "c.yml", bad, std::nullopt, false, {}});
  const std::string summary = render_github_summary(batch);
  EXPECT_NE(summary.find("| a \\| b &lt;b&gt;c&lt;/b&gt; |"), std::string::npos);
  EXPECT_EQ(summary.find("The full report"), std::string::npos);
}

TEST(RenderGithubSummary, says_when_every_target_complies) {
  BatchResult batch;
  batch.results.push_back({"m.py", "m.py", "c.yml", Report{}, std::nullopt, false, {}});
  EXPECT_NE(render_github_summary(batch).find("## ImportSpy: every target complies"), std::string::npos);
}
