// Every binding form the reader applies, in order, as CPython binds when the module has run; where the
// reader cannot know what CPython binds, the fact says so (`unverifiable`). Each expectation was checked by
// running the module on CPython 3.10-3.13 (tests/python/test_reader_bindings.py does it again).
#include "importspy/source/reader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace importspy {
namespace {

ModuleFacts read(std::string_view source, const std::string& filename = "pkg/mod.py", const std::string& module = "pkg.mod") {
  return read_module_source(source, filename, module, {});
}

const FunctionFact* method(const ModuleFacts& facts, std::string_view cls, std::string_view name) {
  const ClassFact* c = facts.find_class(cls);
  return c ? find_method(*c, name) : nullptr;
}

const AttributeFact* attribute(const ModuleFacts& facts, std::string_view cls, std::string_view name) {
  const ClassFact* c = facts.find_class(cls);
  if (!c) return nullptr;
  for (const auto& a : c->attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

// ---- imports ------------------------------------------------------------------------------------------

TEST(ReaderBindings, import_as_rebinds_a_function_defined_above) {
  const ModuleFacts facts = read("def register():\n    pass\nimport os as register\n");
  EXPECT_EQ(facts.find_function("register"), nullptr);
}

TEST(ReaderBindings, from_import_as_rebinds_a_class_and_a_variable_defined_above) {
  const ModuleFacts facts = read("class Plugin:\n    pass\nLIMIT = 3\nfrom json import JSONDecoder as Plugin, dumps as LIMIT\n");
  EXPECT_EQ(facts.find_class("Plugin"), nullptr);
  EXPECT_EQ(facts.find_variable("LIMIT"), nullptr);
}

TEST(ReaderBindings, an_import_in_a_branch_that_may_run_makes_the_function_unverifiable) {
  const ModuleFacts facts = read("import os\ndef run():\n    pass\nif os.environ.get('X'):\n    from shutil import copy as run\n");
  ASSERT_NE(facts.find_function("run"), nullptr);
  EXPECT_NE(facts.find_function("run")->unverifiable.find("line 5"), std::string::npos) << facts.find_function("run")->unverifiable;
}

TEST(ReaderBindings, an_imported_version_is_no_longer_the_literal_assigned_above) {
  const ModuleFacts facts = read("__version__ = '1.0'\nfrom ._version import __version__\n");
  EXPECT_FALSE(facts.version.has_value());
  EXPECT_TRUE(facts.version_unknown);
}

TEST(ReaderBindings, a_version_assigned_in_a_try_body_is_bound_but_unknown) {
  const ModuleFacts facts = read("try:\n    __version__ = '1.0'\nexcept ValueError as err:\n    pass\n");
  EXPECT_FALSE(facts.version.has_value());
  EXPECT_TRUE(facts.version_unknown);
}

TEST(ReaderBindings, an_import_in_a_class_body_replaces_the_method_defined_above) {
  const ModuleFacts facts = read("class C:\n    def x(self):\n        pass\n    import os as x\n");
  EXPECT_EQ(method(facts, "C", "x"), nullptr);
  ASSERT_NE(attribute(facts, "C", "x"), nullptr);
  EXPECT_TRUE(attribute(facts, "C", "x")->value.is_unknown());
}

TEST(ReaderBindings, a_star_import_makes_what_is_bound_above_it_unverifiable_not_what_follows) {
  const ModuleFacts facts = read("def before():\n    pass\nfrom os.path import *\ndef after():\n    pass\n");
  EXPECT_NE(facts.find_function("before")->unverifiable.find("import *"), std::string::npos);
  EXPECT_TRUE(facts.find_function("after")->unverifiable.empty());
}

TEST(ReaderBindings, importing_a_submodule_in_a_package_init_rebinds_its_name) {
  const ModuleFacts facts = read("def sub():\n    pass\nfrom .sub import helper\n", "pkg/__init__.py", "pkg");
  ASSERT_NE(facts.find_function("sub"), nullptr);
  EXPECT_NE(facts.find_function("sub")->unverifiable.find("submodule pkg.sub"), std::string::npos);
}

// ---- loops, with, assignment expressions -------------------------------------------------------------

TEST(ReaderBindings, a_for_loop_over_a_non_empty_literal_rebinds_its_target) {
  const ModuleFacts facts = read("def f():\n    pass\nfor f in [1, 2]:\n    pass\n");
  EXPECT_EQ(facts.find_function("f"), nullptr);
  ASSERT_NE(facts.find_variable("f"), nullptr);
  EXPECT_TRUE(facts.find_variable("f")->value.is_unknown());
}

TEST(ReaderBindings, a_for_loop_that_may_not_run_makes_its_targets_unverifiable_or_unknown) {
  const ModuleFacts facts = read("import os\nflag = True\ndef f():\n    pass\nfor flag, (f, *rest) in os.environ.items():\n    pass\n");
  EXPECT_TRUE(facts.find_variable("flag")->value.is_unknown());
  EXPECT_NE(facts.find_function("f")->unverifiable.find("`for` loop"), std::string::npos);
}

TEST(ReaderBindings, with_as_rebinds_its_targets) {
  const ModuleFacts facts = read("def data():\n    pass\nwith open(__file__) as data:\n    pass\n");
  EXPECT_EQ(facts.find_function("data"), nullptr);
  EXPECT_TRUE(facts.find_variable("data")->value.is_unknown());
}

TEST(ReaderBindings, the_body_of_with_contextlib_suppress_is_conditional) {
  const ModuleFacts facts = read("import contextlib\nX = 1\nwith contextlib.suppress(ZeroDivisionError):\n    1 / 0\n    X = 2\n");
  EXPECT_TRUE(facts.find_variable("X")->value.is_unknown());
}

TEST(ReaderBindings, the_body_of_with_open_is_straight_line) {
  const ModuleFacts facts = read("with open(__file__):\n    X = 2\n");
  EXPECT_EQ(facts.find_variable("X")->value, Value::integer(2));
}

TEST(ReaderBindings, an_assignment_expression_rebinds_a_module_name) {
  const ModuleFacts facts = read("def f():\n    pass\nprint((f := 3))\n");
  EXPECT_EQ(facts.find_function("f"), nullptr);
  ASSERT_NE(facts.find_variable("f"), nullptr);
}

TEST(ReaderBindings, an_assignment_expression_in_a_condition_binds_the_name) {
  const ModuleFacts facts = read("if (answer := 42):\n    pass\n");
  ASSERT_NE(facts.find_variable("answer"), nullptr);
}

TEST(ReaderBindings, an_assignment_expression_in_a_comprehension_binds_in_the_module_when_it_runs) {
  const ModuleFacts facts = read("def last():\n    pass\nvalues = [(last := v) for v in range(3)]\n");
  ASSERT_NE(facts.find_function("last"), nullptr);
  EXPECT_NE(facts.find_function("last")->unverifiable.find("assignment expression"), std::string::npos);
}

TEST(ReaderBindings, an_assignment_expression_in_a_lambda_body_binds_nothing_in_the_module) {
  const ModuleFacts facts = read("def f():\n    pass\ng = lambda: (f := 1)\n");
  ASSERT_NE(facts.find_function("f"), nullptr);
  EXPECT_TRUE(facts.find_function("f")->unverifiable.empty());
}

// ---- except, match, del -----------------------------------------------------------------------------

TEST(ReaderBindings, except_as_deletes_its_name_when_the_handler_ends) {
  const ModuleFacts facts = read("try:\n    import missing_module\nexcept ImportError as error:\n    pass\n");
  EXPECT_EQ(facts.find_variable("error"), nullptr);
}

TEST(ReaderBindings, except_as_over_a_bound_name_makes_it_unverifiable) {
  const ModuleFacts facts = read("def error():\n    pass\ntry:\n    pass\nexcept Exception as error:\n    pass\n");
  ASSERT_NE(facts.find_function("error"), nullptr);
  EXPECT_NE(facts.find_function("error")->unverifiable.find("except"), std::string::npos);
}

TEST(ReaderBindings, case_capture_and_as_patterns_rebind_their_names) {
  const ModuleFacts facts = read(
      "def a():\n    pass\ndef b():\n    pass\ndef c():\n    pass\ndef Point():\n    pass\nmatch [1, 2]:\n"
      "    case [1, *a] as b:\n        pass\n    case {'k': c}:\n        pass\n    case Point(x=1):\n        pass\n");
  EXPECT_NE(facts.find_function("a")->unverifiable.find("`case` pattern"), std::string::npos);
  EXPECT_NE(facts.find_function("b")->unverifiable.find("`case` pattern"), std::string::npos);
  EXPECT_NE(facts.find_function("c")->unverifiable.find("`case` pattern"), std::string::npos);
  EXPECT_TRUE(facts.find_function("Point")->unverifiable.empty());
}

TEST(ReaderBindings, del_version_removes_the_version) {
  const ModuleFacts facts = read("__version__ = '1.0'\ndel __version__\n");
  EXPECT_FALSE(facts.version.has_value());
  EXPECT_FALSE(facts.version_unknown);
}

TEST(ReaderBindings, a_del_that_may_run_makes_the_name_unverifiable) {
  const ModuleFacts facts = read("import os\ndef f():\n    pass\nX = 1\nif os.environ.get('A'):\n    del f, X\n");
  EXPECT_NE(facts.find_function("f")->unverifiable.find("deleted"), std::string::npos);
  EXPECT_NE(facts.find_variable("X")->unverifiable.find("deleted"), std::string::npos);
}

TEST(ReaderBindings, a_conditional_definition_over_a_bound_name_makes_the_first_unverifiable) {
  const ModuleFacts facts = read("import os\ndef f():\n    pass\nif os.environ.get('A'):\n    def f(x):\n        pass\n");
  EXPECT_NE(facts.find_function("f")->unverifiable.find("defined again at line 5"), std::string::npos);
}

// ---- global in a function that runs at import -------------------------------------------------------

TEST(ReaderBindings, a_function_that_declares_a_name_global_and_runs_at_import_makes_it_unverifiable) {
  const ModuleFacts facts = read("X = 1\ndef f():\n    pass\ndef setup():\n    global X, f, Y\n    X = 2\nsetup()\n");
  EXPECT_TRUE(facts.find_variable("X")->value.is_unknown());
  EXPECT_NE(facts.find_variable("X")->unverifiable.find("`setup`"), std::string::npos);
  EXPECT_NE(facts.find_function("f")->unverifiable.find("`setup`"), std::string::npos);
  ASSERT_NE(facts.find_variable("Y"), nullptr);  // it may exist now
  EXPECT_FALSE(facts.find_variable("Y")->unverifiable.empty());
}

// No call is seen, but one the reader cannot follow (through another function, a callback) may run it
// at import: the name is unverifiable, its value the one written.
TEST(ReaderBindings, a_function_that_declares_a_name_global_makes_it_unverifiable_even_when_no_call_is_seen) {
  const ModuleFacts facts = read("X = 1\ndef setup():\n    global X\n    X = 2\n");
  EXPECT_EQ(facts.find_variable("X")->value, Value::integer(1));
  EXPECT_NE(facts.find_variable("X")->unverifiable.find("`global X`"), std::string::npos);
}

TEST(ReaderBindings, a_decorator_that_declares_a_name_global_runs_at_import) {
  const ModuleFacts facts = read("X = 1\ndef deco(f):\n    global X\n    X = f\n    return f\n@deco\ndef g():\n    pass\n");
  EXPECT_FALSE(facts.find_variable("X")->unverifiable.empty());
}

// ---- decorators ---------------------------------------------------------------------------------------

TEST(ReaderBindings, a_decorator_the_reader_cannot_see_makes_the_function_unverifiable) {
  const ModuleFacts facts = read("from plugins.api import register\n@register\ndef hook():\n    pass\n");
  const std::string& why = facts.find_function("hook")->unverifiable;
  EXPECT_NE(why.find("`register`"), std::string::npos) << why;
  EXPECT_NE(why.find("plugins.api.register"), std::string::npos) << why;
}

TEST(ReaderBindings, a_decorator_defined_in_the_module_makes_the_function_unverifiable) {
  const ModuleFacts facts = read("def register(f):\n    return 1\n@register\ndef hook():\n    pass\n");
  EXPECT_NE(facts.find_function("hook")->unverifiable.find("defined at line 1"), std::string::npos);
}

TEST(ReaderBindings, decorators_that_return_the_function_keep_it_known) {
  const ModuleFacts facts = read(
      "import abc, typing, atexit\nfrom typing import final\n@abc.abstractmethod\ndef a():\n    pass\n@final\n@typing.no_type_check\ndef b():\n    pass\n"
      "@atexit.register\ndef c():\n    pass\n");
  EXPECT_TRUE(facts.find_function("a")->unverifiable.empty());
  EXPECT_TRUE(facts.find_function("b")->unverifiable.empty());
  EXPECT_TRUE(facts.find_function("c")->unverifiable.empty());
}

TEST(ReaderBindings, overload_cache_and_wraps_replace_the_function) {
  const ModuleFacts facts = read(
      "import functools\nfrom typing import overload\n@overload\ndef a(x: int) -> int: ...\n@functools.lru_cache(maxsize=None)\ndef b():\n    pass\n"
      "@functools.wraps(b)\ndef c():\n    pass\n@staticmethod\ndef d():\n    pass\n");
  EXPECT_FALSE(facts.find_function("a")->unverifiable.empty());
  EXPECT_FALSE(facts.find_function("b")->unverifiable.empty());
  EXPECT_FALSE(facts.find_function("c")->unverifiable.empty());
  EXPECT_FALSE(facts.find_function("d")->unverifiable.empty());  // a staticmethod object at module level
}

TEST(ReaderBindings, dataclass_and_total_ordering_keep_the_class_known_slots_does_not) {
  const ModuleFacts facts = read(
      "import dataclasses, functools\n@dataclasses.dataclass(frozen=True)\n@functools.total_ordering\nclass A:\n    x: int = 0\n"
      "@dataclasses.dataclass(slots=True)\nclass B:\n    x: int = 0\n");
  EXPECT_TRUE(facts.find_class("A")->unverifiable.empty());
  EXPECT_FALSE(facts.find_class("B")->unverifiable.empty());
}

TEST(ReaderBindings, a_class_decorator_the_reader_cannot_see_makes_the_class_unverifiable) {
  const ModuleFacts facts = read("from registry import register\n@register\nclass Plugin:\n    pass\n");
  EXPECT_NE(facts.find_class("Plugin")->unverifiable.find("`register`"), std::string::npos);
}

TEST(ReaderBindings, method_decorators_staticmethod_classmethod_property_keep_methods_known) {
  const ModuleFacts facts = read(
      "import functools\nclass C:\n    @staticmethod\n    def s():\n        pass\n    @classmethod\n    def k(cls):\n        pass\n"
      "    @property\n    def p(self):\n        return 1\n    @p.setter\n    def p(self, v):\n        pass\n    @functools.cache\n    def cached(self):\n        pass\n");
  EXPECT_TRUE(method(facts, "C", "s")->unverifiable.empty());
  EXPECT_TRUE(method(facts, "C", "k")->unverifiable.empty());
  EXPECT_TRUE(method(facts, "C", "p")->unverifiable.empty());
  EXPECT_FALSE(method(facts, "C", "cached")->unverifiable.empty());
}

TEST(ReaderBindings, a_builtin_decorator_name_bound_in_the_module_is_not_the_builtin) {
  const ModuleFacts facts = read("def staticmethod(f):\n    return 1\nclass C:\n    @staticmethod\n    def s():\n        pass\n");
  EXPECT_FALSE(method(facts, "C", "s")->unverifiable.empty());
}

// ---- classes ------------------------------------------------------------------------------------------

TEST(ReaderBindings, a_local_class_defined_after_an_import_of_its_name_is_the_base) {
  const ModuleFacts facts = read("from base import Plugin\nclass Plugin:\n    def run(self):\n        pass\nclass X(Plugin):\n    pass\n");
  const ClassFact* x = facts.find_class("X");
  ASSERT_NE(x, nullptr);
  ASSERT_FALSE(x->superclasses.empty());
  EXPECT_EQ(x->superclasses.front().qualified, "pkg.mod.Plugin");
  EXPECT_NE(find_method(*x, "run"), nullptr);  // inherited from the local class
}

TEST(ReaderBindings, an_import_after_a_local_class_of_its_name_is_the_base) {
  const ModuleFacts facts = read("class Plugin:\n    pass\nfrom base import Plugin\nclass X(Plugin):\n    pass\n");
  ASSERT_FALSE(facts.find_class("X")->superclasses.empty());
  EXPECT_EQ(facts.find_class("X")->superclasses.front().qualified, "base.Plugin");
}

}  // namespace
}  // namespace importspy

namespace importspy {
namespace {

TEST(ReaderBindings, a_method_defined_again_under_an_undecided_condition_is_unverifiable) {
  const ModuleFacts facts = read("import os\nclass C:\n    if os.environ.get('X'):\n        def f(self, a):\n            pass\n    else:\n        def f(self):\n            pass\n");
  const FunctionFact* f = find_method(*facts.find_class("C"), "f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->unverifiable, "defined in the `if` statement at line 3, which may not run it");
}

// A definition in code that may not run: CPython may leave the name unbound (or bound to what it was),
// so the fact is unverifiable and says which statement decides.
TEST(ReaderBindings, a_function_defined_only_under_an_undecided_condition_is_unverifiable) {
  const ModuleFacts facts = read("import os\nif os.environ.get('X'):\n    def f(a):\n        pass\n");
  ASSERT_NE(facts.find_function("f"), nullptr);
  EXPECT_EQ(facts.find_function("f")->unverifiable, "defined in the `if` statement at line 2, which may not run it");
}

TEST(ReaderBindings, a_class_defined_only_under_an_undecided_condition_is_unverifiable) {
  const ModuleFacts facts = read("import os\nif os.environ.get('X'):\n    pass\nelif os.name:\n    class C:\n        pass\n");
  ASSERT_NE(facts.find_class("C"), nullptr);
  EXPECT_EQ(facts.find_class("C")->unverifiable, "defined in the `elif` clause at line 4, which may not run it");
}

TEST(ReaderBindings, a_method_defined_only_under_an_undecided_condition_is_unverifiable) {
  const ModuleFacts facts = read("import os\nclass C:\n    if os.environ.get('X'):\n        def f(self):\n            pass\n");
  const FunctionFact* f = find_method(*facts.find_class("C"), "f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->unverifiable, "defined in the `if` statement at line 3, which may not run it");
}

TEST(ReaderBindings, a_definition_in_a_try_body_is_unverifiable) {
  const ModuleFacts facts = read("try:\n    import _speedups\n    def f():\n        pass\nexcept ImportError:\n    pass\n");
  ASSERT_NE(facts.find_function("f"), nullptr);
  EXPECT_EQ(facts.find_function("f")->unverifiable, "defined in the `try` body at line 1, which may stop before it");
}

TEST(ReaderBindings, a_fallback_definition_in_an_except_clause_is_unverifiable) {
  const ModuleFacts facts = read("try:\n    from _speedups import encode\nexcept ImportError:\n    def encode(s):\n        return s\n");
  ASSERT_NE(facts.find_function("encode"), nullptr);
  EXPECT_EQ(facts.find_function("encode")->unverifiable, "defined in the `except` clause at line 3, which may not run");
}

TEST(ReaderBindings, a_definition_in_a_loop_body_is_unverifiable) {
  const ModuleFacts facts = read("for _ in range(0):\n    class C:\n        pass\nwhile False:\n    def g():\n        pass\n");
  ASSERT_NE(facts.find_class("C"), nullptr);
  EXPECT_EQ(facts.find_class("C")->unverifiable, "defined in the `for` loop at line 1, which may not run it");
}

TEST(ReaderBindings, a_definition_under_a_context_manager_that_may_suppress_is_unverifiable) {
  const ModuleFacts facts = read("import contextlib\nwith contextlib.suppress(ImportError):\n    import _x\n    def f():\n        pass\n");
  ASSERT_NE(facts.find_function("f"), nullptr);
  EXPECT_EQ(facts.find_function("f")->unverifiable,
            "defined in the `with` statement at line 2, whose context manager may suppress an exception before it");
}

TEST(ReaderBindings, a_definition_in_a_case_clause_is_unverifiable) {
  const ModuleFacts facts = read("import os\nmatch os.name:\n    case 'nt':\n        def f():\n            pass\n");
  ASSERT_NE(facts.find_function("f"), nullptr);
  EXPECT_EQ(facts.find_function("f")->unverifiable, "defined in the `case` clause at line 3, which may not match");
}

TEST(ReaderBindings, a_definition_under_a_decided_condition_is_known) {
  const ModuleFacts facts = read("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    pass\nelse:\n    def f():\n        pass\nif not TYPE_CHECKING:\n    class C:\n        pass\n");
  ASSERT_NE(facts.find_function("f"), nullptr);
  EXPECT_EQ(facts.find_function("f")->unverifiable, "");
  ASSERT_NE(facts.find_class("C"), nullptr);
  EXPECT_EQ(facts.find_class("C")->unverifiable, "");
}

TEST(ReaderBindings, an_assignment_that_may_not_run_makes_the_class_it_may_rebind_unverifiable) {
  const ModuleFacts facts = read("class Base:\n    pass\nwhile True:\n    Base = True\n    break\n");
  ASSERT_NE(facts.find_class("Base"), nullptr);
  EXPECT_EQ(facts.find_class("Base")->unverifiable, "may be rebound at line 4");
}

TEST(ReaderBindings, an_assignment_that_may_not_run_makes_the_function_it_may_rebind_unverifiable) {
  const ModuleFacts facts = read("import os\ndef run():\n    pass\nif os.environ.get('X'):\n    run = 1\n");
  ASSERT_NE(facts.find_function("run"), nullptr);
  EXPECT_EQ(facts.find_function("run")->unverifiable, "may be rebound at line 5");
}

TEST(ReaderBindings, a_class_body_assignment_that_may_not_run_makes_the_method_unverifiable) {
  const ModuleFacts facts =
      read("class Base:\n    def run(self):\n        pass\n    try:\n        import socket\n    except ImportError:\n        run = (3, 11)\n    else:\n        run = 1_000\n");
  const FunctionFact* run = find_method(*facts.find_class("Base"), "run");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->unverifiable, "may be rebound at line 7");
}

TEST(ReaderBindings, a_class_body_annotated_assignment_replaces_the_method) {
  const ModuleFacts facts = read("class Base:\n    def run(self):\n        pass\n    run: int = 1\n");
  EXPECT_EQ(find_method(*facts.find_class("Base"), "run"), nullptr);
}

TEST(ReaderBindings, a_class_body_unpacking_that_may_not_run_makes_the_method_unverifiable) {
  const ModuleFacts facts = read("import os\nclass Base:\n    def run(self):\n        pass\n    if os.environ.get('X'):\n        run, b = 1, 2\n");
  const FunctionFact* run = find_method(*facts.find_class("Base"), "run");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->unverifiable, "may be rebound at line 6");
}

TEST(ReaderBindings, a_variable_first_assigned_in_code_that_may_not_run_may_not_be_bound) {
  const ModuleFacts facts = read("import os\nif os.environ.get('X'):\n    LIMIT = 3\n");
  ASSERT_NE(facts.find_variable("LIMIT"), nullptr);
  EXPECT_EQ(facts.find_variable("LIMIT")->unverifiable, "may not be bound: line 3 is in code that may not run");
}

TEST(ReaderBindings, a_variable_assigned_before_stays_bound_when_code_that_may_not_run_assigns_it_again) {
  const ModuleFacts facts = read("import os\nLIMIT = 1\nif os.environ.get('X'):\n    LIMIT = 3\n");
  ASSERT_NE(facts.find_variable("LIMIT"), nullptr);
  EXPECT_EQ(facts.find_variable("LIMIT")->unverifiable, "");
  EXPECT_TRUE(facts.find_variable("LIMIT")->value.is_unknown());
}

TEST(ReaderBindings, a_definition_that_may_not_run_makes_the_variable_it_may_replace_unverifiable) {
  const ModuleFacts facts = read("register = 0\ntry:\n    raise ValueError\nexcept ValueError:\n    def register(plugin):\n        pass\n");
  ASSERT_NE(facts.find_variable("register"), nullptr);
  EXPECT_EQ(facts.find_variable("register")->unverifiable, "may be defined again at line 5");
}

TEST(ReaderBindings, a_function_named_version_replaces_the_version) {
  const ModuleFacts facts = read("__version__ = '1.0'\nasync def __version__():\n    pass\n");
  EXPECT_FALSE(facts.version.has_value());
  EXPECT_FALSE(facts.version_unknown);
}

TEST(ReaderBindings, a_base_name_bound_again_after_the_class_makes_the_class_unverifiable) {
  const ModuleFacts facts = read("from missing_pkg import Base\nclass Plugin(Base, object):\n    pass\nimport collections as Base\n");
  ASSERT_NE(facts.find_class("Plugin"), nullptr);
  EXPECT_EQ(facts.find_class("Plugin")->unverifiable, "its base `Base` is bound again after the class statement, which used the earlier binding");
}

TEST(ReaderBindings, a_base_bound_once_keeps_the_class_known) {
  const ModuleFacts facts = read("from missing_pkg import Base\nclass Plugin(Base):\n    pass\nclass Other(Plugin):\n    pass\n");
  EXPECT_EQ(facts.find_class("Plugin")->unverifiable, "");
  EXPECT_EQ(facts.find_class("Other")->unverifiable, "");
}

TEST(ReaderBindings, a_class_redefined_after_a_subclass_read_it_makes_the_subclass_unverifiable) {
  const ModuleFacts facts = read("class Base:\n    pass\nclass Plugin(Base):\n    pass\nclass Base:\n    def run(self):\n        pass\n");
  EXPECT_EQ(facts.find_class("Plugin")->unverifiable, "its base `Base` is bound again after the class statement, which used the earlier binding");
}

TEST(ReaderBindings, a_class_named_after_its_base_over_a_local_class_is_unverifiable) {
  const ModuleFacts facts = read("import collections as Base\nclass Base:\n    pass\nclass Base(Base, object):\n    pass\n");
  ASSERT_NE(facts.find_class("Base"), nullptr);
  EXPECT_EQ(facts.find_class("Base")->unverifiable, "its base `Base` is the name this class statement binds again, and the earlier binding is not followed");
}

TEST(ReaderBindings, a_class_named_after_an_imported_base_stays_known) {
  const ModuleFacts facts = read("from base import Plugin\nclass Plugin(Plugin):\n    pass\n");
  ASSERT_NE(facts.find_class("Plugin"), nullptr);
  EXPECT_EQ(facts.find_class("Plugin")->unverifiable, "");
}

TEST(ReaderBindings, a_method_declaring_a_global_may_run_in_the_class_body) {
  const ModuleFacts facts = read("class Plugin:\n    def _set():\n        global flag\n        flag = 1e3\n    _set()\n");
  ASSERT_NE(facts.find_variable("flag"), nullptr);
  EXPECT_NE(facts.find_variable("flag")->unverifiable, "");
}

TEST(ReaderBindings, a_nested_class_replaces_the_method_of_its_name) {
  const ModuleFacts facts = read("class Config(dict):\n    def run(self):\n        pass\n    class run:\n        pass\n");
  EXPECT_EQ(find_method(*facts.find_class("Config"), "run"), nullptr);
}

TEST(ReaderBindings, a_plain_definition_after_a_conditional_one_is_known) {
  const ModuleFacts facts = read("import os\nif os.environ.get('X'):\n    def f(a):\n        pass\ndef f():\n    pass\n");
  ASSERT_NE(facts.find_function("f"), nullptr);
  EXPECT_EQ(facts.find_function("f")->unverifiable, "");
  EXPECT_TRUE(facts.find_function("f")->parameters.empty());
}

}  // namespace
}  // namespace importspy
