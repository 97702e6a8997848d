#include <gtest/gtest.h>

#include "support.hpp"

using namespace importspy;
using namespace importspy::testing;

namespace {

ModuleFacts module_with_extension() {
  ModuleFacts m = module_at();
  ClassFact cls;
  cls.name = "Extension";
  cls.line = 10;
  cls.attributes.push_back({"extension_name", AttributeKind::class_attribute, Value::string("ext"), std::string("str"), 11});
  cls.attributes.push_back({"label", AttributeKind::instance_attribute, Value::string("hello"), std::string("str"), 14});
  FunctionFact init = function("__init__", {param("self")});
  init.kind = CallableKind::method;
  FunctionFact add = function("add_extension", {param("self"), param_annotated("msg", "str")}, "str");
  add.kind = CallableKind::method;
  add.line = 16;
  cls.methods = {init, add};
  cls.superclasses = {{"Plugin", "plugins.base.Plugin"}, {"object", "builtins.object"}};
  m.classes.push_back(cls);
  return m;
}

}  // namespace

TEST(CheckClass, compliant_class_has_no_violations) {
  auto report = check_yaml(R"(
classes:
  - name: Extension
    attributes:
      - {type: class, name: extension_name, value: ext, annotation: str}
      - {type: instance, name: label, value: hello}
    methods:
      - name: add_extension
        arguments: [{name: self}, {name: msg, annotation: str}]
        return_annotation: str
    superclasses: [Plugin]
)", module_with_extension());
  EXPECT_TRUE(report.ok()) << report.violations.front().message;
}

TEST(CheckClass, class_missing) {
  auto v = only_violation(check_yaml("classes:\n  - name: Foo\n", module_with_extension()));
  EXPECT_EQ(v.code, "class-missing");
  EXPECT_EQ(v.context, Context::class_);
  EXPECT_EQ(v.path, "classes.Foo");
}

TEST(CheckClass, attribute_missing) {
  auto v = only_violation(check_yaml("classes:\n  - name: Extension\n    attributes:\n      - {type: class, name: version}\n", module_with_extension()));
  EXPECT_EQ(v.code, "attribute-missing");
  EXPECT_EQ(v.path, "classes.Extension.attributes.version");
  EXPECT_EQ(v.hint, "define `version = ...` in the body of class Extension");
}

TEST(CheckClass, attribute_of_the_other_kind_is_missing_with_a_hint) {
  auto v = only_violation(check_yaml("classes:\n  - name: Extension\n    attributes:\n      - {type: class, name: label}\n", module_with_extension()));
  EXPECT_EQ(v.code, "attribute-missing");
  EXPECT_EQ(v.actual, "instance attribute");
  EXPECT_NE(v.hint.find("exists as an instance attribute"), std::string::npos);
}

TEST(CheckClass, attribute_value_mismatch) {
  auto v = only_violation(check_yaml("classes:\n  - name: Extension\n    attributes:\n      - {type: instance, name: label, value: bye}\n", module_with_extension()));
  EXPECT_EQ(v.code, "attribute-value-mismatch");
  EXPECT_EQ(v.expected, "'bye'");
  EXPECT_EQ(v.actual, "'hello'");
  EXPECT_EQ(v.source_line, 14);
}

TEST(CheckClass, attribute_annotation_mismatch) {
  auto v = only_violation(check_yaml("classes:\n  - name: Extension\n    attributes:\n      - {type: class, name: extension_name, annotation: bytes}\n", module_with_extension()));
  EXPECT_EQ(v.code, "attribute-annotation-mismatch");
}

TEST(CheckClass, method_missing) {
  auto v = only_violation(check_yaml("classes:\n  - name: Extension\n    methods:\n      - name: remove_extension\n", module_with_extension()));
  EXPECT_EQ(v.code, "method-missing");
  EXPECT_EQ(v.path, "classes.Extension.methods.remove_extension");
}

TEST(CheckClass, method_argument_violations_are_in_class_context) {
  auto v = only_violation(check_yaml("classes:\n  - name: Extension\n    methods:\n      - name: add_extension\n        arguments: [{name: self}, {name: message}]\n", module_with_extension()));
  EXPECT_EQ(v.code, "argument-missing");
  EXPECT_EQ(v.context, Context::class_);
  EXPECT_EQ(v.path, "classes.Extension.methods.add_extension.arguments.message");
  EXPECT_EQ(v.source_line, 16);
}

TEST(CheckClass, superclass_missing_lists_the_actual_bases) {
  auto v = only_violation(check_yaml("classes:\n  - name: Extension\n    superclasses: [Base]\n", module_with_extension()));
  EXPECT_EQ(v.code, "superclass-missing");
  EXPECT_EQ(v.actual, "plugins.base.Plugin, builtins.object");
}

TEST(CheckClass, superclass_matches_by_name_or_qualified_name) {
  EXPECT_TRUE(check_yaml("classes:\n  - name: Extension\n    superclasses: [plugins.base.Plugin]\n", module_with_extension()).ok());
  EXPECT_TRUE(check_yaml("classes:\n  - name: Extension\n    superclasses: [base.Plugin]\n", module_with_extension()).ok());
  EXPECT_FALSE(check_yaml("classes:\n  - name: Extension\n    superclasses: [other.Plugin]\n", module_with_extension()).ok());
}

TEST(CheckClass, superclass_found_anywhere_in_the_mro) {
  EXPECT_TRUE(check_yaml("classes:\n  - name: Extension\n    superclasses: [{name: object}]\n", module_with_extension()).ok());
}
