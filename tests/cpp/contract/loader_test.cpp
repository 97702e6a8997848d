#include <gtest/gtest.h>

#include "importspy/contract/migration.hpp"
#include "support.hpp"

using namespace importspy;
using importspy::testing::contract_error_from;
using importspy::testing::contract_from;

TEST(ContractLoader, reads_every_top_level_field) {
  auto c = contract_from(R"(
filename: extension.py
version: "1.2"
variables:
  - name: engine
    value: docker
    annotation: str
functions:
  - name: run
    arguments:
      - name: job
        annotation: Job
        value: null
    return_annotation: bool
classes:
  - name: Extension
)");
  EXPECT_EQ(c->schema_version, 0);
  EXPECT_EQ(c->module.filename, "extension.py");
  ASSERT_TRUE(c->module.version.has_value());
  EXPECT_EQ(c->module.version->text(), "1.2");
  ASSERT_EQ(c->module.variables.size(), 1u);
  EXPECT_EQ(c->module.variables[0].name, "engine");
  EXPECT_EQ(c->module.variables[0].value, Value::string("docker"));
  EXPECT_EQ(c->module.variables[0].annotation->written, "str");
  EXPECT_EQ(c->module.variables[0].mark.line, 5);
  EXPECT_EQ(c->module.variables[0].mark.column, 5);
  ASSERT_EQ(c->module.functions.size(), 1u);
  const auto& run = c->module.functions[0];
  ASSERT_EQ(run.arguments.size(), 1u);
  EXPECT_EQ(run.arguments[0].annotation->canonical, "Job");
  EXPECT_EQ(run.arguments[0].default_value, Value::none());
  EXPECT_EQ(run.return_annotation->written, "bool");
  EXPECT_EQ(c->module.classes[0].name, "Extension");
}

TEST(ContractLoader, reads_class_attributes_methods_and_both_superclass_forms) {
  auto c = contract_from(R"(
classes:
  - name: Extension
    attributes:
      - type: class
        name: kind
        value: 3
      - type: instance
        name: label
        annotation: Optional[str]
    methods:
      - name: add
        arguments:
          - name: self
          - name: msg
        return_annotation: str
    superclasses:
      - Plugin
      - name: plugins.base.Registered
)");
  const ClassRule& cls = c->module.classes.at(0);
  ASSERT_EQ(cls.attributes.size(), 2u);
  EXPECT_EQ(cls.attributes[0].kind, AttributeKind::class_attribute);
  EXPECT_EQ(cls.attributes[0].value, Value::integer(3));
  EXPECT_EQ(cls.attributes[1].kind, AttributeKind::instance_attribute);
  EXPECT_EQ(cls.attributes[1].annotation->canonical, "str | None");
  ASSERT_EQ(cls.methods.size(), 1u);
  EXPECT_EQ(cls.methods[0].arguments.size(), 2u);
  ASSERT_EQ(cls.superclasses.size(), 2u);
  EXPECT_EQ(cls.superclasses[0].name, "Plugin");
  EXPECT_EQ(cls.superclasses[1].name, "plugins.base.Registered");
}

TEST(ContractLoader, reads_deployments_systems_environment_pythons_and_modules) {
  auto c = contract_from(R"(
deployments:
  - arch: amd64
    systems:
      - os: Darwin
        environment:
          variables:
            - name: APP_ENV
              value: 8080
            - REQUIRED_FLAG
          secrets:
            - API_TOKEN
            - name: DB_PASSWORD
        pythons:
          - version: 3.12
            interpreter: cpython
            modules:
              - filename: extension.py
                variables:
                  - name: author
                    value: Ada
)");
  ASSERT_EQ(c->deployments.size(), 1u);
  const DeploymentRule& d = c->deployments[0];
  EXPECT_EQ(d.arch, "x86_64");
  const SystemRule& s = d.systems.at(0);
  EXPECT_EQ(s.os, "macos");
  ASSERT_EQ(s.environment_variables.size(), 2u);
  EXPECT_EQ(s.environment_variables[0].value, "8080");  // environment values are text, typed by the schema
  EXPECT_FALSE(s.environment_variables[1].value.has_value());
  ASSERT_EQ(s.secrets.size(), 2u);
  EXPECT_EQ(s.secrets[1].name, "DB_PASSWORD");
  const PythonRule& p = s.pythons.at(0);
  EXPECT_EQ(p.version->text(), "3.12");
  EXPECT_EQ(p.interpreter, "CPython");
  EXPECT_EQ(p.modules.at(0).filename, "extension.py");
  EXPECT_EQ(p.modules.at(0).variables.at(0).value, Value::string("Ada"));
}

TEST(ContractLoader, python_version_written_as_a_float_stays_text) {
  auto c = contract_from("deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        pythons:\n          - version: 3.10\n");
  EXPECT_EQ(c->deployments[0].systems[0].pythons[0].version->text(), "3.10");
}

TEST(ContractLoader, module_version_written_as_a_float_stays_text) {
  EXPECT_EQ(contract_from("version: 1.10\n")->module.version->text(), "1.10");
}

TEST(ContractLoader, versioned_schema_key_is_accepted) { EXPECT_EQ(contract_from("importspy: 1\nfilename: a.py\n")->schema_version, 1); }

TEST(ContractLoader, values_follow_yaml_core_rules) {
  auto c = contract_from(R"(
variables:
  - {name: a, value: "true"}
  - {name: b, value: true}
  - {name: c, value: 42}
  - {name: d, value: '42'}
  - {name: e, value: 3.5}
  - {name: f, value: null}
  - {name: g, value: ~}
  - {name: h, value: [1, two, 3.0]}
  - {name: i, value: {k: v}}
  - {name: j, value: 0x1F}
  - {name: k, value: 0o17}
  - {name: l, value: yes}
  - {name: m, value: .inf}
  - {name: n, value: 123456789012345678901234567890}
  - {name: o, value: -7}
  - {name: p, value: 1e3}
  - {name: q, value: !!str 5}
)");
  const auto& v = c->module.variables;
  EXPECT_EQ(v[0].value, Value::string("true"));
  EXPECT_EQ(v[1].value, Value::boolean(true));
  EXPECT_EQ(v[2].value, Value::integer(42));
  EXPECT_EQ(v[3].value, Value::string("42"));
  EXPECT_EQ(v[4].value, Value::floating(3.5));
  EXPECT_EQ(v[5].value, Value::none());
  EXPECT_EQ(v[6].value, Value::none());
  EXPECT_EQ(v[7].value, Value::list({Value::integer(1), Value::string("two"), Value::floating(3.0)}));
  EXPECT_EQ(v[8].value, Value::mapping({{Value::string("k"), Value::string("v")}}));
  EXPECT_EQ(v[9].value, Value::integer(31));
  EXPECT_EQ(v[10].value, Value::integer(15));
  EXPECT_EQ(v[11].value, Value::string("yes"));  // YAML 1.2: `yes` is a string, not a bool
  EXPECT_EQ(v[12].value->kind(), Value::Kind::floating);
  EXPECT_EQ(v[13].value, Value::big_integer("123456789012345678901234567890"));
  EXPECT_EQ(v[14].value, Value::integer(-7));
  EXPECT_EQ(v[15].value, Value::floating(1000.0));
  EXPECT_EQ(v[16].value, Value::string("5"));
}

TEST(ContractLoader, absent_value_means_any_value) {
  EXPECT_FALSE(contract_from("variables:\n  - name: a\n")->module.variables[0].value.has_value());
}

TEST(ContractLoader, empty_value_means_none) {
  EXPECT_EQ(contract_from("variables:\n  - name: a\n    value:\n")->module.variables[0].value, Value::none());
}

TEST(ContractLoader, empty_list_fields_mean_nothing_required) {
  auto c = contract_from(R"(
variables:
functions:
classes:
  - name: Foo
    attributes:
    methods:
      - name: get
        arguments:
        return_annotation:
    superclasses:
deployments:
)");
  EXPECT_TRUE(c->module.variables.empty());
  EXPECT_TRUE(c->module.functions.empty());
  EXPECT_TRUE(c->module.classes[0].attributes.empty());
  EXPECT_TRUE(c->module.classes[0].methods[0].arguments.empty());
  EXPECT_FALSE(c->module.classes[0].methods[0].return_annotation.has_value());
  EXPECT_TRUE(c->deployments.empty());
}

TEST(ContractLoader, star_prefixes_and_kind_key_set_the_parameter_kind) {
  auto c = contract_from(R"(
functions:
  - name: f
    arguments:
      - name: "*args"
      - name: "**kwargs"
      - name: flag
        kind: keyword_only
)");
  const auto& args = c->module.functions[0].arguments;
  EXPECT_EQ(args[0].name, "args");
  EXPECT_EQ(args[0].kind, ParameterKind::var_positional);
  EXPECT_EQ(args[1].name, "kwargs");
  EXPECT_EQ(args[1].kind, ParameterKind::var_keyword);
  EXPECT_EQ(args[2].kind, ParameterKind::keyword_only);
}

TEST(ContractLoader, anchors_and_aliases_can_share_entries) {
  auto c = contract_from(R"(
functions:
  - &run
    name: run
    arguments:
      - name: job
classes:
  - name: Worker
    methods:
      - *run
)");
  EXPECT_EQ(c->module.classes[0].methods[0].name, "run");
  EXPECT_EQ(c->module.classes[0].methods[0].arguments[0].name, "job");
}

TEST(ContractLoader, accepts_a_utf8_byte_order_mark) { EXPECT_EQ(contract_from("\xEF\xBB\xBF" "filename: a.py\n")->module.filename, "a.py"); }

TEST(ContractLoader, accepts_the_original_importspy_example_shape) {
  auto c = contract_from(R"(
filename: extension.py
variables:
  - name: engine
    value: docker
classes:
  - name: Extension
    attributes:
      - type: instance
        name: extension_instance_name
        value: extension_instance_value
    methods:
      - name: __init__
        arguments:
          - name: self
        return_annotation:
    superclasses:
      - name: Plugin
  - name: Foo
    attributes:
    methods:
      - name: get_bar
        arguments:
          - name: self
deployments:
  - arch: x86_64
    systems:
      - os: windows
        pythons:
          - version: 3.12.8
            interpreter: CPython
            modules:
              - filename: extension.py
                version:
                variables:
                  - name: author
                    value: Luca Atella
                functions:
                classes:
          - version: 3.12.4
            interpreter:
            modules:
              - filename: addons.py
          - interpreter: IronPython
            modules:
              - filename: addons.py
)");
  EXPECT_EQ(c->deployments[0].systems[0].pythons.size(), 3u);
  EXPECT_FALSE(c->deployments[0].systems[0].pythons[1].interpreter.has_value());
  EXPECT_FALSE(c->deployments[0].systems[0].pythons[0].modules[0].version.has_value());
}

// ---- one test per contract-error kind ----------------------------------------------------------------

TEST(ContractErrors, unknown_key_suggests_the_misspelled_one) {
  auto e = contract_error_from("functions:\n  - name: add\n    retrun_annotation: str\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::unknown_key);
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 5);
  EXPECT_NE(e.message().find("`retrun_annotation`"), std::string::npos);
  EXPECT_NE(e.hint().find("did you mean `return_annotation`?"), std::string::npos);
  EXPECT_EQ(e.file(), "contract.yml");
}

TEST(ContractErrors, unknown_top_level_key_lists_allowed_keys) {
  auto e = contract_error_from("filename: a.py\nclasess:\n  - name: A\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::unknown_key);
  EXPECT_EQ(e.line(), 2);
  EXPECT_NE(e.hint().find("`classes`"), std::string::npos);
  EXPECT_NE(e.hint().find("Allowed keys here"), std::string::npos);
}

TEST(ContractErrors, duplicate_key) {
  auto e = contract_error_from("filename: a.py\nfilename: b.py\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::duplicate_key);
  EXPECT_EQ(e.line(), 2);
}

TEST(ContractErrors, missing_name) {
  auto e = contract_error_from("variables:\n  - value: 3\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::missing_key);
  EXPECT_EQ(e.line(), 2);
  EXPECT_NE(e.hint().find("name:"), std::string::npos);
}

TEST(ContractErrors, missing_attribute_type) {
  auto e = contract_error_from("classes:\n  - name: A\n    attributes:\n      - name: x\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::missing_key);
  EXPECT_NE(e.message().find("`type`"), std::string::npos);
}

TEST(ContractErrors, missing_arch) {
  EXPECT_EQ(contract_error_from("deployments:\n  - systems:\n").kind(), ContractErrorKind::missing_key);
}

TEST(ContractErrors, list_where_text_is_expected) {
  auto e = contract_error_from("filename: [a, b]\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::wrong_type);
  EXPECT_EQ(e.line(), 1);
  EXPECT_EQ(e.column(), 11);
}

TEST(ContractErrors, mapping_where_a_list_is_expected) {
  auto e = contract_error_from("variables:\n  name: a\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::wrong_type);
  EXPECT_NE(e.message().find("must be a list"), std::string::npos);
}

TEST(ContractErrors, scalar_list_entry_where_a_mapping_is_expected) {
  auto e = contract_error_from("functions:\n  - run\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::wrong_type);
  EXPECT_EQ(e.line(), 2);
  EXPECT_NE(e.hint().find("name: run"), std::string::npos);
}

TEST(ContractErrors, top_level_must_be_a_mapping) {
  EXPECT_EQ(contract_error_from("- a\n- b\n").kind(), ContractErrorKind::wrong_type);
}

TEST(ContractErrors, yaml_syntax_error_has_position) {
  auto e = contract_error_from("filename: a.py\nclasses:\n  - name: [unclosed\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::syntax);
  EXPECT_GT(e.line(), 0);
}

TEST(ContractErrors, empty_contract) {
  EXPECT_EQ(contract_error_from("").kind(), ContractErrorKind::empty);
  EXPECT_EQ(contract_error_from("# only a comment\n").kind(), ContractErrorKind::empty);
}

TEST(ContractErrors, unknown_arch_suggests_a_spelling) {
  auto e = contract_error_from("deployments:\n  - arch: x86-46\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::invalid_value);
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 11);
  EXPECT_NE(e.hint().find("did you mean"), std::string::npos);
}

TEST(ContractErrors, unknown_os) {
  auto e = contract_error_from("deployments:\n  - arch: x86_64\n    systems:\n      - os: linx\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::invalid_value);
  EXPECT_NE(e.hint().find("`linux`"), std::string::npos);
}

TEST(ContractErrors, unknown_interpreter) {
  auto e = contract_error_from("deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        pythons:\n          - interpreter: CPyton\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::invalid_value);
  EXPECT_NE(e.hint().find("`cpython`"), std::string::npos);
}

TEST(ContractErrors, python_version_that_is_not_a_version) {
  auto e = contract_error_from("deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        pythons:\n          - version: latest\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::invalid_value);
  EXPECT_EQ(e.line(), 6);
}

TEST(ContractErrors, malformed_version_specifier) {
  auto e = contract_error_from("version: \">=1.x\"\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::invalid_value);
  EXPECT_NE(e.message().find("PEP 440"), std::string::npos);
}

TEST(ContractErrors, unsupported_schema_version) {
  auto e = contract_error_from("importspy: 2\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::invalid_value);
  EXPECT_NE(e.hint().find("importspy: 1"), std::string::npos);
}

TEST(ContractErrors, malformed_annotation_points_into_the_text) {
  auto e = contract_error_from("variables:\n  - name: a\n    annotation: List[str\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::invalid_value);
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 17 + 8);
}

TEST(ContractErrors, name_that_is_not_an_identifier) {
  auto e = contract_error_from("variables:\n  - name: my var\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::invalid_value);
  EXPECT_NE(e.message().find("not a Python identifier"), std::string::npos);
}

TEST(ContractErrors, unknown_attribute_type_suggests_instance) {
  auto e = contract_error_from("classes:\n  - name: A\n    attributes:\n      - {type: instanse, name: x}\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::invalid_value);
  EXPECT_NE(e.hint().find("`instance`"), std::string::npos);
}

TEST(ContractErrors, unknown_parameter_kind) {
  auto e = contract_error_from("functions:\n  - name: f\n    arguments:\n      - {name: x, kind: keyword}\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::invalid_value);
}

TEST(ContractErrors, star_prefix_contradicting_kind) {
  auto e = contract_error_from("functions:\n  - name: f\n    arguments:\n      - {name: '*x', kind: keyword_only}\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::invalid_value);
  EXPECT_NE(e.message().find("contradicts"), std::string::npos);
}

TEST(ContractErrors, superclass_that_is_not_a_class_name) {
  EXPECT_EQ(contract_error_from("classes:\n  - name: A\n    superclasses:\n      - 'not a class'\n").kind(), ContractErrorKind::invalid_value);
  EXPECT_EQ(contract_error_from("classes:\n  - name: A\n    superclasses:\n      - [Plugin]\n").kind(), ContractErrorKind::wrong_type);
}

TEST(ContractErrors, environment_variable_name_with_equals_sign) {
  auto e = contract_error_from("deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        environment:\n          variables:\n            - A=B\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::invalid_value);
}

TEST(ContractErrors, environment_must_be_a_mapping) {
  auto e = contract_error_from("deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        environment: [A]\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::wrong_type);
}

TEST(ContractErrors, invalid_utf8_names_line_and_column) {
  auto e = contract_error_from("filename: a.py\nvariables:\n  - name: caf\xE9\n");
  EXPECT_EQ(e.kind(), ContractErrorKind::not_utf8);
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 14);
  EXPECT_NE(e.message().find("0xe9"), std::string::npos);
}

TEST(ContractErrors, overlong_utf8_encoding_is_rejected) {
  EXPECT_EQ(contract_error_from("filename: \xC0\xAF\n").kind(), ContractErrorKind::not_utf8);
}

TEST(ContractErrors, what_names_file_line_column_and_hint) {
  auto e = contract_error_from("functions:\n  - name: add\n    retrun_annotation: str\n");
  const std::string what = e.what();
  EXPECT_EQ(what.rfind("contract.yml:3:5: unknown key", 0), 0u) << what;
  EXPECT_NE(what.find("\n  hint: did you mean"), std::string::npos);
}

TEST(ContractErrors, unreadable_file) {
  try {
    load_contract_file("/nonexistent/dir/spymodel.yml");
    FAIL() << "expected an error";
  } catch (const ContractError& e) {
    EXPECT_EQ(e.kind(), ContractErrorKind::unreadable);
    EXPECT_EQ(e.file(), "/nonexistent/dir/spymodel.yml");
    EXPECT_NE(e.message().find("does not exist"), std::string::npos);
  }
}

TEST(ContractErrors, directory_instead_of_file) {
  try {
    load_contract_file(std::filesystem::temp_directory_path());
    FAIL() << "expected an error";
  } catch (const ContractError& e) {
    EXPECT_EQ(e.kind(), ContractErrorKind::unreadable);
    EXPECT_NE(e.message().find("directory"), std::string::npos);
  }
}

TEST(ContractLoader, reads_integrity_and_structure_pins_and_knows_it_needs_hashes) {
  const std::string digest(64, 'a');
  auto c = contract_from("integrity: {sha256: " + digest + "}\nfunctions:\n  - {name: f, hash: \"sha256:" + digest + "\"}\n");
  EXPECT_EQ(c->module.file_sha256, digest);
  EXPECT_EQ(c->module.functions[0].structure_hash, "sha256:" + digest);
  EXPECT_TRUE(needs_hashes(*c));
  EXPECT_FALSE(needs_hashes(*contract_from("filename: a.py\n")));
}

TEST(ContractLoader, knows_when_a_check_reads_a_module_s_imports_alone) {
  // Imports, requires, architecture rules and a file name: a module's imports are all they read.
  EXPECT_EQ(facts_needed(*contract_from("filename: a.py\nimports:\n  forbidden: [os]\n  no_cycles: true\n"
                                        "architecture_rules:\n  rules:\n    - {name: n, type: layers, layers: [a.b, a.c]}\n")),
            FactsNeeded::imports);
  EXPECT_EQ(facts_needed(*contract_from("deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        pythons:\n"
                                        "          - version: 3.12\n            modules:\n              - filename: a.py\n")),
            FactsNeeded::imports);
  // Anything a module defines, its version or its bytes, at the top level or in a deployment: all of them.
  EXPECT_EQ(facts_needed(*contract_from("variables:\n  - name: X\n")), FactsNeeded::all);
  EXPECT_EQ(facts_needed(*contract_from("functions:\n  - name: f\n")), FactsNeeded::all);
  EXPECT_EQ(facts_needed(*contract_from("classes:\n  - name: C\n")), FactsNeeded::all);
  EXPECT_EQ(facts_needed(*contract_from("version: '1.0'\n")), FactsNeeded::all);
  EXPECT_EQ(facts_needed(*contract_from("integrity: {sha256: " + std::string(64, 'a') + "}\n")), FactsNeeded::all);
  EXPECT_EQ(facts_needed(*contract_from("deployments:\n  - arch: x86_64\n    systems:\n      - os: linux\n        pythons:\n"
                                        "          - version: 3.12\n            modules:\n              - filename: a.py\n"
                                        "                functions:\n                  - name: f\n")),
            FactsNeeded::all);
}

TEST(ContractLoader, accepts_a_file_pin_with_the_sha256_prefix_importspy_hash_prints) {
  const std::string digest(64, 'b');
  EXPECT_EQ(contract_from("integrity: {sha256: \"sha256:" + digest + "\"}\n")->module.file_sha256, digest);
  EXPECT_EQ(contract_from("integrity: {sha256: " + digest + "}\n")->module.file_sha256, digest);
  const ContractError error = contract_error_from("integrity: {sha256: \"sha256:abc\"}\n");
  EXPECT_EQ(error.kind(), ContractErrorKind::invalid_value);
  EXPECT_NE(error.message().find("with or without the prefix `sha256:`"), std::string::npos) << error.message();
}

TEST(ContractErrors, malformed_pins) {
  EXPECT_EQ(contract_error_from("integrity: {sha256: ABC}\n").kind(), ContractErrorKind::invalid_value);
  EXPECT_EQ(contract_error_from("integrity: {sha1: x}\n").kind(), ContractErrorKind::unknown_key);
  EXPECT_EQ(contract_error_from("classes:\n  - {name: A, hash: \"sha256:zz\"}\n").kind(), ContractErrorKind::invalid_value);
}

TEST(ContractMigration, inserts_the_version_after_leading_comments_only) {
  EXPECT_EQ(migrate_contract_text("# c\n\nfilename: a.py\n", "c.yml"), "# c\n\nimportspy: 1\nfilename: a.py\n");
  EXPECT_EQ(migrate_contract_text("filename: a.py", "c.yml"), "importspy: 1\nfilename: a.py");
  EXPECT_FALSE(migrate_contract_text("importspy: 1\nfilename: a.py\n", "c.yml").has_value());
  EXPECT_THROW(migrate_contract_text("{filename: a.py}\n", "c.yml"), ContractError);
}

TEST(ContractNames, the_module_names_a_contract_reads_are_listed_once_with_version) {
  auto c = contract_from(R"(
variables:
  - name: engine
functions:
  - name: register
classes:
  - name: Extension
deployments:
  - arch: x86_64
    systems:
      - os: linux
        pythons:
          - version: "3.11"
            modules:
              - filename: extension.py
                variables:
                  - name: engine
                  - name: mode
)");
  EXPECT_EQ(referenced_module_names(*c), (std::vector<std::string>{"__version__", "engine", "register", "Extension", "mode"}));
}

TEST(ContractNames, the_members_a_class_rule_reads_are_listed_once_across_every_module_rule) {
  auto c = contract_from(R"(
classes:
  - name: Extension
    methods:
      - name: run
    attributes:
      - type: class
        name: tags
  - name: Other
    methods:
      - name: elsewhere
deployments:
  - arch: x86_64
    systems:
      - os: linux
        pythons:
          - version: "3.11"
            modules:
              - filename: extension.py
                classes:
                  - name: Extension
                    methods:
                      - name: run
                      - name: stop
                    attributes:
                      - type: instance
                        name: count
)");
  EXPECT_EQ(referenced_class_members(*c, "Extension"), (std::vector<std::string>{"run", "tags", "stop", "count"}));
  EXPECT_EQ(referenced_class_members(*c, "Other"), (std::vector<std::string>{"elsewhere"}));
  EXPECT_TRUE(referenced_class_members(*c, "Missing").empty());
}

TEST(ContractLoader, names_of_variables_functions_arguments_classes_and_bases_mean_their_nfkc_form) {
  // ｒegister(ｋ), class Ｐlugin(Ｂase) with attribute ｘ, variable ﬁle: CPython binds register, k, Plugin, ...
  auto c = contract_from(
      "variables:\n  - name: \xEF\xAC\x81le\n"
      "functions:\n  - name: \xEF\xBD\x92" "egister\n    arguments:\n      - name: \xEF\xBD\x8B\n"
      "classes:\n  - name: \xEF\xBC\xB0lugin\n    attributes:\n      - type: class\n        name: \xEF\xBD\x98\n    superclasses:\n      - \xEF\xBC\xA2" "ase\n");
  EXPECT_EQ(c->module.variables[0].name, "file");
  EXPECT_EQ(c->module.functions[0].name, "register");
  EXPECT_EQ(c->module.functions[0].arguments[0].name, "k");
  EXPECT_EQ(c->module.classes[0].name, "Plugin");
  EXPECT_EQ(c->module.classes[0].attributes[0].name, "x");
  EXPECT_EQ(c->module.classes[0].superclasses[0].name, "Base");
}
