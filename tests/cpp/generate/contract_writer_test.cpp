#include <gtest/gtest.h>

#include <cmath>

#include "importspy/generate/contract_writer.hpp"
#include "support.hpp"

using namespace importspy;
using namespace importspy::testing;

TEST(ContractWriter, yaml_values_keep_their_python_type) {
  EXPECT_EQ(yaml_value(Value::string("true")), "\"true\"");
  EXPECT_EQ(yaml_value(Value::string("3.10")), "\"3.10\"");
  EXPECT_EQ(yaml_value(Value::string("a\"b\\c\n")), "\"a\\\"b\\\\c\\n\"");
  EXPECT_EQ(yaml_value(Value::boolean(true)), "true");
  EXPECT_EQ(yaml_value(Value::none()), "null");
  EXPECT_EQ(yaml_value(Value::floating(1.0)), "1.0");
  EXPECT_EQ(yaml_value(Value::floating(-HUGE_VAL)), "-.inf");
  EXPECT_EQ(yaml_value(Value::big_integer("123456789012345678901234567890")), "123456789012345678901234567890");
  EXPECT_EQ(yaml_value(Value::list({Value::integer(1), Value::mapping({{Value::string("k"), Value::none()}})})), "[1, {\"k\": null}]");
}

TEST(ContractWriter, generated_contract_loads_and_is_satisfied_by_its_module) {
  ModuleFacts m = module_at("/srv/plugins/extension.py");
  m.version = "1.2.0";
  m.variables.push_back({"engine", Value::string("docker"), std::string("str"), 1});
  m.variables.push_back({"computed", Value::unknown("call"), std::nullopt, 2});
  m.variables.push_back({"_private", Value::integer(1), std::nullopt, 3});
  FunctionFact run = function("run", {param("job"), param("rest", ParameterKind::var_positional), param_default("flag", Value::boolean(false))}, "bool");
  run.parameters[2].kind = ParameterKind::keyword_only;
  m.functions.push_back(run);
  ClassFact cls;
  cls.name = "Extension";
  cls.attributes.push_back({"label", AttributeKind::instance_attribute, Value::string("x"), std::string("weird <annotation>"), 4});
  cls.methods.push_back(function("__init__", {param("self")}));
  cls.superclasses = {{"Plugin", "base.Plugin"}, {"object", "builtins.object"}};
  m.classes.push_back(cls);
  const EnvironmentFacts env = linux_cpython("3.11.7");
  GenerateOptions options;
  options.environment = &env;
  const std::string text = generate_contract(m, options);
  EXPECT_EQ(text.find("_private"), std::string::npos);
  EXPECT_EQ(text.find("weird"), std::string::npos);  // an annotation that does not parse is left out
  EXPECT_NE(text.find("- name: \"*rest\""), std::string::npos);
  EXPECT_NE(text.find("kind: keyword_only"), std::string::npos);
  EXPECT_NE(text.find("- version: \"3.11\""), std::string::npos);
  auto contract = parse_contract(text, "generated.yml");
  EXPECT_EQ(contract->schema_version, 1);
  const Report report = check(*contract, env, m);
  EXPECT_TRUE(report.ok()) << text << (report.ok() ? "" : report.violations.front().message);
}

TEST(ContractWriter, writes_the_file_pin_with_the_sha256_prefix_like_every_other_pin) {
  ModuleFacts m = module_at("/srv/plugins/extension.py");
  m.file_sha256 = std::string(64, 'c');
  FunctionFact run = function("run", {param("job")});
  run.structure_hash = "sha256:" + std::string(64, 'd');
  m.functions.push_back(run);
  GenerateOptions options;
  options.with_hashes = true;
  const std::string text = generate_contract(m, options);
  EXPECT_NE(text.find("integrity: {sha256: \"sha256:" + std::string(64, 'c') + "\"}"), std::string::npos) << text;
  EXPECT_NE(text.find("hash: \"sha256:" + std::string(64, 'd') + "\""), std::string::npos) << text;
  EXPECT_EQ(parse_contract(text, "generated.yml")->module.file_sha256, std::string(64, 'c'));
}
