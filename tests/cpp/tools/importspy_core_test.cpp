// Runs the importspy-core executable as a real subprocess on the bundled example.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#ifndef _WIN32
#include <sys/wait.h>
#endif

namespace {

struct RunResult {
  int status = -1;
  std::string output;
};

RunResult run(const std::string& arguments) {
  const std::string command = std::string("cd '") + IMPORTSPY_SOURCE_DIR + "' && NO_COLOR=1 '" + IMPORTSPY_TOOL_PATH + "' " + arguments + " 2>&1";
  RunResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int raw = pclose(pipe);
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return result;
}

const std::string kContract = "examples/plugin_host/spymodel.yml";

}  // namespace

TEST(Tool, compliant_example_exits_zero) {
  auto r = run("check -s " + kContract + " -f examples/plugin_host/facts/good.json");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("extension.py satisfies"), std::string::npos) << r.output;
}

TEST(Tool, violating_example_exits_one_and_never_prints_the_secret) {
  auto r = run("check -s " + kContract + " -f examples/plugin_host/facts/bad.json");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("Found "), std::string::npos);
  EXPECT_NE(r.output.find("superclass-missing"), std::string::npos);
  EXPECT_EQ(r.output.find('\x1b'), std::string::npos) << "no colour when not a terminal";
}

TEST(Tool, good_example_secret_never_printed_even_in_json) {
  auto r = run("check --format json -s " + kContract + " -f examples/plugin_host/facts/good.json");
  EXPECT_EQ(r.output.find("s3cr3t"), std::string::npos);
}

TEST(Tool, json_output_is_the_engine_report) {
  auto r = run("check --format json -s " + kContract + " -f examples/plugin_host/facts/bad.json");
  EXPECT_EQ(r.status, 1);
  auto doc = nlohmann::json::parse(r.output);
  EXPECT_EQ(doc["ok"], false);
  EXPECT_GT(doc["violations"].size(), 5u);
}

TEST(Tool, contract_error_exits_two_with_position) {
  const auto path = std::filesystem::temp_directory_path() / "importspy_tool_bad_contract.yml";
  std::ofstream(path) << "functions:\n  - name: add\n    retrun_annotation: str\n";
  auto r = run("check -s " + path.string() + " -f examples/plugin_host/facts/good.json");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find(path.string() + ":3:5: invalid contract: unknown key `retrun_annotation`"), std::string::npos) << r.output;
  auto j = run("check --format json -s " + path.string() + " -f examples/plugin_host/facts/good.json");
  EXPECT_EQ(j.status, 2);
  EXPECT_EQ(nlohmann::json::parse(j.output)["error"]["line"], 3);
  std::filesystem::remove(path);
}

TEST(Tool, missing_facts_file_exits_two) {
  auto r = run("check -s " + kContract + " -f /nonexistent/facts.json");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("/nonexistent/facts.json"), std::string::npos);
}

TEST(Tool, usage_error_exits_two) { EXPECT_EQ(run("check").status, 2); }

TEST(Tool, codes_lists_every_violation_code) {
  auto r = run("codes");
  EXPECT_EQ(r.status, 0);
  for (const char* code : {"filename-mismatch", "secret-missing", "value-unverifiable", "interpreter-unsupported"}) {
    EXPECT_NE(r.output.find(code), std::string::npos) << code;
  }
}
