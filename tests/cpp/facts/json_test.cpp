#include <gtest/gtest.h>

#include "importspy/facts/json.hpp"

using namespace importspy;

TEST(FactsJson, reads_a_full_document) {
  auto doc = parse_facts_json(R"({
    "module": {
      "filename": "ext.py", "version": "1.0",
      "variables": [{"name": "a", "value": [1, "x", null, {"k": 2.5}], "annotation": "list", "line": 2},
                    {"name": "b", "value": {"$unknown": "call expression"}}],
      "functions": [{"name": "f", "async": true, "return_annotation": "int", "line": 5,
                     "parameters": [{"name": "x", "kind": "positional_only"}, {"name": "y", "kind": "keyword_only", "default": null}]}],
      "classes": [{"name": "C", "attributes": [{"name": "z", "type": "instance", "value": 1}],
                   "methods": [{"name": "m", "kind": "static_method"}], "superclasses": ["Base", {"name": "Plugin", "qualified": "p.Plugin"}]}]
    },
    "environment": {"arch": "x86_64", "os": "Linux", "python_version": "3.11.7", "interpreter": "CPython", "variables": {"HOME": "/root"}}
  })", "facts.json");
  EXPECT_EQ(doc.module.filename, "ext.py");
  EXPECT_EQ(doc.module.version, "1.0");
  EXPECT_EQ(doc.module.variables[0].value.items().size(), 4u);
  EXPECT_TRUE(doc.module.variables[1].value.is_unknown());
  EXPECT_TRUE(doc.module.functions[0].is_async);
  EXPECT_EQ(doc.module.functions[0].parameters[0].kind, ParameterKind::positional_only);
  EXPECT_EQ(doc.module.functions[0].parameters[1].default_value, Value::none());
  EXPECT_EQ(doc.module.classes[0].methods[0].kind, CallableKind::static_method);
  EXPECT_EQ(doc.module.classes[0].superclasses[1].qualified, "p.Plugin");
  ASSERT_TRUE(doc.environment.has_value());
  EXPECT_EQ(doc.environment->variables.at("HOME"), "/root");
}

TEST(FactsJson, round_trips_through_facts_to_json) {
  const char* text = R"({"module": {"filename": "m.py", "variables": [{"name": "v", "value": {"$unknown": "name"}}],
    "functions": [{"name": "f", "parameters": [{"name": "a", "default": 3}]}]},
    "environment": {"arch": "arm64", "os": "Darwin", "python_version": "3.12.0", "interpreter": "PyPy"}})";
  auto first = parse_facts_json(text, "a.json");
  auto second = parse_facts_json(facts_to_json(first), "b.json");
  EXPECT_EQ(facts_to_json(first), facts_to_json(second));
  EXPECT_EQ(second.module.functions[0].parameters[0].default_value, Value::integer(3));
}

TEST(FactsJson, an_unknown_version_is_written_and_read_back) {
  ModuleFacts module;
  module.filename = "m.py";
  module.version_unknown = true;
  const std::string written = facts_to_json(FactsDocument{module, std::nullopt});
  EXPECT_NE(written.find("\"version_unknown\": true"), std::string::npos) << written;
  EXPECT_TRUE(parse_facts_json(written, "a.json").module.version_unknown);
  module.version_unknown = false;
  EXPECT_EQ(facts_to_json(FactsDocument{module, std::nullopt}).find("version_unknown"), std::string::npos);
}

TEST(FactsJson, a_version_unknown_that_is_not_a_boolean_names_its_path) {
  try {
    parse_facts_json(R"({"module": {"filename": "m.py", "version_unknown": "yes"}})", "facts.json");
    FAIL() << "expected an error";
  } catch (const FactsError& e) {
    EXPECT_NE(std::string(e.what()).find("$.module.version_unknown"), std::string::npos) << e.what();
  }
}

TEST(FactsJson, errors_name_the_source_and_json_path) {
  try {
    parse_facts_json(R"({"module": {"filename": "m.py", "classes": [{"name": "C", "attributes": [{"name": "x", "type": "static"}]}]}})", "facts.json");
    FAIL() << "expected an error";
  } catch (const FactsError& e) {
    EXPECT_NE(std::string(e.what()).find("facts.json: at $.module.classes[0].attributes[0].type"), std::string::npos) << e.what();
  }
}

TEST(FactsJson, invalid_json_is_reported) { EXPECT_THROW(parse_facts_json("{not json", "facts.json"), FactsError); }

TEST(FactsJson, missing_filename_is_reported) {
  try {
    parse_facts_json(R"({"module": {}})", "facts.json");
    FAIL();
  } catch (const FactsError& e) {
    EXPECT_NE(std::string(e.what()).find("missing \"filename\""), std::string::npos);
  }
}

TEST(FactsJson, a_number_beyond_a_double_is_a_facts_error_not_a_crash) {
  // Found by tests/fuzz/facts_json_fuzz.cpp: nlohmann's out_of_range escaped as another exception type.
  try {
    parse_facts_json(R"({"module": {"filename": "m.py", "variables": [{"name": "x", "value": 50.01025e256725}]}})", "facts.json");
    FAIL() << "expected an error";
  } catch (const FactsError& e) {
    EXPECT_NE(std::string(e.what()).find("facts.json: not valid JSON"), std::string::npos) << e.what();
  }
}
