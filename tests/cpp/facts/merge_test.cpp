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
  FunctionFact run = function("run", {param_annotated("job", "Job"), param("retries")}, "bool");
  run.line = 5;
  run.structure_hash = "sha256:run";
  m.functions.push_back(run);
  ClassFact cls;
  cls.name = "Extension";
  cls.line = 12;
  cls.attributes.push_back({"label", AttributeKind::instance_attribute, Value::string("hello"), std::nullopt, 14});
  FunctionFact setup = function("setup", {param("self")});
  setup.line = 13;
  cls.methods.push_back(setup);
  cls.methods.push_back(function("defined_below", {param("self")}));
  m.classes.push_back(cls);
  m.imports.push_back({"typing", "Any", "Any", 1});
  m.unknown_imports.push_back({"__import__(name)", "the module name is computed", 2});
  m.dynamic_namespace.push_back("exec(...) at line 20");
  m.file_sha256 = "abc";
  m.version_unknown = true;
  return m;
}

ModuleFacts live() {
  ModuleFacts m = module_at();
  m.version = "2.0";
  m.variables.push_back({"limit", Value::integer(10), std::string("int"), 0});
  m.variables.push_back({"Any", Value::opaque("typing.Any", "typing._SpecialForm"), std::string("typing._SpecialForm"), 0});
  m.variables.push_back({"dynamic", Value::string("made by exec"), std::string("str"), 0});
  FunctionFact run = function("run", {param_annotated("job", "jobs.Job"), param_default("retries", Value::integer(3))}, "builtins.bool");
  run.line = 5;
  m.functions.push_back(run);
  ClassFact cls;
  cls.name = "Extension";
  cls.superclasses = {{"Plugin", "base.Plugin"}, {"object", "builtins.object"}};
  FunctionFact setup = function("setup", {param("self")});
  setup.line = 13;
  cls.methods.push_back(setup);
  cls.methods.push_back(function("inherited", {param("self")}));
  m.classes.push_back(cls);
  return m;
}

}  // namespace

TEST(MergeRuntimeFacts, live_values_decide_and_keep_the_source_line) {
  const ModuleFacts merged = merge_runtime_facts(from_source(), live());
  EXPECT_EQ(merged.find_variable("limit")->value, Value::integer(10));
  EXPECT_EQ(merged.find_variable("limit")->line, 3);
}

TEST(MergeRuntimeFacts, a_variable_only_the_source_shows_does_not_exist) {
  // `later` is assigned in a branch that did not run, or deleted afterwards.
  const ModuleFacts merged = merge_runtime_facts(from_source(), live());
  EXPECT_EQ(merged.find_variable("later"), nullptr);
}

TEST(MergeRuntimeFacts, a_function_only_the_source_shows_does_not_exist) {
  ModuleFacts running = live();
  running.functions.clear();
  const ModuleFacts merged = merge_runtime_facts(from_source(), running);
  EXPECT_EQ(merged.find_function("run"), nullptr);
}

TEST(MergeRuntimeFacts, a_class_the_live_module_binds_to_something_else_is_that_thing) {
  // A class decorator that returned a function: `Extension` is a function when the module has run.
  ModuleFacts running = live();
  running.classes.clear();
  FunctionFact replaced = function("Extension", {param("config")});
  replaced.line = 30;
  running.functions.push_back(replaced);
  const ModuleFacts merged = merge_runtime_facts(from_source(), running);
  EXPECT_EQ(merged.find_class("Extension"), nullptr);
  ASSERT_NE(merged.find_function("Extension"), nullptr);
}

TEST(MergeRuntimeFacts, names_bound_by_imports_are_not_variables) {
  const ModuleFacts merged = merge_runtime_facts(from_source(), live());
  EXPECT_EQ(merged.find_variable("Any"), nullptr);
  EXPECT_NE(merged.find_variable("dynamic"), nullptr);  // only live: kept
}

TEST(MergeRuntimeFacts, an_import_in_a_class_body_binds_no_module_name) {
  ModuleFacts source = from_source();
  ImportFact in_class{"json", "", "json", 13};
  in_class.in_class = true;  // `class Extension: import json` makes Extension.json, not a module name
  source.imports.push_back(in_class);
  ModuleFacts running = live();
  running.variables.push_back({"json", Value::integer(1), std::string("int"), 0});  // bound by code the source does not show
  const ModuleFacts merged = merge_runtime_facts(source, running);
  ASSERT_NE(merged.find_variable("json"), nullptr);
  EXPECT_EQ(merged.find_variable("json")->value, Value::integer(1));
}

TEST(MergeRuntimeFacts, the_definition_that_ran_keeps_its_annotations_as_written_its_line_and_hash) {
  const ModuleFacts merged = merge_runtime_facts(from_source(), live());
  const FunctionFact* run = merged.find_function("run");
  ASSERT_NE(run, nullptr);
  ASSERT_EQ(run->parameters.size(), 2u);
  EXPECT_EQ(run->parameters[0].annotation, "Job");
  EXPECT_EQ(run->parameters[1].default_value, Value::integer(3));
  EXPECT_EQ(run->return_annotation, "bool");
  EXPECT_EQ(run->line, 5);
  EXPECT_EQ(run->structure_hash, "sha256:run");
  EXPECT_TRUE(run->structure_unverifiable.empty());
}

TEST(MergeRuntimeFacts, a_function_that_ran_from_another_line_takes_nothing_from_the_source_definition) {
  // `def run(job: str)` at line 2 ran; `def run(job: Job)` at line 5 sits in a branch that did not run.
  ModuleFacts running = live();
  running.functions[0].line = 2;
  running.functions[0].parameters[0].annotation = "str";
  const ModuleFacts merged = merge_runtime_facts(from_source(), running);
  const FunctionFact* run = merged.find_function("run");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->parameters[0].annotation, "str");
  EXPECT_EQ(run->line, 2);
  EXPECT_FALSE(run->structure_hash);
  EXPECT_NE(run->structure_unverifiable.find("line 5"), std::string::npos);
}

TEST(MergeRuntimeFacts, a_decorated_function_keeps_written_annotations_only_where_they_agree) {
  ModuleFacts running = live();
  running.functions[0].line = 4;  // its decorator's line
  running.functions[0].return_annotation = "builtins.str";
  const ModuleFacts merged = merge_runtime_facts(from_source(), running);
  const FunctionFact* run = merged.find_function("run");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->parameters[0].annotation, "Job");  // `jobs.Job` is the `Job` written
  EXPECT_EQ(run->return_annotation, "builtins.str");  // not the `bool` written
  EXPECT_EQ(run->line, 4);
  EXPECT_FALSE(run->structure_hash);
  EXPECT_FALSE(run->structure_unverifiable.empty());
}

TEST(MergeRuntimeFacts, a_function_compiled_elsewhere_is_not_the_source_definition) {
  ModuleFacts running = live();
  running.functions[0].line = 0;  // a wrapper from another file
  const ModuleFacts merged = merge_runtime_facts(from_source(), running);
  EXPECT_EQ(merged.find_function("run")->parameters[0].annotation, "jobs.Job");
}

TEST(MergeRuntimeFacts, classes_take_live_bases_and_methods_plus_source_instance_attributes) {
  const ModuleFacts merged = merge_runtime_facts(from_source(), live());
  const ClassFact* cls = merged.find_class("Extension");
  ASSERT_NE(cls, nullptr);
  EXPECT_EQ(cls->superclasses.front().qualified, "base.Plugin");
  EXPECT_NE(find_method(*cls, "inherited"), nullptr);
  EXPECT_EQ(find_method(*cls, "defined_below"), nullptr);  // the live class has no such method
  ASSERT_EQ(cls->attributes.size(), 1u);
  EXPECT_EQ(cls->attributes[0].name, "label");
  EXPECT_EQ(cls->line, 12);
}

TEST(MergeRuntimeFacts, a_class_that_ran_from_another_line_takes_no_instance_attributes_from_the_source) {
  ModuleFacts running = live();
  running.classes[0].line = 40;  // CPython 3.13+ records where a class starts
  const ModuleFacts merged = merge_runtime_facts(from_source(), running);
  const ClassFact* cls = merged.find_class("Extension");
  ASSERT_NE(cls, nullptr);
  EXPECT_TRUE(cls->attributes.empty());
  EXPECT_EQ(cls->line, 40);
}

TEST(MergeRuntimeFacts, a_class_made_by_no_class_statement_takes_nothing_from_the_source_class) {
  ModuleFacts source = from_source();
  source.classes[0].structure_hash = "sha256:class";
  ModuleFacts running = live();
  running.classes[0].line = -1;  // CPython 3.13+: no __firstlineno__ (made by type(), say, in a decorator)
  const ModuleFacts merged = merge_runtime_facts(source, running);
  const ClassFact* cls = merged.find_class("Extension");
  ASSERT_NE(cls, nullptr);
  EXPECT_TRUE(cls->attributes.empty());
  EXPECT_EQ(cls->line, 0);
  EXPECT_FALSE(cls->structure_hash);
  EXPECT_FALSE(cls->structure_unverifiable.empty());
}

TEST(MergeRuntimeFacts, a_live_version_settles_an_unknown_one) {
  const ModuleFacts merged = merge_runtime_facts(from_source(), live());
  EXPECT_EQ(merged.version, "2.0");
  EXPECT_FALSE(merged.version_unknown);
}

TEST(MergeRuntimeFacts, a_version_the_live_module_does_not_have_is_absent_not_unknown) {
  ModuleFacts running = live();
  running.version.reset();  // `del __version__`
  ModuleFacts source = from_source();
  source.version = "1.0";
  source.version_unknown = false;
  const ModuleFacts merged = merge_runtime_facts(source, running);
  EXPECT_FALSE(merged.version);
  EXPECT_FALSE(merged.version_unknown);
}

TEST(MergeRuntimeFacts, source_markers_the_live_module_settles_are_dropped) {
  ModuleFacts source = from_source();
  source.variables[0].unverifiable = "rebound by `for limit in ...` at line 7";
  source.functions[0].unverifiable = "decorated by `register`, whose code is not known";
  const ModuleFacts merged = merge_runtime_facts(source, live());
  EXPECT_TRUE(merged.dynamic_namespace.empty());
  EXPECT_TRUE(merged.find_variable("limit")->unverifiable.empty());
  EXPECT_TRUE(merged.find_function("run")->unverifiable.empty());
}

TEST(MergeRuntimeFacts, imports_the_file_hash_and_unknown_imports_come_from_the_source) {
  const ModuleFacts merged = merge_runtime_facts(from_source(), live());
  ASSERT_EQ(merged.imports.size(), 1u);
  ASSERT_EQ(merged.unknown_imports.size(), 1u);
  EXPECT_EQ(merged.file_sha256, "abc");
}

TEST(MergeImporterFacts, a_definition_above_the_running_line_that_is_not_bound_did_not_run) {
  ModuleFacts running = live();
  running.functions.clear();
  const std::vector<std::string> names{"run", "later"};
  const ModuleFacts merged = merge_importer_facts(from_source(), running, 8, names);
  EXPECT_EQ(merged.find_function("run"), nullptr);   // line 5: would be bound by now
  EXPECT_NE(merged.find_variable("later"), nullptr);  // line 9: below the import, not run yet
}

TEST(MergeImporterFacts, a_name_above_the_running_line_is_what_is_bound_now) {
  ModuleFacts running = live();
  running.functions.clear();
  running.variables.push_back({"run", Value::none(), std::string("None"), 0});
  const std::vector<std::string> names{"run"};
  const ModuleFacts merged = merge_importer_facts(from_source(), running, 8, names);
  EXPECT_EQ(merged.find_function("run"), nullptr);
  ASSERT_NE(merged.find_variable("run"), nullptr);
}

TEST(MergeImporterFacts, names_the_contract_does_not_read_keep_their_source_facts) {
  const std::vector<std::string> names{"limit"};
  const ModuleFacts merged = merge_importer_facts(from_source(), live(), 8, names);
  EXPECT_EQ(merged.find_variable("limit")->value, Value::integer(10));
  EXPECT_NE(merged.find_variable("later"), nullptr);
  EXPECT_NE(find_method(*merged.find_class("Extension"), "defined_below"), nullptr);
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

namespace importspy {
namespace {

// CPython 3.13+ names a class's instance attributes (`__static_attributes__`) without values: the value
// its `self.x = ...` writes comes from the source, as on earlier versions.
TEST(MergeRuntimeFacts, an_instance_attribute_the_live_class_names_takes_its_written_value) {
  ModuleFacts source, live;
  ClassFact written{"Extension"};
  written.line = 5;
  written.attributes.push_back({"label", AttributeKind::instance_attribute, Value::string("hello"), std::nullopt, 9});
  source.classes.push_back(written);
  ClassFact running{"Extension"};
  running.line = 5;
  running.attributes.push_back({"label", AttributeKind::instance_attribute, Value::unknown("set on instances"), std::nullopt, 0});
  live.classes.push_back(running);
  const ModuleFacts merged = merge_runtime_facts(source, live);
  ASSERT_EQ(merged.classes.size(), 1u);
  ASSERT_EQ(merged.classes[0].attributes.size(), 1u);
  EXPECT_EQ(merged.classes[0].attributes[0].value, Value::string("hello"));
}

}  // namespace
}  // namespace importspy
