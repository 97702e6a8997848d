// The fact rules shared by the C++ reader and the CPython-tree extractor (facts/static_rules.hpp).
#include "importspy/facts/static_rules.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace importspy {
namespace {

ClassFact class_with_bases(const std::string& name, std::vector<std::string> bases, int line = 1) {
  ClassFact cls;
  cls.name = name;
  cls.line = line;
  for (auto& base : bases) cls.superclasses.push_back({std::move(base), ""});
  return cls;
}

std::vector<std::string> mro_names(const ClassFact& cls) {
  std::vector<std::string> out;
  for (const auto& s : cls.superclasses) out.push_back(s.name);
  return out;
}

ModuleFacts module_of(std::vector<ClassFact> classes) {
  ModuleFacts facts;
  facts.name = "pkg.mod";
  facts.filename = "pkg/mod.py";
  facts.classes = std::move(classes);
  return facts;
}

TEST(StaticRules, recognises_dunders_only_with_both_double_underscores) {
  EXPECT_TRUE(is_dunder("__all__"));
  EXPECT_FALSE(is_dunder("__x"));
  EXPECT_FALSE(is_dunder("____"));  // too short to be a dunder name around something
  EXPECT_FALSE(is_dunder("_x_"));
}

TEST(StaticRules, mangles_private_names_as_python_does) {
  EXPECT_EQ(mangle_private("__x", "C"), "_C__x");
  EXPECT_EQ(mangle_private("__x", "__C"), "_C__x");  // leading underscores of the class are dropped
  EXPECT_EQ(mangle_private("__x", "___"), "__x");    // a class named only underscores mangles nothing
  EXPECT_EQ(mangle_private("__init__", "C"), "__init__");
  EXPECT_EQ(mangle_private("_x", "C"), "_x");
}

TEST(StaticRules, a_dotted_name_is_identifiers_joined_by_single_dots) {
  EXPECT_TRUE(is_dotted_name("a.b_c.D9"));
  EXPECT_TRUE(is_dotted_name("caf\xc3\xa9"));
  EXPECT_FALSE(is_dotted_name("namedtuple('P', 'x')"));
  EXPECT_FALSE(is_dotted_name("a..b"));
  EXPECT_FALSE(is_dotted_name(".a"));
  EXPECT_FALSE(is_dotted_name(""));
  EXPECT_EQ(last_component("a.b.C"), "C");
  EXPECT_EQ(last_component("C"), "C");
}

TEST(StaticRules, resolves_relative_imports_against_the_package) {
  EXPECT_EQ(resolve_relative(".base", "pkg.sub"), "pkg.sub.base");
  EXPECT_EQ(resolve_relative("..base", "pkg.sub"), "pkg.base");
  EXPECT_EQ(resolve_relative(".", "pkg"), "pkg");
  EXPECT_EQ(resolve_relative("...x", "pkg"), "x");
  EXPECT_EQ(resolve_relative("os.path", "pkg"), "os.path");
}

TEST(StaticRules, follows_names_through_the_last_import_that_binds_them) {
  const std::vector<ImportFact> imports = {
      {"os", "", "_os", 1}, {"sys", "platform", "platform", 2}, {"a.b", "", "a", 3}, {".base", "Plugin", "P", 4}, {"json", "", "P", 5}};
  EXPECT_EQ(resolve_through_imports(imports, "pkg", "_os.name"), "os.name");
  EXPECT_EQ(resolve_through_imports(imports, "pkg", "platform"), "sys.platform");
  EXPECT_EQ(resolve_through_imports(imports, "pkg", "a.b.c"), "a.b.c");
  EXPECT_EQ(resolve_through_imports(imports, "pkg", "P"), "json");  // rebound by the later import
  EXPECT_EQ(resolve_through_imports(imports, "pkg", "unbound"), "");
  const std::vector<ImportFact> aliased = {{"a.b", "", "x", 1}, {".base", "Plugin", "P", 2}};
  EXPECT_EQ(resolve_through_imports(aliased, "pkg.sub", "x.c"), "a.b.c");
  EXPECT_EQ(resolve_through_imports(aliased, "pkg.sub", "P"), "pkg.sub.base.Plugin");
}

TEST(StaticRules, knows_builtin_classes_by_their_runtime_order) {
  const auto* io_error = builtin_class_mro("IOError");
  ASSERT_NE(io_error, nullptr);
  ASSERT_EQ(io_error->size(), 4u);
  EXPECT_EQ(io_error->front().name, "OSError");  // IOError is an alias of OSError
  EXPECT_EQ(io_error->front().qualified, "builtins.OSError");
  EXPECT_EQ(io_error->back().name, "object");
  EXPECT_EQ(builtin_class_mro("print"), nullptr);  // a builtin, but no class
  EXPECT_EQ(builtin_class_mro("Plugin"), nullptr);
}

TEST(StaticRules, version_is_a_module_fact_and_not_a_variable) {
  ModuleFacts facts;
  std::optional<std::string> annotation;
  EXPECT_FALSE(module_variable_rule(facts, "__version__", Value::string("1.2"), annotation));
  EXPECT_EQ(facts.version, "1.2");
  EXPECT_FALSE(facts.version_unknown);
  EXPECT_FALSE(module_variable_rule(facts, "__version__", Value::unknown("computed"), annotation));
  EXPECT_EQ(facts.version, std::nullopt);
  EXPECT_TRUE(facts.version_unknown);
}

TEST(StaticRules, dunders_are_no_variables_and_known_values_give_their_type) {
  ModuleFacts facts;
  std::optional<std::string> annotation;
  EXPECT_FALSE(module_variable_rule(facts, "__all__", Value::list({}), annotation));
  EXPECT_TRUE(module_variable_rule(facts, "limit", Value::integer(3), annotation));
  EXPECT_EQ(annotation, "int");
  std::optional<std::string> written = "float";
  EXPECT_TRUE(module_variable_rule(facts, "limit", Value::integer(3), written));
  EXPECT_EQ(written, "float");  // what the source writes wins
  std::optional<std::string> none;
  EXPECT_TRUE(module_variable_rule(facts, "limit", Value::unknown("a call"), none));
  EXPECT_EQ(none, std::nullopt);
}

TEST(StaticRules, orders_a_diamond_as_c3_does_and_inherits_members) {
  ModuleFacts facts = module_of({class_with_bases("A", {}), class_with_bases("B", {"A"}), class_with_bases("C", {"A"}), class_with_bases("D", {"B", "C"})});
  facts.classes[0].methods.push_back(FunctionFact{});
  facts.classes[0].methods.back().name = "run";
  complete_classes(facts, "pkg");
  EXPECT_EQ(mro_names(facts.classes[3]), (std::vector<std::string>{"B", "C", "A", "object"}));
  EXPECT_EQ(facts.classes[3].superclasses[0].qualified, "pkg.mod.B");
  ASSERT_EQ(facts.classes[3].methods.size(), 1u);
  EXPECT_EQ(facts.classes[3].methods[0].name, "run");
}

TEST(StaticRules, named_tuple_and_typed_dict_bases_are_tuple_and_dict) {
  ModuleFacts facts = module_of({class_with_bases("P", {"NamedTuple"}), class_with_bases("M", {"typing.TypedDict"})});
  facts.imports = {{"typing", "NamedTuple", "NamedTuple", 1}, {"typing", "", "typing", 2}};
  complete_classes(facts, "pkg");
  EXPECT_EQ(mro_names(facts.classes[0]), (std::vector<std::string>{"tuple", "object"}));
  EXPECT_EQ(mro_names(facts.classes[1]), (std::vector<std::string>{"dict", "object"}));
}

TEST(StaticRules, builtin_and_imported_and_expression_bases) {
  ModuleFacts facts = module_of({class_with_bases("E", {"IOError"}), class_with_bases("F", {"base.Plugin"}), class_with_bases("G", {"GzipFile if gzip else object"})});
  facts.imports = {{".", "base", "base", 1}};
  complete_classes(facts, "pkg");
  EXPECT_EQ(mro_names(facts.classes[0]), (std::vector<std::string>{"OSError", "Exception", "BaseException", "object"}));
  EXPECT_EQ(mro_names(facts.classes[1]), (std::vector<std::string>{"Plugin", "object"}));
  EXPECT_EQ(facts.classes[1].superclasses[0].qualified, "pkg.base.Plugin");
  EXPECT_EQ(mro_names(facts.classes[2]), (std::vector<std::string>{"GzipFile if gzip else object", "object"}));
  EXPECT_EQ(facts.classes[2].superclasses[0].qualified, "");
}

TEST(StaticRules, an_inconsistent_order_keeps_the_remaining_bases) {
  // class X(A, B) and class Y(B, A): Z(X, Y) has no C3 order; Python refuses it at run time.
  ModuleFacts facts = module_of({class_with_bases("A", {}), class_with_bases("B", {}), class_with_bases("X", {"A", "B"}),
                                 class_with_bases("Y", {"B", "A"}), class_with_bases("Z", {"X", "Y"})});
  complete_classes(facts, "pkg");
  EXPECT_EQ(mro_names(facts.classes[4]), (std::vector<std::string>{"X", "Y", "A", "B", "object"}));
}

TEST(StaticRules, a_cycle_of_bases_is_not_followed) {
  ModuleFacts facts = module_of({class_with_bases("A", {"B"}), class_with_bases("B", {"A"})});
  complete_classes(facts, "pkg");
  EXPECT_EQ(mro_names(facts.classes[0]), (std::vector<std::string>{"B", "A", "object"}));
}

TEST(StaticRules, refuses_more_bases_than_the_limit_naming_file_and_line) {
  ModuleFacts facts = module_of({class_with_bases("A", {"x1", "x2", "x3"}, 7)});
  InheritanceLimits limits;
  limits.max_bases = 2;
  try {
    complete_classes(facts, "pkg", limits);
    FAIL() << "no error";
  } catch (const InheritanceLimitError& error) {
    EXPECT_EQ(error.file(), "pkg/mod.py");
    EXPECT_EQ(error.line(), 7);
    EXPECT_EQ(error.message(), "class A has 3 bases, more than the limit of 2");
  }
}

TEST(StaticRules, refuses_a_method_resolution_order_longer_than_the_limit) {
  std::vector<ClassFact> chain = {class_with_bases("C0", {})};
  for (int i = 1; i < 10; ++i) chain.push_back(class_with_bases("C" + std::to_string(i), {"C" + std::to_string(i - 1)}, i + 1));
  ModuleFacts facts = module_of(chain);
  InheritanceLimits limits;
  limits.max_superclasses = 5;
  try {
    complete_classes(facts, "pkg", limits);
    FAIL() << "no error";
  } catch (const InheritanceLimitError& error) {
    EXPECT_NE(error.message().find("superclasses in its method resolution order, more than the limit of 5"), std::string::npos) << error.message();
  }
}

TEST(StaticRules, refuses_a_recursion_deeper_than_the_limit) {
  // Subclasses defined before their bases: the walk recurses down the whole chain from the first class.
  std::vector<ClassFact> chain;
  for (int i = 0; i < 10; ++i) chain.push_back(class_with_bases("C" + std::to_string(i), {"C" + std::to_string(i + 1)}, i + 1));
  ModuleFacts facts = module_of(chain);
  InheritanceLimits limits;
  limits.max_superclasses = 5;
  try {
    complete_classes(facts, "pkg", limits);
    FAIL() << "no error";
  } catch (const InheritanceLimitError& error) {
    EXPECT_NE(error.message().find("inherits through more than 5 levels"), std::string::npos) << error.message();
  }
}

TEST(StaticRules, refuses_more_inherited_entries_than_the_module_limit) {
  ModuleFacts facts = module_of({class_with_bases("A", {}), class_with_bases("B", {"A"}), class_with_bases("C", {"B"})});
  for (int i = 0; i < 20; ++i) {
    facts.classes[0].methods.push_back(FunctionFact{});
    facts.classes[0].methods.back().name = "m" + std::to_string(i);
  }
  InheritanceLimits limits;
  limits.max_inheritance_entries = 30;
  EXPECT_THROW(complete_classes(facts, "pkg", limits), InheritanceLimitError);
}

TEST(StaticRules, a_diamond_chain_costs_what_its_output_costs) {
  // 200 stacked diamonds: an exponential walk would never end; the memoised linearisation is immediate.
  std::vector<ClassFact> classes = {class_with_bases("D0", {})};
  for (int i = 1; i <= 200; ++i) {
    const std::string below = "D" + std::to_string(i - 1);
    classes.push_back(class_with_bases("L" + std::to_string(i), {below}));
    classes.push_back(class_with_bases("R" + std::to_string(i), {below}));
    classes.push_back(class_with_bases("D" + std::to_string(i), {"L" + std::to_string(i), "R" + std::to_string(i)}));
  }
  ModuleFacts facts = module_of(classes);
  complete_classes(facts, "pkg");
  EXPECT_EQ(facts.classes.back().superclasses.size(), 601u);  // 200 × (L, R, D) below it, D0 and object
}

}  // namespace
}  // namespace importspy
