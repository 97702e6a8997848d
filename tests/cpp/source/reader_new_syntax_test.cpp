// Syntax of Python 3.14 and 3.15, read by the grammar of the target version: PEP 758 (`except A, B:`),
// PEP 750 (template strings), PEP 810 (`lazy import`). A construct newer than the target is the
// SyntaxError CPython of that version raises when the module is imported; without a target every
// version's syntax is read. Cases follow each PEP's own examples.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "importspy/source/reader.hpp"
#include "importspy/source/source_error.hpp"
#include "import_facts_text.hpp"

namespace importspy {
namespace {

ReadOptions for_python(int minor) {
  ReadOptions options;
  options.target = TargetEnvironment{};
  options.target->python_minor = minor;
  return options;
}

ModuleFacts read(std::string_view source, const ReadOptions& options = {}) { return read_module_source(source, "pkg/mod.py", "pkg.mod", options); }

// The error reading `source` raises, or nullopt when it reads.
std::optional<SourceReadError> error_of(std::string_view source, const ReadOptions& options = {}) {
  try {
    read(source, options);
  } catch (const SourceReadError& error) {
    return error;
  }
  return std::nullopt;
}

using testing::imports_of;

// ---- PEP 758: except without parentheses ----------------------------------------------------------

constexpr std::string_view kExceptWithoutParentheses =
    "try:\n"
    "    connect()\n"
    "except TimeoutError, ConnectionRefusedError:\n"
    "    retry = True\n"
    "X = 1\n";

TEST(ReaderNewSyntax, except_without_parentheses_reads_on_python_3_14_and_without_a_target) {
  EXPECT_FALSE(error_of(kExceptWithoutParentheses, for_python(14)));
  EXPECT_FALSE(error_of(kExceptWithoutParentheses, for_python(15)));
  const ModuleFacts facts = read(kExceptWithoutParentheses);
  EXPECT_NE(facts.find_variable("X"), nullptr);
  EXPECT_NE(facts.find_variable("retry"), nullptr);
}

TEST(ReaderNewSyntax, except_without_parentheses_is_a_syntax_error_before_python_3_14_at_its_comma) {
  const auto error = error_of(kExceptWithoutParentheses, for_python(13));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), SourceReadError::Kind::syntax);
  EXPECT_EQ(error->line(), 3);
  EXPECT_EQ(error->column(), 20);
  EXPECT_NE(error->message().find("Python 3.14 syntax"), std::string::npos) << error->message();
  EXPECT_NE(error->message().find("read for Python 3.13"), std::string::npos) << error->message();
  EXPECT_NE(error->message().find("except (A, B):"), std::string::npos) << error->message();
}

TEST(ReaderNewSyntax, except_without_parentheses_in_a_skipped_function_body_is_judged_too) {
  const std::string_view source =
      "def f():\n"
      "    try:\n"
      "        pass\n"
      "    except* ValueError, TypeError:\n"
      "        pass\n";
  EXPECT_TRUE(error_of(source, for_python(12)));
  EXPECT_FALSE(error_of(source, for_python(14)));
}

TEST(ReaderNewSyntax, several_exception_types_with_as_need_parentheses_on_every_version) {
  const std::string_view source = "try:\n    pass\nexcept ValueError, TypeError as error:\n    pass\n";
  for (const ReadOptions& options : {ReadOptions{}, for_python(13), for_python(14)}) {
    const auto error = error_of(source, options);
    ASSERT_TRUE(error);
    EXPECT_EQ(error->line(), 3);
    EXPECT_NE(error->message().find("must be parenthesized when using 'as'"), std::string::npos) << error->message();
  }
}

TEST(ReaderNewSyntax, commas_inside_brackets_of_an_except_clause_are_no_list_of_types) {
  const std::string_view source =
      "try:\n    pass\n"
      "except (ValueError, TypeError) as error:\n    pass\n"
      "except errors_of(a, b):\n    pass\n"
      "except {1: ValueError, 2: KeyError}[code] as e:\n    pass\n";
  EXPECT_FALSE(error_of(source, for_python(10)));
}

// ---- PEP 750: template strings ------------------------------------------------------------------

TEST(ReaderNewSyntax, template_strings_read_on_python_3_14_with_no_value) {
  const std::string_view source =
      "name = 'World'\n"
      "greeting = t'Hello {name}!'\n"
      "raw = rt'\\d{name}' Tr\"x\" t'''\n{name}'''\n"
      "after = 1\n";
  for (const ReadOptions& options : {ReadOptions{}, for_python(14)}) {
    const ModuleFacts facts = read(source, options);
    ASSERT_NE(facts.find_variable("greeting"), nullptr);
    EXPECT_TRUE(facts.find_variable("greeting")->value.is_unknown());  // a Template, not a str
    EXPECT_NE(facts.find_variable("after"), nullptr);
  }
}

TEST(ReaderNewSyntax, template_strings_are_a_syntax_error_before_python_3_14) {
  const auto error = error_of("x = 1\ngreeting = t'Hello {x}'\n", for_python(13));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->line(), 2);
  EXPECT_EQ(error->column(), 12);
  EXPECT_NE(error->message().find("template string (t-string, PEP 750) is Python 3.14 syntax"), std::string::npos) << error->message();
  // A name `t` before a string is two operands on older versions, a t-string on newer: never a name.
  EXPECT_TRUE(error_of("def f():\n    return t'x'\n", for_python(12)));
}

TEST(ReaderNewSyntax, template_strings_concatenate_only_with_template_strings) {
  EXPECT_FALSE(error_of("x = t'a' t'b' T'c'\n"));
  for (std::string_view source : {"x = t'a' 'b'\n", "x = 'a' t'b'\n", "x = t'a' f'b'\n", "x = f'a' t'{b}'\n", "x = t'a' b'b'\n"}) {
    const auto error = error_of(source);
    ASSERT_TRUE(error) << source;
    EXPECT_NE(error->message().find("cannot mix t-string literals with string or bytes literals"), std::string::npos) << error->message();
  }
}

// ---- PEP 810: lazy imports ----------------------------------------------------------------------

TEST(ReaderNewSyntax, lazy_imports_are_a_syntax_error_before_python_3_15) {
  for (std::string_view source : {"lazy import json\n", "import os\nlazy from json import dumps\n", "def f():\n    lazy import json\n"}) {
    const auto error = error_of(source, for_python(14));
    ASSERT_TRUE(error) << source;
    EXPECT_NE(error->message().find("`lazy import` (PEP 810) is Python 3.15 syntax"), std::string::npos) << error->message();
  }
  // `lazy` as a name is what it always was.
  EXPECT_FALSE(error_of("lazy = 1\nlazy(x)\nlazy.import_module = 2\n", for_python(10)));
}

TEST(ReaderNewSyntax, lazy_imports_at_module_level_are_lazy_on_python_3_15) {
  const ModuleFacts facts = read(
      "import sys\n"
      "lazy import json\n"
      "if sys.flags.optimize:\n"
      "    lazy from os import path\n"
      "with suppress(ImportError):\n"
      "    lazy import yaml\n",
      for_python(15));
  EXPECT_EQ(imports_of(facts), "sys::1 json::2:lazy os:path:4:lazy yaml::6:lazy");
}

TEST(ReaderNewSyntax, lazy_imports_in_skipped_module_level_branches_keep_their_marks) {
  const ModuleFacts facts = read(
      "from typing import TYPE_CHECKING\n"
      "if TYPE_CHECKING:\n"
      "    lazy import decimal\n"
      "if __name__ == '__main__':\n"
      "    lazy import argparse\n",
      for_python(15));
  EXPECT_EQ(imports_of(facts), "typing:TYPE_CHECKING:1 decimal::3:lazy:tc argparse::5:lazy:main");
}

TEST(ReaderNewSyntax, lazy_imports_where_pep_810_refuses_them_are_syntax_errors) {
  const struct {
    std::string_view source;
    std::string_view says;
  } cases[] = {
      {"def f():\n    lazy import json\n", "not allowed inside a function"},
      {"class C:\n    lazy import json\n", "not allowed in a class body"},
      {"class C:\n    def m(self):\n        lazy import json\n", "not allowed inside a function"},
      {"class C:\n    class D:\n        lazy import json\n", "not allowed in a class body"},
      {"try:\n    lazy import json\nexcept ImportError:\n    pass\n", "not allowed inside a `try` statement"},
      {"try:\n    pass\nfinally:\n    lazy import json\n", "not allowed inside a `try` statement"},
      {"lazy from json import *\n", "star import cannot be lazy"},
      {"lazy from __future__ import annotations\n", "future statement is never lazy"},
  };
  for (const auto& c : cases) {
    const auto error = error_of(c.source, for_python(15));
    ASSERT_TRUE(error) << c.source;
    EXPECT_EQ(error->kind(), SourceReadError::Kind::syntax);
    EXPECT_NE(error->message().find(c.says), std::string::npos) << c.source << " → " << error->message();
  }
}

}  // namespace
}  // namespace importspy

namespace importspy {
namespace {

// ---- Reading targets as users name them (`--for`) ------------------------------------------------

TEST(ReadingTarget, any_is_no_target_and_a_platform_brings_its_os_name_and_system) {
  EXPECT_FALSE(parse_reading_target("any", 11));
  const auto windows = parse_reading_target("win32", 11);
  ASSERT_TRUE(windows);
  EXPECT_EQ(windows->sys_platform, "win32");
  EXPECT_EQ(windows->os_name, "nt");
  EXPECT_EQ(windows->platform_system, "Windows");
  EXPECT_EQ(windows->python_minor, 11);
  const auto mac = parse_reading_target("darwin:3.13", 11);
  ASSERT_TRUE(mac);
  EXPECT_EQ(mac->os_name, "posix");
  EXPECT_EQ(mac->platform_system, "Darwin");
  EXPECT_EQ(mac->python_minor, 13);
  EXPECT_EQ(reading_target_label(mac), "darwin:3.13");
  EXPECT_EQ(reading_target_label(std::nullopt), "any");
}

TEST(ReadingTarget, anything_else_is_refused_with_what_is_accepted) {
  for (std::string_view spec : {"", "Linux", "linux:", "linux:3", "linux:3.", "linux:3.1x", "linux:4.0", "linux:3.5", "linux:3.100", "here:3.12"}) {
    try {
      parse_reading_target(spec, 12);
      ADD_FAILURE() << "accepted `" << spec << "`";
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find("PLATFORM[:3.N] with PLATFORM linux, win32 or darwin"), std::string::npos) << error.what();
    }
  }
}

}  // namespace
}  // namespace importspy
