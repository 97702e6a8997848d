// An imports-only reading (ReadOptions::imports_only) against a full one: the same imports and unknown
// imports, with every mark, and the same errors, on targeted cases and on every file of a standard
// library; nothing else kept.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "importspy/source/reader.hpp"
#include "importspy/source/source_error.hpp"
#include "import_facts_text.hpp"

namespace importspy {
namespace {

namespace fs = std::filesystem;
using testing::imports_of;

ReadOptions options_for(bool imports_only, std::optional<TargetEnvironment> target = std::nullopt) {
  ReadOptions options;
  options.imports_only = imports_only;
  options.target = std::move(target);
  return options;
}

// Every field of every import and unknown import, one line each: what the two readings must share.
std::string import_facts_text(const ModuleFacts& facts) {
  std::string out;
  for (const ImportFact& f : facts.imports) {
    out += f.module + "|" + f.name + "|" + f.alias + "|" + std::to_string(f.line) + "|" + (f.type_checking ? "tc" : "") + "|" + (f.lazy ? "lazy" : "") +
           "|" + (f.in_class ? "class" : "") + "|" + (f.main_guard ? "main" : "") + "\n";
  }
  for (const UnknownImport& u : facts.unknown_imports) out += "unknown|" + u.text + "|" + u.reason + "|" + std::to_string(u.line) + "\n";
  return out;
}

// The facts of one reading as text, or its error (kind, place and message).
std::string outcome(std::string_view source, const std::string& file, const std::string& module, const ReadOptions& options) {
  try {
    const ModuleFacts facts = read_module_source(source, file, module, options);
    return facts.name + "|" + facts.filename + "\n" + import_facts_text(facts);
  } catch (const SourceReadError& error) {
    return "error " + std::to_string(static_cast<int>(error.kind())) + " " + error.what();
  }
}

constexpr std::string_view kEveryMark =
    "from __future__ import annotations\n"
    "import os, sys\n"
    "from . import sibling\n"
    "from ..parent.mod import name as alias\n"
    "lazy import json\n"
    "lazy from collections import OrderedDict\n"
    "from typing import TYPE_CHECKING\n"
    "if TYPE_CHECKING and os:\n"
    "    from .types import Kind\n"
    "if sys.platform == 'win32':\n"
    "    import winreg\n"
    "else:\n"
    "    import fcntl\n"
    "try:\n"
    "    import ujson\n"
    "except ImportError:\n"
    "    ujson = None\n"
    "class Outer:\n"
    "    import csv\n"
    "    class Inner:\n"
    "        from os import path\n"
    "        def method(self):\n"
    "            import re\n"
    "def f():\n"
    "    import importlib\n"
    "    importlib.import_module(name)\n"
    "__import__(computed)\n"
    "if __name__ == '__main__':\n"
    "    import argparse\n";

TEST(ReaderImportsOnly, records_every_import_with_the_marks_a_full_reading_gives) {
  TargetEnvironment linux315;
  linux315.python_minor = 15;  // `lazy import` is 3.15 syntax
  for (const auto& target : {std::optional<TargetEnvironment>{}, std::optional<TargetEnvironment>{linux315}}) {
    const ModuleFacts full = read_module_source(kEveryMark, "pkg/sub/mod.py", "pkg.sub.mod", options_for(false, target));
    const ModuleFacts lean = read_module_source(kEveryMark, "pkg/sub/mod.py", "pkg.sub.mod", options_for(true, target));
    EXPECT_EQ(import_facts_text(lean), import_facts_text(full));
    EXPECT_EQ(imports_of(lean), imports_of(full));
    EXPECT_FALSE(lean.unknown_imports.empty());  // the case has unknown imports to compare
  }
  // The marks are there (the comparison above cannot pass on two empty lists).
  const ModuleFacts lean = read_module_source(kEveryMark, "pkg/sub/mod.py", "pkg.sub.mod", options_for(true, linux315));
  const std::string text = imports_of(lean);
  EXPECT_NE(text.find("json::5:lazy"), std::string::npos) << text;
  EXPECT_NE(text.find(".types:Kind:9:tc"), std::string::npos) << text;
  EXPECT_EQ(text.find("winreg"), std::string::npos) << text;  // decided for linux
  EXPECT_NE(text.find("fcntl::13"), std::string::npos) << text;
  EXPECT_NE(text.find("os:path:21:class"), std::string::npos) << text;
  EXPECT_NE(text.find("re::23:lazy"), std::string::npos) << text;
  EXPECT_NE(text.find("argparse::29:main"), std::string::npos) << text;
}

TEST(ReaderImportsOnly, keeps_nothing_but_the_name_file_and_imports) {
  const ModuleFacts lean = read_module_source("__version__ = '1.0'\nimport os\nX = 1\ndef f(a: int = 2) -> str: ...\nclass C(dict):\n    y = 3\n",
                                              "pkg/mod.py", "pkg.mod", options_for(true));
  EXPECT_EQ(lean.name, "pkg.mod");
  EXPECT_EQ(lean.filename, "pkg/mod.py");
  EXPECT_EQ(imports_of(lean), "os::2");
  EXPECT_TRUE(lean.variables.empty());
  EXPECT_TRUE(lean.functions.empty());
  EXPECT_TRUE(lean.classes.empty());
  EXPECT_FALSE(lean.version.has_value());
  EXPECT_FALSE(lean.file_sha256.has_value());  // even though file_sha256 is left at its default
}

TEST(ReaderImportsOnly, reports_the_syntax_errors_a_full_reading_reports) {
  // Errors found by the tokens, by statements, in a signature, in a method read for `self.x`, in a
  // decorator, in a class header and in a skipped function body: each the same error in both readings.
  const std::vector<std::string> broken = {
      "import os\ndef f(:\n    pass\n",
      "import os\ndef f(1): pass\n",
      "class C:\n    def m(self):\n        print 'x'\n",
      "@decorator\nx = 1\n",
      "class (Base):\n    pass\n",
      "def f():\n    print 'x'\n",
      "import os\nif x\n    import json\n",
      "lazy import json\n",  // before 3.15 (the target's grammar)
      "def f():\n    lazy import json\n",
      "x = 1\n  y = 2\n",
      "s = '\xff'\n",
  };
  TargetEnvironment older;
  older.python_minor = 14;
  for (const std::string& source : broken) {
    const std::string full = outcome(source, "pkg/mod.py", "pkg.mod", options_for(false, older));
    EXPECT_TRUE(full.starts_with("error ")) << source << " reads in full as " << full;
    EXPECT_EQ(outcome(source, "pkg/mod.py", "pkg.mod", options_for(true, older)), full) << source;
    // Undecided (every version's syntax), `lazy import` reads: whatever the full reading says, so does this.
    EXPECT_EQ(outcome(source, "pkg/mod.py", "pkg.mod", options_for(true)), outcome(source, "pkg/mod.py", "pkg.mod", options_for(false))) << source;
  }
}

TEST(ReaderImportsOnly, leaves_out_inheritance_and_so_its_limits) {
  // The inheritance limits bound the work of resolving bases, which an imports-only reading does not do.
  std::string source = "import os\nclass A: pass\nclass B(A): pass\nclass C(B): pass\n";
  ReadOptions full = options_for(false);
  full.inheritance.max_superclasses = 2;
  EXPECT_THROW(read_module_source(source, "pkg/mod.py", "pkg.mod", full), SourceReadError);
  ReadOptions lean = full;
  lean.imports_only = true;
  EXPECT_EQ(imports_of(read_module_source(source, "pkg/mod.py", "pkg.mod", lean)), "os::1");
}

// Every file of a standard library (the Python the build found), read both ways, undecided and for
// linux 3.12: identical imports, unknown imports and errors.
TEST(ReaderImportsOnly, agrees_with_a_full_reading_on_every_file_of_the_standard_library) {
  const fs::path stdlib = IMPORTSPY_STDLIB_DIR;
  if (stdlib.empty()) GTEST_SKIP() << "no Python standard library was found when the tests were configured";
  ASSERT_TRUE(fs::is_directory(stdlib)) << stdlib;
  std::size_t files = 0, errors = 0, imports = 0;
  TargetEnvironment linux312;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(stdlib, fs::directory_options::skip_permission_denied)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".py" || entry.path().string().find("site-packages") != std::string::npos) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const fs::path relative = entry.path().lexically_relative(stdlib);
    std::string module = relative.parent_path().string();
    for (char& c : module) c = c == '/' ? '.' : c;
    const std::string stem = relative.stem().string();
    if (stem != "__init__") module += (module.empty() ? "" : ".") + stem;
    ++files;
    for (const auto& target : {std::optional<TargetEnvironment>{}, std::optional<TargetEnvironment>{linux312}}) {
      const std::string full = outcome(bytes, relative.string(), module, options_for(false, target));
      const std::string lean = outcome(bytes, relative.string(), module, options_for(true, target));
      ASSERT_EQ(lean, full) << relative;
      if (full.starts_with("error ")) ++errors;
      else imports += static_cast<std::size_t>(std::count(full.begin(), full.end(), '\n')) - 1;
    }
  }
  EXPECT_GT(files, 500u) << stdlib;
  EXPECT_GT(imports, 10000u);
  EXPECT_GT(errors, 0u);  // the standard library's test files that are not Python (badsyntax_*, bad_coding*) compare too
}

}  // namespace
}  // namespace importspy
