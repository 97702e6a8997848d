// Hostile shapes of valid Python cost the reader stack and time in proportion to nothing but their
// size: no recursion follows the input's length, and what CPython refuses for depth the reader refuses
// with a message naming the place. Sizes here are moderate (the benchmarks in bench/ take them to
// 16 MiB); no test measures time.
#include "importspy/source/reader.hpp"

#include <gtest/gtest.h>

#include <string>

#include "importspy/source/source_error.hpp"

namespace importspy {
namespace {

ReadOptions linux_target() {
  ReadOptions options;
  TargetEnvironment env;
  env.sys_platform = "linux";
  env.python_major = 3;
  env.python_minor = 12;
  options.target = env;
  return options;
}

ModuleFacts read(const std::string& source) { return read_module_source(source, "pkg/mod.py", "pkg.mod", linux_target()); }

std::string repeat(std::string_view piece, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += piece;
  return out;
}

TEST(ReaderLimits, a_long_chain_of_not_is_read_without_recursion) {
  // 200,000 `not` (even): `if not not ... sys.platform == 'linux':` holds.
  const ModuleFacts facts = read("import sys\nif " + repeat("not ", 200000) + "sys.platform == 'linux':\n    W = 1\n");
  ASSERT_NE(facts.find_variable("W"), nullptr);
  EXPECT_EQ(facts.find_variable("W")->value, Value::integer(1));
  const ModuleFacts odd = read("import sys\nX = " + repeat("not ", 100001) + "sys.platform == 'linux'\n");
  EXPECT_EQ(odd.find_variable("X")->value, Value::boolean(false));
}

TEST(ReaderLimits, a_long_chain_of_method_calls_is_read_without_recursion) {
  const ModuleFacts facts = read("import sys\nif sys.platform" + repeat(".lower()", 100000) + " == 'linux':\n    W = 1\n");
  ASSERT_NE(facts.find_variable("W"), nullptr);
  EXPECT_EQ(facts.find_variable("W")->value, Value::integer(1));
  const ModuleFacts upper = read("import sys\nif sys.platform" + repeat(".upper()", 1000) + repeat("[:3]", 1000) + " == 'LIN':\n    W = 1\n");
  EXPECT_EQ(upper.find_variable("W")->value, Value::integer(1));
}

TEST(ReaderLimits, long_and_or_and_comparison_chains_are_read) {
  const ModuleFacts facts = read("import sys\nX = " + repeat("sys.platform == 'linux' and ", 50000) + "True\nif " +
                                 repeat("sys.platform == 'win32' or ", 50000) + "False:\n    W = 1\nY = " + repeat("sys.platform == 'linux' == ", 25000) +
                                 "sys.platform\n");
  EXPECT_EQ(facts.find_variable("W"), nullptr);
  EXPECT_EQ(facts.find_variable("Y")->value, Value::boolean(true));
}

TEST(ReaderLimits, brackets_nested_deeper_than_cpython_allows_are_refused_with_the_place) {
  try {
    read("import sys\nif " + repeat("(", 300) + "True" + repeat(")", 300) + ":\n    pass\n");
    FAIL() << "expected a SourceReadError";
  } catch (const SourceReadError& error) {
    EXPECT_EQ(error.line(), 2);
    EXPECT_NE(std::string(error.what()).find("too many nested parentheses"), std::string::npos) << error.what();
  }
}

TEST(ReaderLimits, many_imports_and_conditions_are_read) {
  std::string source;
  for (int i = 0; i < 20000; ++i) source += "import m" + std::to_string(i) + "\n";
  source += "import sys\n" + repeat("if sys.platform == 'win32':\n    W = 1\nelif sys.platform == 'darwin':\n    W = 2\n", 20000);
  const ModuleFacts facts = read(source);
  EXPECT_EQ(facts.imports.size(), 20001u);
  EXPECT_EQ(facts.find_variable("W"), nullptr);
}

}  // namespace
}  // namespace importspy
