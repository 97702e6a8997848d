#include <gtest/gtest.h>

#include "support.hpp"

using namespace importspy;
using namespace importspy::testing;

namespace {

ModuleFacts plugin_module() {
  ModuleFacts m = module_at();
  m.version = "1.4.2";
  m.variables.push_back({"engine", Value::string("docker"), std::string("str"), 3});
  m.variables.push_back({"retries", Value::integer(3), std::string("int"), 4});
  m.functions.push_back(function("run", {param("job"), param_default("timeout", Value::floating(2.5))}, "bool"));
  return m;
}

}  // namespace

TEST(CheckModule, compliant_module_has_no_violations) {
  auto report = check_yaml(R"(
filename: extension.py
version: ">=1.4"
variables:
  - {name: engine, value: docker, annotation: str}
functions:
  - name: run
    arguments: [{name: job}, {name: timeout, value: 2.5}]
    return_annotation: bool
)", plugin_module());
  EXPECT_TRUE(report.ok()) << report.violations.front().message;
}

TEST(CheckModule, contract_is_a_minimum_extra_members_pass) {
  EXPECT_TRUE(check_yaml("variables:\n  - name: engine\n", plugin_module()).ok());
}

TEST(CheckModule, filename_mismatch) {
  auto v = only_violation(check_yaml("filename: addons.py\n", plugin_module()));
  EXPECT_EQ(v.code, "filename-mismatch");
  EXPECT_EQ(v.category, Category::mismatch);
  EXPECT_EQ(v.context, Context::module);
  EXPECT_EQ(v.path, "filename");
  EXPECT_EQ(v.expected, "addons.py");
  EXPECT_EQ(v.actual, "extension.py");
  EXPECT_EQ(v.contract_mark.line, 1);
}

TEST(CheckModule, filename_matches_by_trailing_path_components_and_without_suffix) {
  EXPECT_TRUE(check_yaml("filename: plugins/extension.py\n", plugin_module()).ok());
  EXPECT_TRUE(check_yaml("filename: extension\n", plugin_module()).ok());
  EXPECT_FALSE(check_yaml("filename: other/extension.py\n", plugin_module()).ok());
  EXPECT_FALSE(check_yaml("filename: tension.py\n", plugin_module()).ok());
  EXPECT_TRUE(check_yaml("filename: extension.py\n", module_at("C:\\srv\\plugins\\extension.py")).ok());
}

TEST(CheckModule, version_mismatch) {
  auto v = only_violation(check_yaml("version: ~=2.0\n", plugin_module()));
  EXPECT_EQ(v.code, "version-mismatch");
  EXPECT_EQ(v.expected, "~=2.0");
  EXPECT_EQ(v.actual, "1.4.2");
}

TEST(CheckModule, version_mismatch_when_module_has_no_version) {
  ModuleFacts m = plugin_module();
  m.version.reset();
  auto v = only_violation(check_yaml("version: '1.4'\n", m));
  EXPECT_EQ(v.code, "version-mismatch");
  EXPECT_FALSE(v.actual.has_value());
  EXPECT_NE(v.message.find("__version__"), std::string::npos);
}

TEST(CheckModule, computed_version_is_unverifiable_not_missing) {
  ModuleFacts m = plugin_module();
  m.version.reset();
  m.version_unknown = true;
  auto v = only_violation(check_yaml("version: '1.4'\n", m));
  EXPECT_EQ(v.code, "value-unverifiable");
  EXPECT_EQ(v.path, "version");
}

TEST(CheckModule, bare_module_version_matches_by_prefix) { EXPECT_TRUE(check_yaml("version: '1.4'\n", plugin_module()).ok()); }

TEST(CheckModule, variable_missing) {
  auto v = only_violation(check_yaml("variables:\n  - {name: plugin_name, value: demo}\n", plugin_module()));
  EXPECT_EQ(v.code, "variable-missing");
  EXPECT_EQ(v.category, Category::missing);
  EXPECT_EQ(v.path, "variables.plugin_name");
  EXPECT_EQ(v.expected, "'demo'");
  EXPECT_FALSE(v.actual.has_value());
  EXPECT_NE(v.hint.find("plugin_name = 'demo'"), std::string::npos);
}

TEST(CheckModule, variable_value_mismatch) {
  auto v = only_violation(check_yaml("variables:\n  - {name: engine, value: podman}\n", plugin_module()));
  EXPECT_EQ(v.code, "variable-value-mismatch");
  EXPECT_EQ(v.expected, "'podman'");
  EXPECT_EQ(v.actual, "'docker'");
  EXPECT_EQ(v.source_line, 3);
}

TEST(CheckModule, quoted_number_does_not_match_an_int) {
  auto v = only_violation(check_yaml("variables:\n  - {name: retries, value: '3'}\n", plugin_module()));
  EXPECT_EQ(v.code, "variable-value-mismatch");
  EXPECT_EQ(v.expected, "'3'");
  EXPECT_EQ(v.actual, "3");
}

TEST(CheckModule, null_value_requires_none) {
  EXPECT_EQ(only_violation(check_yaml("variables:\n  - {name: engine, value: null}\n", plugin_module())).code, "variable-value-mismatch");
}

TEST(CheckModule, variable_annotation_mismatch) {
  auto v = only_violation(check_yaml("variables:\n  - {name: engine, annotation: int}\n", plugin_module()));
  EXPECT_EQ(v.code, "variable-annotation-mismatch");
  EXPECT_EQ(v.expected, "int");
  EXPECT_EQ(v.actual, "str");
}

TEST(CheckModule, equivalent_annotations_match) {
  ModuleFacts m = module_at();
  m.variables.push_back({"names", Value::list({}), std::string("typing.List[typing.Optional[str]]"), 1});
  EXPECT_TRUE(check_yaml("variables:\n  - {name: names, annotation: 'list[str | None]'}\n", m).ok());
}

TEST(CheckModule, value_unverifiable_when_the_fact_is_unknown) {
  ModuleFacts m = module_at();
  m.variables.push_back({"engine", Value::unknown("call expression"), std::nullopt, 2});
  auto v = only_violation(check_yaml("variables:\n  - {name: engine, value: docker}\n", m));
  EXPECT_EQ(v.code, "value-unverifiable");
  EXPECT_EQ(v.category, Category::invalid);
  EXPECT_NE(v.message.find("call expression"), std::string::npos);
}

TEST(CheckModule, function_missing) {
  auto v = only_violation(check_yaml("functions:\n  - name: stop\n", plugin_module()));
  EXPECT_EQ(v.code, "function-missing");
  EXPECT_EQ(v.path, "functions.stop");
}

TEST(CheckModule, argument_missing_shows_the_actual_signature) {
  auto v = only_violation(check_yaml("functions:\n  - name: run\n    arguments: [{name: job}, {name: verbose}]\n", plugin_module()));
  EXPECT_EQ(v.code, "argument-missing");
  EXPECT_EQ(v.path, "functions.run.arguments.verbose");
  EXPECT_EQ(v.actual, "(job, timeout=2.5) -> bool");
}

TEST(CheckModule, argument_out_of_declared_order) {
  auto v = only_violation(check_yaml("functions:\n  - name: run\n    arguments: [{name: timeout}, {name: job}]\n", plugin_module()));
  EXPECT_EQ(v.code, "argument-mismatch");
  EXPECT_EQ(v.path, "functions.run.arguments.job");
  EXPECT_EQ(v.expected, "after `timeout`");
}

TEST(CheckModule, extra_parameters_between_declared_ones_pass) {
  ModuleFacts m = module_at();
  m.functions.push_back(function("f", {param("a"), param("extra"), param("b")}));
  EXPECT_TRUE(check_yaml("functions:\n  - name: f\n    arguments: [{name: a}, {name: b}]\n", m).ok());
}

TEST(CheckModule, argument_of_the_wrong_kind) {
  ModuleFacts m = module_at();
  m.functions.push_back(function("f", {param("args"), param("opts", ParameterKind::keyword_only)}));
  auto report = check_yaml("functions:\n  - name: f\n    arguments: [{name: '*args'}, {name: opts, kind: keyword_only}]\n", m);
  auto v = only_violation(report);
  EXPECT_EQ(v.code, "argument-mismatch");
  EXPECT_EQ(v.expected, "*args");
  EXPECT_EQ(v.actual, "positional-or-keyword");
}

TEST(CheckModule, var_positional_and_var_keyword_match_by_spelling) {
  ModuleFacts m = module_at();
  m.functions.push_back(function("f", {param("args", ParameterKind::var_positional), param("kwargs", ParameterKind::var_keyword)}));
  EXPECT_TRUE(check_yaml("functions:\n  - name: f\n    arguments: [{name: '*args'}, {name: '**kwargs'}]\n", m).ok());
}

TEST(CheckModule, argument_annotation_mismatch) {
  ModuleFacts m = module_at();
  m.functions.push_back(function("f", {param_annotated("x", "str")}));
  auto v = only_violation(check_yaml("functions:\n  - name: f\n    arguments: [{name: x, annotation: int}]\n", m));
  EXPECT_EQ(v.code, "argument-annotation-mismatch");
  EXPECT_EQ(v.actual, "str");
}

TEST(CheckModule, argument_default_mismatch) {
  auto v = only_violation(check_yaml("functions:\n  - name: run\n    arguments: [{name: timeout, value: 5}]\n", plugin_module()));
  EXPECT_EQ(v.code, "argument-default-mismatch");
  EXPECT_EQ(v.expected, "5");
  EXPECT_EQ(v.actual, "2.5");
}

TEST(CheckModule, argument_default_mismatch_when_there_is_no_default) {
  auto v = only_violation(check_yaml("functions:\n  - name: run\n    arguments: [{name: job, value: null}]\n", plugin_module()));
  EXPECT_EQ(v.code, "argument-default-mismatch");
  EXPECT_FALSE(v.actual.has_value());
  EXPECT_NE(v.message.find("has no default"), std::string::npos);
}

TEST(CheckModule, return_annotation_mismatch) {
  auto v = only_violation(check_yaml("functions:\n  - name: run\n    return_annotation: Optional[bool]\n", plugin_module()));
  EXPECT_EQ(v.code, "return-annotation-mismatch");
  EXPECT_EQ(v.path, "functions.run.return_annotation");
  EXPECT_EQ(v.expected, "Optional[bool]");
  EXPECT_EQ(v.actual, "bool");
  EXPECT_EQ(v.contract_mark.line, 3);
}

TEST(CheckModule, every_violation_is_collected_not_just_the_first) {
  auto report = check_yaml(R"(
filename: other.py
variables:
  - {name: engine, value: podman}
  - {name: missing_one}
functions:
  - name: missing_fn
)", plugin_module());
  EXPECT_EQ(codes_of(report), (std::vector<std::string>{"filename-mismatch", "variable-value-mismatch", "variable-missing", "function-missing"}));
}

TEST(CheckModule, integrity_mismatch) {
  ModuleFacts m = plugin_module();
  m.file_sha256 = std::string(64, 'b');
  auto v = only_violation(check_yaml("integrity: {sha256: " + std::string(64, 'a') + "}\n", m));
  EXPECT_EQ(v.code, "integrity-mismatch");
  EXPECT_EQ(v.path, "integrity");
  EXPECT_EQ(v.actual, std::string(64, 'b'));
  m.file_sha256 = std::string(64, 'a');
  EXPECT_TRUE(check_yaml("integrity: {sha256: " + std::string(64, 'a') + "}\n", m).ok());
}

TEST(CheckModule, integrity_of_a_module_without_a_file_hash_is_unverifiable) {
  EXPECT_EQ(only_violation(check_yaml("integrity: {sha256: " + std::string(64, 'a') + "}\n", plugin_module())).code, "value-unverifiable");
}

TEST(CheckModule, hash_mismatch_on_functions_methods_and_classes) {
  const std::string pinned = "sha256:" + std::string(64, 'c');
  ModuleFacts m = plugin_module();
  m.functions[0].structure_hash = "sha256:" + std::string(64, 'd');
  ClassFact cls;
  cls.name = "Extension";
  cls.structure_hash = pinned;
  FunctionFact method = function("add", {param("self")});
  method.structure_hash = "sha256:" + std::string(64, 'e');
  cls.methods.push_back(method);
  m.classes.push_back(cls);
  auto report = check_yaml("functions:\n  - {name: run, hash: \"" + pinned + "\"}\nclasses:\n  - name: Extension\n    hash: \"" + pinned +
                               "\"\n    methods:\n      - {name: add, hash: \"" + pinned + "\"}\n",
                           m);
  ASSERT_EQ(report.violations.size(), 2u);
  EXPECT_EQ(report.violations[0].code, "hash-mismatch");
  EXPECT_EQ(report.violations[0].path, "functions.run.hash");
  EXPECT_EQ(report.violations[1].path, "classes.Extension.methods.add.hash");
  EXPECT_EQ(report.violations[1].context, Context::class_);
}

TEST(CheckModule, a_matching_hash_whose_definition_was_rebound_is_unverifiable_never_green) {
  const std::string pinned = "sha256:" + std::string(64, 'c');
  ModuleFacts m = plugin_module();
  m.functions[0].structure_hash = pinned;  // the hash matches the pin ...
  m.functions[0].structure_unverifiable = "`run` is bound again at line 9, after its definition";  // ... but is not what runs
  const Violation v = only_violation(check_yaml("functions:\n  - {name: run, hash: \"" + pinned + "\"}\n", m));
  EXPECT_EQ(v.code, "value-unverifiable");
  EXPECT_EQ(v.path, "functions.run.hash");
  EXPECT_EQ(v.message, "the pin of function `run` cannot be verified: `run` is bound again at line 9, after its definition");
  EXPECT_EQ(v.expected, pinned);
  EXPECT_FALSE(v.actual.has_value());
  m.functions[0].structure_unverifiable.clear();
  EXPECT_TRUE(check_yaml("functions:\n  - {name: run, hash: \"" + pinned + "\"}\n", m).ok());
}

namespace importspy {
namespace {

ModuleFacts dynamic_module() {
  ModuleFacts m = module_at();
  m.functions.push_back(function("register"));
  m.dynamic_namespace = {"`globals(...)` at line 4"};
  return m;
}

TEST(CheckWhenUnsure, deny_makes_a_module_that_changes_its_namespace_a_violation) {
  const Violation v = only_violation(check_yaml("when_unsure: deny\nfunctions:\n  - name: register\n", dynamic_module()));
  EXPECT_EQ(v.code, "namespace-unverifiable");
  EXPECT_EQ(v.path, "when_unsure");
  EXPECT_EQ(v.actual, "`globals(...)` at line 4");
}

TEST(CheckWhenUnsure, allow_checks_what_the_source_shows_and_the_default_denies) {
  EXPECT_TRUE(check_yaml("when_unsure: allow\nfunctions:\n  - name: register\n", dynamic_module()).violations.empty());
  EXPECT_EQ(only_violation(check_yaml("functions:\n  - name: register\n", dynamic_module())).code, "namespace-unverifiable");
}

TEST(CheckWhenUnsure, a_module_whose_source_shows_every_name_is_never_unsure) {
  ModuleFacts m = module_at();
  m.functions.push_back(function("register"));
  EXPECT_TRUE(check_yaml("when_unsure: deny\nfunctions:\n  - name: register\n", m).violations.empty());
}

TEST(CheckWhenUnsure, only_deny_or_allow_are_accepted) {
  const ContractError error = contract_error_from("when_unsure: maybe\n");
  EXPECT_EQ(error.line(), 1);
  EXPECT_NE(error.message().find("`when_unsure` must be `deny` or `allow`"), std::string::npos);
}

}  // namespace
}  // namespace importspy
