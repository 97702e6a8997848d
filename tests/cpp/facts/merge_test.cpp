#include <gtest/gtest.h>

#include "importspy/facts/merge.hpp"
#include "support.hpp"

using namespace importspy;
using namespace importspy::testing;

namespace {

ModuleFacts from_source() {
  ModuleFacts m = module_at();
  m.variables.push_back({"limit", Value::unknown("computed by a call"), std::string("int"), 3});
  m.variables.push_back({"later", Value::integer(2), std::string("int"), 9});
  FunctionFact run = function("run", {param_annotated("job", "Job")}, "bool");
  run.line = 5;
  m.functions.push_back(run);
  ClassFact cls;
  cls.name = "Extension";
  cls.line = 12;
  cls.attributes.push_back({"label", AttributeKind::instance_attribute, Value::string("hello"), std::nullopt, 14});
  cls.methods.push_back(function("defined_below", {param("self")}));
  m.classes.push_back(cls);
  m.imports.push_back({"typing", "Any", "Any", 1});
  m.version_unknown = true;
  return m;
}

ModuleFacts live() {
  ModuleFacts m = module_at();
  m.version = "2.0";
  m.variables.push_back({"limit", Value::integer(10), std::string("int"), 0});
  m.variables.push_back({"Any", Value::opaque("typing.Any", "typing._SpecialForm"), std::string("typing._SpecialForm"), 0});
  m.variables.push_back({"dynamic", Value::string("made by exec"), std::string("str"), 0});
  m.functions.push_back(function("run", {param_annotated("job", "jobs.Job"), param_default("retries", Value::integer(3))}, "builtins.bool"));
  ClassFact cls;
  cls.name = "Extension";
  cls.superclasses = {{"Plugin", "base.Plugin"}, {"object", "builtins.object"}};
  cls.methods.push_back(function("inherited", {param("self")}));
  m.classes.push_back(cls);
  return m;
}

}  // namespace

TEST(MergeFacts, live_values_replace_unknown_source_values) {
  const ModuleFacts merged = merge_facts(from_source(), live());
  EXPECT_EQ(merged.find_variable("limit")->value, Value::integer(10));
  EXPECT_EQ(merged.find_variable("limit")->line, 3);
  EXPECT_EQ(merged.find_variable("later")->value, Value::integer(2));
}

TEST(MergeFacts, names_bound_by_imports_are_not_variables) {
  const ModuleFacts merged = merge_facts(from_source(), live());
  EXPECT_EQ(merged.find_variable("Any"), nullptr);
  EXPECT_NE(merged.find_variable("dynamic"), nullptr);  // only live: kept
}

TEST(MergeFacts, an_import_in_a_class_body_binds_no_module_name) {
  ModuleFacts source = from_source();
  ImportFact in_class{"json", "", "json", 13};
  in_class.in_class = true;  // `class Extension: import json` makes Extension.json, not a module name
  source.imports.push_back(in_class);
  ModuleFacts running = live();
  running.variables.push_back({"json", Value::integer(1), std::string("int"), 0});  // bound by code the source does not show
  const ModuleFacts merged = merge_facts(source, running);
  ASSERT_NE(merged.find_variable("json"), nullptr);
  EXPECT_EQ(merged.find_variable("json")->value, Value::integer(1));
}

TEST(MergeFacts, live_signatures_keep_the_source_annotation_text_and_line) {
  const ModuleFacts merged = merge_facts(from_source(), live());
  const FunctionFact* run = merged.find_function("run");
  ASSERT_NE(run, nullptr);
  ASSERT_EQ(run->parameters.size(), 2u);
  EXPECT_EQ(run->parameters[0].annotation, "Job");
  EXPECT_EQ(run->return_annotation, "bool");
  EXPECT_EQ(run->line, 5);
}

TEST(MergeFacts, classes_take_live_bases_and_methods_plus_source_instance_attributes) {
  const ModuleFacts merged = merge_facts(from_source(), live());
  const ClassFact* cls = merged.find_class("Extension");
  ASSERT_NE(cls, nullptr);
  EXPECT_EQ(cls->superclasses.front().qualified, "base.Plugin");
  EXPECT_NE(find_method(*cls, "inherited"), nullptr);
  EXPECT_NE(find_method(*cls, "defined_below"), nullptr);
  ASSERT_EQ(cls->attributes.size(), 1u);
  EXPECT_EQ(cls->attributes[0].name, "label");
  EXPECT_EQ(cls->line, 12);
}

TEST(MergeFacts, a_live_version_settles_an_unknown_one) {
  const ModuleFacts merged = merge_facts(from_source(), live());
  EXPECT_EQ(merged.version, "2.0");
  EXPECT_FALSE(merged.version_unknown);
}

TEST(ContractNames, referenced_environment_names_lists_each_once) {
  auto contract = contract_from(R"(
deployments:
  - arch: x86_64
    systems:
      - os: linux
        environment: {variables: [A, {name: B, value: x}], secrets: [C, A]}
      - os: windows
        environment: {variables: [B, D]}
)");
  EXPECT_EQ(referenced_environment_names(*contract), (std::vector<std::string>{"A", "B", "C", "D"}));
}
