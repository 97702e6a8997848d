#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "importspy/render/batch.hpp"

using namespace importspy;
using json = nlohmann::json;

namespace {

BatchResult sample() {
  BatchResult batch;
  TargetResult ok{"p/a.py", "p/a.py", "c.yml", Report{}, std::nullopt, false, {}};
  Report bad;
  bad.violations.push_back(Violation{"variable-value-mismatch", Category::mismatch, Context::module, "variables.x", "1", "2", "x is 2, expected 1",
                                     "set x = 1", {4, 5}, 7});
  bad.violations.push_back(Violation{"function-missing", Category::missing, Context::module, "functions.f", "f", std::nullopt, "f <is> \"missing\" & gone",
                                     "define f, now", {9, 5}, 0});
  TargetResult violating{"p/b.py", "p/b.py", "c.yml", bad, std::nullopt, true, {}};
  TargetResult broken{"p/c.py", "p/c.py", "c.yml", std::nullopt, TargetError{"source-error", "not valid Python:\ncolon, comma", "p/c.py", 2, 3, ""}, false, {}};
  batch.results = {ok, violating, broken};
  return batch;
}

}  // namespace

TEST(BatchResult, exit_status_is_two_for_errors_one_for_violations) {
  BatchResult batch = sample();
  EXPECT_EQ(batch.exit_status(), 2);
  batch.results.pop_back();
  EXPECT_EQ(batch.exit_status(), 1);
  batch.results.pop_back();
  EXPECT_EQ(batch.exit_status(), 0);
}

TEST(RenderBatch, json_summary_and_entries) {
  const json document = json::parse(render_batch_json(sample()));
  EXPECT_EQ(document["summary"], json::parse(R"({"targets": 3, "compliant": 1, "violating": 1, "errors": 1, "violations": 2})"));
  EXPECT_EQ(document["targets"][1]["cached"], true);
  EXPECT_EQ(document["targets"][2]["error"],
            json::parse(R"({"code": "source-error", "message": "not valid Python:\ncolon, comma", "file": "p/c.py", "line": 2, "column": 3, "hint": ""})"));
}

TEST(RenderBatch, sarif_locates_violations_at_the_module_line_or_the_contract_line) {
  const json run = json::parse(render_sarif(sample(), "9.9.9"))["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["version"], "9.9.9");
  const auto& results = run["results"];
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "p/b.py");
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 7);
  EXPECT_EQ(results[2]["ruleId"], "source-error");
  EXPECT_EQ(results[2]["locations"][0]["physicalLocation"]["region"], json::parse(R"({"startLine": 2, "startColumn": 3})"));
  const auto& rules = run["tool"]["driver"]["rules"];
  EXPECT_EQ(rules[results[0]["ruleIndex"].get<int>()]["id"], "variable-value-mismatch");
}

TEST(RenderBatch, a_missing_definition_is_shown_in_the_module_with_the_contract_rule_related) {
  BatchResult batch = sample();
  Report& report = *batch.results[1].report;
  report.violations.push_back(Violation{"method-missing", Category::missing, Context::class_, "classes.A.methods.run", "run", std::nullopt,
                                        "method `A.run` is not defined", "define it", {12, 9}, 5});  // the checker gives the class's line
  report.violations.push_back(Violation{"env-missing", Category::missing, Context::environment, "deployments[0].systems[0].environment.variables.E", "E",
                                        std::nullopt, "E is not set", "set E", {20, 15}, 0});
  const json results = json::parse(render_sarif(batch, "9.9.9"))["runs"][0]["results"];
  const auto at = [&](std::size_t i) { return results[i]["locations"][0]["physicalLocation"]; };
  // function-missing: line 1 of the module; the rule in the contract is related.
  EXPECT_EQ(at(1)["artifactLocation"]["uri"], "p/b.py");
  EXPECT_EQ(at(1)["region"]["startLine"], 1);
  EXPECT_EQ(results[1]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"], "c.yml");
  EXPECT_EQ(results[1]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 9);
  // method-missing: the class's line.
  EXPECT_EQ(at(2)["artifactLocation"]["uri"], "p/b.py");
  EXPECT_EQ(at(2)["region"]["startLine"], 5);
  EXPECT_EQ(results[2]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 12);
  // The environment is not in the module: at the rule.
  EXPECT_EQ(at(3)["artifactLocation"]["uri"], "c.yml");
  EXPECT_EQ(at(3)["region"]["startLine"], 20);
  EXPECT_FALSE(results[3].contains("relatedLocations"));

  const std::string lines = render_github(batch);
  EXPECT_NE(lines.find("::error file=p/b.py,line=1,title=importspy function-missing::f <is> \"missing\" & gone (fix: define f, now) (rule: c.yml:9)\n"),
            std::string::npos) << lines;
  EXPECT_NE(lines.find("::error file=p/b.py,line=5,title=importspy method-missing::"), std::string::npos) << lines;
  EXPECT_NE(lines.find("::error file=c.yml,line=20,title=importspy env-missing::E is not set (fix: set E)\n"), std::string::npos) << lines;
}

TEST(RenderBatch, junit_escapes_markup) {
  const std::string xml = render_junit(sample());
  EXPECT_NE(xml.find("tests=\"3\" failures=\"1\" errors=\"1\""), std::string::npos);
  EXPECT_NE(xml.find("f &lt;is&gt; &quot;missing&quot; &amp; gone"), std::string::npos);
  EXPECT_EQ(xml.find("<is>"), std::string::npos);
  EXPECT_NE(xml.find("<error type=\"source-error\" message=\"not valid Python:\ncolon, comma\">p/c.py:2:3: not valid Python:"), std::string::npos) << xml;
}

TEST(RenderBatch, github_annotations_escape_newlines_and_property_separators) {
  const std::string lines = render_github(sample());
  EXPECT_NE(lines.find("::error file=p/b.py,line=7,title=importspy variable-value-mismatch::x is 2, expected 1 (fix: set x = 1) (rule: c.yml:4)\n"),
            std::string::npos) << lines;
  EXPECT_NE(lines.find("::error file=p/c.py,line=2,col=3,title=importspy source-error::not valid Python:%0Acolon, comma\n"), std::string::npos);
}

TEST(RenderBatch, text_lists_problems_only_and_a_summary) {
  const std::string text = render_batch_text(sample());
  EXPECT_EQ(text.find("p/a.py"), std::string::npos);
  EXPECT_NE(text.find("p/b.py violates c.yml"), std::string::npos);
  EXPECT_NE(text.find("p/c.py:2:3: error: not valid Python:"), std::string::npos);
  EXPECT_NE(text.find("Checked 3 modules: 1 compliant, 1 with violations (2 violations), 1 error.\n"), std::string::npos);
}

TEST(RenderBatch, text_quiet_drops_the_summary_and_verbose_lists_compliant_targets) {
  const std::string quiet = render_batch_text(sample(), {false, true, false, false});
  EXPECT_EQ(quiet.find("Checked"), std::string::npos);
  EXPECT_EQ(quiet.find("Found"), std::string::npos);
  EXPECT_NE(quiet.find("p/b.py violates c.yml"), std::string::npos);
  const std::string verbose = render_batch_text(sample(), {false, true, true, true});
  EXPECT_TRUE(verbose.starts_with("p/a.py satisfies c.yml\np/b.py violates c.yml\n")) << verbose;
}

TEST(RenderBatch, what_a_module_printed_on_import_is_a_field_a_block_and_system_out) {
  BatchResult batch = sample();
  batch.results[0].printed = PrintedOutput{"{ not json\n<b>", "warned\n"};
  const json document = json::parse(render_batch_json(batch));
  EXPECT_EQ(document["targets"][0]["output"], json::parse(R"({"stdout": "{ not json\n<b>", "stderr": "warned\n"})"));
  EXPECT_FALSE(document["targets"][1].contains("output"));
  EXPECT_TRUE(render_batch_text(batch).starts_with("p/a.py printed while it was imported:\n  stdout | { not json\n  stdout | <b>\n  stderr | warned\n"))
      << render_batch_text(batch);
  const std::string xml = render_junit(batch);
  EXPECT_NE(xml.find("<testcase classname=\"importspy\" name=\"p/a.py\" file=\"p/a.py\">\n      <system-out>{ not json\n&lt;b&gt;</system-out>\n"
                     "      <system-err>warned\n</system-err>\n    </testcase>\n"),
            std::string::npos) << xml;
}

// The document is written without building it as one json tree: its text must be exactly what dumping
// that tree would give (keys sorted, two spaces a level), for every shape a result takes.
TEST(RenderBatch, json_text_is_the_canonical_dump_of_its_document) {
  BatchResult batch = sample();
  batch.results[0].printed = PrintedOutput{"line\n\ttab", ""};
  batch.results[1].report->trace = CheckTrace{"deployment 1", {"rule a", "rule b"}};
  batch.results.push_back({"p/\"quoted\"\\é.py", "p/\x01\x7f.py", "c\xff.yml", Report{}, std::nullopt, false, {}});
  for (const BatchResult& shape : {batch, BatchResult{}, BatchResult{{}, BatchShard{2, 3}}}) {
    const std::string text = render_batch_json(shape);
    EXPECT_EQ(text, json::parse(text).dump(2, ' ', false, json::error_handler_t::replace)) << text;
  }
  const json document = json::parse(render_batch_json(batch));
  EXPECT_EQ(document["targets"][3]["target"], "p/\"quoted\"\\é.py");
  EXPECT_EQ(document["targets"][3]["file"], "p/\x01\x7f.py");
  EXPECT_EQ(document["targets"][3]["contract"], "c\xef\xbf\xbd.yml");  // a byte that is not UTF-8 becomes U+FFFD
  EXPECT_EQ(document["targets"][1]["trace"]["rules"], json::array({"rule a", "rule b"}));
  EXPECT_EQ(json::parse(render_batch_json(BatchResult{{}, BatchShard{2, 3}}))["shard"], "2/3");
}
