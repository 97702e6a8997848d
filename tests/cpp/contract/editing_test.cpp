#include <gtest/gtest.h>

#include <algorithm>

#include "importspy/contract/editing.hpp"

using namespace importspy;

namespace {

std::vector<std::string> labels(std::string_view text, TextPosition at) {
  std::vector<std::string> out;
  for (const auto& c : complete_contract(text, at)) out.push_back(c.label);
  return out;
}

bool has(const std::vector<std::string>& list, std::string_view item) { return std::find(list.begin(), list.end(), item) != list.end(); }

const ContractKey* find(const std::vector<ContractKey>& keys, std::string_view path) {
  for (const auto& key : keys) {
    if (key.path == path) return &key;
  }
  return nullptr;
}

}  // namespace

TEST(ContractOutline, every_key_has_its_range_value_and_the_definition_its_entry_governs) {
  const std::string text = "filename: plugin.py\nclasses:\n  - name: Plugin\n    methods:\n      - name: \"run\"\n        arguments:\n          - name: msg\n";
  const auto keys = contract_outline(text);
  const ContractKey* filename = find(keys, "filename");
  ASSERT_NE(filename, nullptr);
  EXPECT_EQ(*filename->value, "plugin.py");
  EXPECT_EQ(filename->key_range.end.character, 8);
  EXPECT_EQ(filename->value_range.start.character, 10);
  EXPECT_EQ(filename->value_range.end.character, 19);
  const ContractKey* method = find(keys, "classes[0].methods[0].name");
  ASSERT_NE(method, nullptr);
  EXPECT_EQ(method->definition, "Plugin.run");
  EXPECT_EQ(method->definition_kind, "method");
  EXPECT_EQ(method->value_range.start.line, 4);
  EXPECT_EQ(method->value_range.end.character, 19);  // the quoted scalar, quotes included
  const ContractKey* argument = find(keys, "classes[0].methods[0].arguments[0].name");
  ASSERT_NE(argument, nullptr);
  EXPECT_EQ(argument->definition, "Plugin.run");
  EXPECT_EQ(argument->definition_kind, "argument");
  EXPECT_EQ(find(keys, "classes[0].name")->definition, "Plugin");
}

TEST(ContractOutline, environment_variables_govern_no_definition_and_broken_yaml_has_no_keys) {
  const auto keys = contract_outline("deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        environment:\n          variables:\n            - name: HOME\n");
  const ContractKey* name = find(keys, "deployments[0].systems[0].environment.variables[0].name");
  ASSERT_NE(name, nullptr);
  EXPECT_TRUE(name->definition.empty());
  EXPECT_TRUE(contract_outline("classes: [\n").empty());
}

TEST(ContractTokenRange, covers_the_key_or_the_value_at_a_mark) {
  const std::string text = "classes:\n  - name: Plugin  # the host's\n    retrun: x\n";
  const TextRange key = token_range(text, {3, 5});
  EXPECT_EQ(key.start.line, 2);
  EXPECT_EQ(key.start.character, 4);
  EXPECT_EQ(key.end.character, 10);
  const TextRange value = token_range(text, {2, 11});
  EXPECT_EQ(value.end.character, 16);  // the comment is not part of it
  const TextRange whole = token_range(text, {0, 0});
  EXPECT_EQ(whole.end.character, 8);
}

TEST(ContractCompletion, offers_the_keys_of_the_mapping_at_the_cursor_less_those_written) {
  EXPECT_TRUE(has(labels("", {0, 0}), "classes"));
  EXPECT_TRUE(has(labels("", {0, 0}), "deployments"));
  const std::string text = "classes:\n  - name: Plugin\n    me\n";
  const auto in_class = labels(text, {2, 6});
  EXPECT_TRUE(has(in_class, "methods"));
  EXPECT_TRUE(has(in_class, "attributes"));
  EXPECT_FALSE(has(in_class, "name"));  // written already
  EXPECT_FALSE(has(in_class, "deployments"));
  const std::string nested = "deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        pythons:\n          - version: '3.12'\n            \n";
  const auto in_python = labels(nested, {6, 12});
  EXPECT_TRUE(has(in_python, "interpreter"));
  EXPECT_TRUE(has(in_python, "modules"));
  EXPECT_FALSE(has(in_python, "version"));
  const auto new_item = labels("classes:\n  - name: A\n    methods:\n      - \n", {3, 8});
  EXPECT_TRUE(has(new_item, "arguments"));
  EXPECT_TRUE(has(new_item, "return_annotation"));
}

TEST(ContractCompletion, offers_the_values_of_enumerated_keys) {
  const auto archs = labels("deployments:\n  - arch: \n", {1, 10});
  EXPECT_TRUE(has(archs, "x86_64"));
  EXPECT_TRUE(has(archs, "aarch64"));
  EXPECT_FALSE(has(archs, "amd64"));  // canonical names only
  const auto systems = labels("deployments:\n  - arch: x86_64\n    systems:\n      - os: \n", {3, 12});
  EXPECT_TRUE(has(systems, "linux"));
  EXPECT_TRUE(has(systems, "macos"));
  const auto interpreters = labels("deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        pythons:\n          - interpreter: \n", {5, 25});
  EXPECT_TRUE(has(interpreters, "CPython"));
  const auto kinds = labels("functions:\n  - name: f\n    arguments:\n      - name: a\n        kind: \n", {4, 14});
  EXPECT_TRUE(has(kinds, "keyword_only"));
  EXPECT_TRUE(has(labels("when_unsure: \n", {0, 13}), "allow"));
  EXPECT_TRUE(has(labels("imports:\n  no_cycles: \n", {1, 13}), "true"));
  EXPECT_TRUE(labels("classes:\n  - name: \n", {1, 10}).empty());  // a name is the author's
}

TEST(ContractKeyDocumentation, names_a_section_of_the_contract_language) {
  EXPECT_EQ(key_documentation({"classes"})->anchor, "#classes");
  EXPECT_EQ(key_documentation({"deployments", "systems", "pythons", "version"})->anchor, "#deployments");
  EXPECT_EQ(key_documentation({"version"})->anchor, "#versions");
  EXPECT_EQ(key_documentation({"when_unsure"})->anchor, "#unsure-means-no-when_unsure");
  EXPECT_FALSE(key_documentation({"retrun_annotation"}).has_value());
}
