#include <gtest/gtest.h>

#include "support.hpp"

using namespace importspy;
using namespace importspy::testing;

namespace {

// `plugins/extension.py`, module `plugins.extension`, with the imports given.
ModuleFacts importing(std::vector<ImportFact> imports, std::string filename = "/srv/plugins/extension.py", std::string name = "plugins.extension") {
  ModuleFacts m = module_at(std::move(filename));
  m.name = std::move(name);
  m.imports = std::move(imports);
  return m;
}

ImportFact plain(std::string module, int line) { return ImportFact{std::move(module), "", "", line}; }
ImportFact from(std::string module, std::string name, int line) { return ImportFact{std::move(module), name, name, line}; }

}  // namespace

TEST(CheckImports, a_forbidden_import_is_reported_at_its_line_with_the_rule_that_forbids_it) {
  auto v = only_violation(check_yaml("imports:\n  forbidden:\n    - requests\n", importing({plain("os", 1), plain("requests.adapters", 2)})));
  EXPECT_EQ(v.code, "import-forbidden");
  EXPECT_EQ(v.category, Category::mismatch);
  EXPECT_EQ(v.context, Context::module);
  EXPECT_EQ(v.path, "imports");
  EXPECT_EQ(v.expected, "requests");
  EXPECT_EQ(v.actual, "import requests.adapters");
  EXPECT_EQ(v.source_line, 2);
  EXPECT_EQ(v.contract_mark.line, 3);
  // The import as a one-step chain: reports show it at the module's file and line.
  ASSERT_EQ(v.chains.size(), 1u);
  EXPECT_EQ(v.chains[0][0].module, "plugins.extension");
  EXPECT_EQ(v.chains[0][0].file, "/srv/plugins/extension.py");
  EXPECT_EQ(v.chains[0][0].line, 2);
  EXPECT_EQ(v.chains[0][1].module, "requests.adapters");
}

TEST(CheckImports, from_import_is_forbidden_by_its_module_or_by_the_submodule_it_names) {
  EXPECT_EQ(codes_of(check_yaml("imports: {forbidden: [os]}\n", importing({from("os", "path", 4)}))), std::vector<std::string>{"import-forbidden"});
  EXPECT_EQ(codes_of(check_yaml("imports: {forbidden: [os.path]}\n", importing({from("os", "path", 4)}))), std::vector<std::string>{"import-forbidden"});
  EXPECT_TRUE(check_yaml("imports: {forbidden: [os.path]}\n", importing({from("os", "environ", 4)})).ok());
}

TEST(CheckImports, relative_imports_are_resolved_against_the_package) {
  auto v = only_violation(check_yaml("imports: {forbidden: [plugins.internal]}\n", importing({from(".internal", "secret", 3)})));
  EXPECT_EQ(v.actual, "from plugins.internal import secret");
  EXPECT_EQ(codes_of(check_yaml("imports: {forbidden: [plugins.internal]}\n", importing({from(".", "internal", 3)}))),
            std::vector<std::string>{"import-forbidden"});
  // In a package's __init__.py the package is the module itself.
  auto init = importing({from(".core", "run", 1)}, "/srv/plugins/__init__.py", "plugins");
  EXPECT_EQ(only_violation(check_yaml("imports: {forbidden: [plugins.core]}\n", init)).actual, "from plugins.core import run");
}

TEST(CheckImports, every_import_outside_the_allowed_patterns_is_reported) {
  auto report = check_yaml("imports:\n  allowed: [os, plugins.*]\n",
                           importing({plain("os.path", 1), from("plugins.base", "Plugin", 2), plain("plugins", 3), plain("json", 4)}));
  ASSERT_EQ(codes_of(report), (std::vector<std::string>{"import-not-allowed", "import-not-allowed"}));
  EXPECT_EQ(report.violations[0].actual, "import plugins");
  EXPECT_EQ(report.violations[0].expected, "os, plugins.*");
  EXPECT_EQ(report.violations[0].source_line, 3);
  EXPECT_EQ(report.violations[1].actual, "import json");
}

TEST(CheckImports, forbidden_wins_over_allowed_and_is_reported_once) {
  auto v = only_violation(check_yaml("imports: {allowed: [plugins], forbidden: [plugins.internal]}\n", importing({plain("plugins.internal", 7)})));
  EXPECT_EQ(v.code, "import-forbidden");
}

TEST(CheckImports, future_imports_are_directives_not_dependencies) {
  EXPECT_TRUE(check_yaml("imports: {allowed: []}\n", importing({from("__future__", "annotations", 1)})).ok());
}

TEST(CheckImports, type_checking_imports_count_only_when_the_contract_asks) {
  ImportFact guarded = plain("requests", 5);
  guarded.type_checking = true;
  EXPECT_TRUE(check_yaml("imports: {forbidden: [requests]}\n", importing({guarded})).ok());
  auto v = only_violation(check_yaml("imports: {forbidden: [requests], type_checking: true}\n", importing({guarded})));
  EXPECT_NE(v.message.find("TYPE_CHECKING"), std::string::npos);
}

TEST(CheckImports, lazy_imports_are_checked_and_reported_as_lazy) {
  ImportFact lazy = plain("requests", 9);
  lazy.lazy = true;
  auto v = only_violation(check_yaml("imports: {forbidden: [requests]}\n", importing({lazy})));
  EXPECT_EQ(v.source_line, 9);
  EXPECT_NE(v.message.find("the lazy import (in a function body, or `lazy import`)"), std::string::npos) << v.message;
}

TEST(CheckImports, a_relative_import_of_a_module_without_a_package_matches_no_pattern) {
  auto v = only_violation(check_yaml("imports: {allowed: [x]}\n", importing({from(".x", "y", 1)}, "/srv/top.py", "top")));
  EXPECT_EQ(v.code, "import-not-allowed");
  EXPECT_EQ(v.actual, "from .x import y");
}
