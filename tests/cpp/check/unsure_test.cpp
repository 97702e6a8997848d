// Unsure means no: a rule that needs a fact the reader marked unknown reports it unverifiable, unless
// the contract opts that kind of fact out with `when_unsure`.
#include <gtest/gtest.h>

#include "support.hpp"

using namespace importspy;
using namespace importspy::testing;

namespace {

ModuleFacts dynamic_namespace_module() {
  ModuleFacts m = module_at();
  m.functions.push_back(function("register"));
  m.dynamic_namespace = {"`globals(...)` at line 4"};
  return m;
}

ModuleFacts decorated_module() {
  ModuleFacts m = module_at();
  FunctionFact f = function("register", {param("plugin")});
  f.unverifiable = "decorated by `wrap`, whose code the reader does not see";
  f.line = 7;
  m.functions.push_back(f);
  return m;
}

ModuleFacts dynamic_import_module() {
  ModuleFacts m = module_at();
  m.name = "plugins.extension";
  m.imports.push_back(ImportFact{"os", "", "", 1});
  m.unknown_imports.push_back(UnknownImport{"__import__(name)", "its argument is computed", 3});
  return m;
}

}  // namespace

// ---- the namespace --------------------------------------------------------------------------------

TEST(CheckUnsure, by_default_a_module_that_changes_its_namespace_violates_a_contract_that_requires_names) {
  const Violation v = only_violation(check_yaml("functions:\n  - name: register\n", dynamic_namespace_module()));
  EXPECT_EQ(v.code, "namespace-unverifiable");
  EXPECT_EQ(v.category, Category::invalid);
  EXPECT_EQ(v.path, "when_unsure");
  EXPECT_NE(v.hint.find("when_unsure: {namespace: allow}"), std::string::npos) << v.hint;
}

TEST(CheckUnsure, a_contract_that_requires_no_name_does_not_need_the_namespace) {
  EXPECT_TRUE(check_yaml("filename: extension.py\n", dynamic_namespace_module()).ok());
  EXPECT_TRUE(check_yaml("imports:\n  forbidden: [subprocess]\n", dynamic_namespace_module()).ok());
}

TEST(CheckUnsure, a_version_rule_needs_the_namespace) {
  ModuleFacts m = dynamic_namespace_module();
  m.version = "1.0";
  EXPECT_EQ(codes_of(check_yaml("version: '>=1'\n", m)), (std::vector<std::string>{"namespace-unverifiable"}));
}

TEST(CheckUnsure, the_namespace_is_needed_by_a_deployment_module_entry_too) {
  const Report report = check_yaml(R"(
deployments:
  - arch: x86_64
    systems:
      - os: linux
        pythons:
          - version: "3.11"
            modules:
              - filename: extension.py
                functions: [{name: register}]
)", dynamic_namespace_module());
  ASSERT_EQ(codes_of(report), (std::vector<std::string>{"namespace-unverifiable"}));
  EXPECT_EQ(report.violations[0].path, "deployments[0].systems[0].pythons[0].modules[0].when_unsure");
}

TEST(CheckUnsure, when_unsure_allow_opts_every_kind_out) {
  EXPECT_TRUE(check_yaml("when_unsure: allow\nfunctions:\n  - name: register\n", dynamic_namespace_module()).ok());
  EXPECT_TRUE(check_yaml("when_unsure: allow\nfunctions:\n  - name: register\n", decorated_module()).ok());
  EXPECT_TRUE(check_yaml("when_unsure: allow\nimports:\n  forbidden: [subprocess]\n", dynamic_import_module()).ok());
}

TEST(CheckUnsure, a_mapping_opts_one_kind_out_and_denies_the_kinds_it_leaves_out) {
  ModuleFacts m = decorated_module();
  m.dynamic_namespace = {"`exec(...)` at line 9"};
  EXPECT_EQ(codes_of(check_yaml("when_unsure: {namespace: allow}\nfunctions:\n  - name: register\n", m)),
            (std::vector<std::string>{"definition-unverifiable"}));
  EXPECT_EQ(codes_of(check_yaml("when_unsure: {definitions: allow}\nfunctions:\n  - name: register\n", m)),
            (std::vector<std::string>{"namespace-unverifiable"}));
  EXPECT_TRUE(check_yaml("when_unsure: {definitions: allow, namespace: allow, imports: deny}\nfunctions:\n  - name: register\n", m).ok());
}

TEST(CheckUnsure, when_unsure_deny_is_the_default_written_out) {
  EXPECT_EQ(codes_of(check_yaml("when_unsure: deny\nfunctions:\n  - name: register\n", decorated_module())),
            (std::vector<std::string>{"definition-unverifiable"}));
}

TEST(CheckUnsure, an_unknown_kind_or_verdict_in_the_mapping_is_a_contract_error) {
  const ContractError kind = contract_error_from("when_unsure: {names: allow}\n");
  EXPECT_NE(kind.message().find("unknown key `names`"), std::string::npos) << kind.message();
  const ContractError verdict = contract_error_from("when_unsure:\n  imports: maybe\n");
  EXPECT_EQ(verdict.line(), 2);
  EXPECT_NE(verdict.message().find("`when_unsure.imports` must be `deny` or `allow`"), std::string::npos) << verdict.message();
}

// ---- definitions ----------------------------------------------------------------------------------

TEST(CheckUnsure, a_required_function_whose_decorator_is_unknown_is_unverifiable_not_judged) {
  // The contract asks for a parameter the source shows: still unverifiable, a single violation.
  const Violation v = only_violation(check_yaml("functions:\n  - name: register\n    arguments: [{name: plugin}]\n", decorated_module()));
  EXPECT_EQ(v.code, "definition-unverifiable");
  EXPECT_EQ(v.path, "functions.register");
  EXPECT_EQ(v.source_line, 7);
  EXPECT_NE(v.message.find("decorated by `wrap`"), std::string::npos) << v.message;
  EXPECT_NE(v.hint.find("when_unsure: {definitions: allow}"), std::string::npos) << v.hint;
}

TEST(CheckUnsure, allowed_a_decorated_function_is_judged_by_what_the_source_shows) {
  const Violation v = only_violation(
      check_yaml("when_unsure: {definitions: allow}\nfunctions:\n  - name: register\n    arguments: [{name: other}]\n", decorated_module()));
  EXPECT_EQ(v.code, "argument-missing");
}

TEST(CheckUnsure, a_required_variable_that_may_be_rebound_is_unverifiable) {
  ModuleFacts m = module_at();
  VariableFact var{"engine", Value::string("docker"), std::nullopt, 3};
  var.unverifiable = "rebound by `global engine` in function `setup` (line 9)";
  m.variables.push_back(var);
  const Violation v = only_violation(check_yaml("variables:\n  - {name: engine, value: docker}\n", m));
  EXPECT_EQ(v.code, "definition-unverifiable");
  EXPECT_EQ(v.path, "variables.engine");
}

TEST(CheckUnsure, a_required_class_replaced_by_an_unknown_class_decorator_is_unverifiable) {
  ModuleFacts m = module_at();
  ClassFact cls;
  cls.name = "Plugin";
  cls.line = 5;
  cls.unverifiable = "decorated by `register`, whose code the reader does not see";
  m.classes.push_back(cls);
  const Violation v = only_violation(check_yaml("classes:\n  - name: Plugin\n    methods: [{name: run}]\n", m));
  EXPECT_EQ(v.code, "definition-unverifiable");
  EXPECT_EQ(v.context, Context::class_);
  EXPECT_EQ(v.path, "classes.Plugin");
}

TEST(CheckUnsure, a_required_method_whose_decorator_is_unknown_is_unverifiable) {
  ModuleFacts m = module_at();
  ClassFact cls;
  cls.name = "Plugin";
  FunctionFact run = function("run");
  run.unverifiable = "decorated by `cached`, whose code the reader does not see";
  cls.methods.push_back(run);
  m.classes.push_back(cls);
  const Violation v = only_violation(check_yaml("classes:\n  - name: Plugin\n    methods: [{name: run}]\n", m));
  EXPECT_EQ(v.code, "definition-unverifiable");
  EXPECT_EQ(v.path, "classes.Plugin.methods.run");
}

TEST(CheckUnsure, a_definition_the_contract_does_not_require_is_never_unsure) {
  EXPECT_TRUE(check_yaml("functions:\n  - name: other\n", [] {
                ModuleFacts m = decorated_module();
                m.functions.push_back(function("other"));
                return m;
              }()).ok());
}

// ---- imports --------------------------------------------------------------------------------------

TEST(CheckUnsure, an_import_the_source_does_not_name_makes_a_forbidden_rule_unverifiable) {
  const Violation v = only_violation(check_yaml("imports:\n  forbidden: [subprocess]\n", dynamic_import_module()));
  EXPECT_EQ(v.code, "import-unverifiable");
  EXPECT_EQ(v.path, "imports");
  EXPECT_EQ(v.source_line, 3);
  EXPECT_EQ(v.actual, "__import__(name)");
  EXPECT_NE(v.hint.find("when_unsure: {imports: allow}"), std::string::npos) << v.hint;
}

TEST(CheckUnsure, an_import_the_source_does_not_name_makes_an_allow_list_unverifiable) {
  EXPECT_EQ(codes_of(check_yaml("imports:\n  allowed: [os]\n", dynamic_import_module())), (std::vector<std::string>{"import-unverifiable"}));
}

TEST(CheckUnsure, an_import_the_source_does_not_name_makes_requires_unverifiable) {
  const Violation v = only_violation(check_yaml("requires:\n  - {module: plugins.base, contract: base.yml}\n", dynamic_import_module()));
  EXPECT_EQ(v.code, "import-unverifiable");
  EXPECT_EQ(v.path, "requires");
}

// `from pkg import *` imports the submodules pkg's `__all__` names: the source of the importer cannot show them.
ModuleFacts star_import_module() {
  ModuleFacts m = module_at();
  m.name = "plugins.extension";
  m.imports.push_back(ImportFact{"tools", "*", "*", 2});
  return m;
}

TEST(CheckUnsure, a_star_import_makes_a_forbidden_submodule_of_its_package_unverifiable) {
  const Violation v = only_violation(check_yaml("imports:\n  forbidden: [tools.shell]\n", star_import_module()));
  EXPECT_EQ(v.code, "import-unverifiable");
  EXPECT_EQ(v.source_line, 2);
  EXPECT_EQ(v.actual, "from tools import *");
  EXPECT_NE(v.message.find("`tools.shell`"), std::string::npos) << v.message;
  EXPECT_NE(v.hint.find("from tools import name"), std::string::npos) << v.hint;
}

TEST(CheckUnsure, a_star_import_leaves_forbidden_modules_outside_its_package_alone) {
  EXPECT_TRUE(check_yaml("imports:\n  forbidden: [subprocess, toolsmith.x]\n", star_import_module()).ok());
}

TEST(CheckUnsure, a_star_import_from_an_allowed_package_stays_allowed) {
  EXPECT_TRUE(check_yaml("imports:\n  allowed: [tools]\n", star_import_module()).ok());
}

TEST(CheckUnsure, a_star_import_under_a_forbidden_submodule_is_judged_by_what_the_source_shows_when_imports_are_allowed) {
  EXPECT_TRUE(check_yaml("when_unsure: {imports: allow}\nimports:\n  forbidden: [tools.shell]\n", star_import_module()).ok());
}

TEST(CheckUnsure, each_unknown_import_is_reported_once_when_imports_and_requires_both_need_it) {
  EXPECT_EQ(codes_of(check_yaml("imports:\n  forbidden: [subprocess]\nrequires:\n  - {module: plugins.base, contract: base.yml}\n", dynamic_import_module())),
            (std::vector<std::string>{"import-unverifiable"}));
}

TEST(CheckUnsure, a_contract_without_import_rules_does_not_need_the_imports) {
  ModuleFacts m = dynamic_import_module();
  m.functions.push_back(function("register"));
  EXPECT_TRUE(check_yaml("functions:\n  - name: register\n", m).ok());
}

TEST(CheckUnsure, imports_allow_judges_the_imports_the_source_names) {
  ModuleFacts m = dynamic_import_module();
  m.imports.push_back(ImportFact{"subprocess", "", "", 2});
  EXPECT_EQ(codes_of(check_yaml("when_unsure: {imports: allow}\nimports:\n  forbidden: [subprocess]\n", m)),
            (std::vector<std::string>{"import-forbidden"}));
}

// ---- lint -----------------------------------------------------------------------------------------

#include "importspy/contract/lint.hpp"

namespace {
std::vector<std::string> lint_codes(std::string_view yaml) {
  std::vector<std::string> out;
  for (const auto& f : lint_contract(*contract_from(yaml))) out.push_back(f.code);
  return out;
}
}  // namespace

TEST(CheckUnsure, lint_reports_an_opt_out_no_rule_needs) {
  EXPECT_EQ(lint_codes("when_unsure: {imports: allow}\nfunctions:\n  - name: f\n"), (std::vector<std::string>{"unused-opt-out"}));
  EXPECT_EQ(lint_codes("when_unsure: allow\nfilename: a.py\n"), (std::vector<std::string>{"unused-opt-out"}));
  EXPECT_TRUE(lint_codes("when_unsure: allow\nfunctions:\n  - name: f\n").empty());  // allows what the function rule needs
  EXPECT_TRUE(lint_codes("when_unsure: {imports: allow}\nimports:\n  forbidden: [subprocess]\n").empty());
  EXPECT_TRUE(lint_codes("when_unsure: deny\nfilename: a.py\n").empty());
}

TEST(CheckUnsure, a_pinned_definition_is_judged_by_its_pin_which_covers_its_decorators) {
  ModuleFacts m = decorated_module();
  m.functions[0].structure_hash = "sha256:" + std::string(64, '0');
  EXPECT_TRUE(check_yaml("functions:\n  - name: register\n    hash: \"sha256:" + std::string(64, '0') + "\"\n", m).ok());
  EXPECT_EQ(codes_of(check_yaml("functions:\n  - name: register\n    hash: \"sha256:" + std::string(64, '1') + "\"\n", m)),
            (std::vector<std::string>{"hash-mismatch"}));
}
