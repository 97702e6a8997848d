// The reader's facts, one rule per test; the expectations are what CPython shows at run time.
#include "importspy/source/reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "importspy/source/source_error.hpp"

namespace importspy {
namespace {

ModuleFacts read(std::string_view source, const std::string& module = "pkg.mod", const ReadOptions& options = {}) {
  return read_module_source(source, "pkg/mod.py", module, options);
}

ReadOptions on(const std::string& platform, int minor = 12) {
  ReadOptions options;
  TargetEnvironment env;
  env.sys_platform = platform;
  env.os_name = platform == "win32" ? "nt" : "posix";
  env.platform_system = platform == "win32" ? "Windows" : platform == "darwin" ? "Darwin" : "Linux";
  env.python_minor = minor;
  options.target = env;
  return options;
}

std::string names(const ModuleFacts& facts) {
  std::string out;
  for (const auto& v : facts.variables) out += "v:" + v.name + " ";
  for (const auto& f : facts.functions) out += "f:" + f.name + " ";
  for (const auto& c : facts.classes) out += "c:" + c.name + " ";
  if (!out.empty()) out.pop_back();
  return out;
}

std::string members(const ClassFact& cls) {
  std::string out;
  for (const auto& a : cls.attributes) out += (a.kind == AttributeKind::instance_attribute ? "i:" : "a:") + a.name + " ";
  for (const auto& m : cls.methods) out += "m:" + m.name + " ";
  if (!out.empty()) out.pop_back();
  return out;
}

std::string mro(const ClassFact& cls) {
  std::string out;
  for (const auto& s : cls.superclasses) out += s.name + "=" + s.qualified + " ";
  if (!out.empty()) out.pop_back();
  return out;
}

TEST(Reader, reads_literal_values_of_module_variables) {
  const ModuleFacts facts = read(
      "A = 1\nB = -2.5\nC = 'x' 'y'\nD = [1, (2, 3), {'k': None}]\nE = True\nF = 0xFFFFFFFFFFFFFFFF\nG = b'\\x00a'\nH = {1, 2}\nI = A\n"
      "J = f'{A}'\nK = call()\nL = 1, 2\n");
  EXPECT_EQ(facts.find_variable("A")->value, Value::integer(1));
  EXPECT_EQ(facts.find_variable("A")->annotation, "int");
  EXPECT_EQ(facts.find_variable("B")->value, Value::floating(-2.5));
  EXPECT_EQ(facts.find_variable("C")->value, Value::string("xy"));
  EXPECT_EQ(facts.find_variable("D")->value.repr(), "[1, [2, 3], {'k': None}]");
  EXPECT_EQ(facts.find_variable("E")->value, Value::boolean(true));
  EXPECT_EQ(facts.find_variable("F")->value.text(), "18446744073709551615");
  EXPECT_EQ(facts.find_variable("G")->value.repr(), "b'\\x00a'");
  EXPECT_EQ(facts.find_variable("H")->value.kind(), Value::Kind::opaque);
  EXPECT_EQ(facts.find_variable("I")->value, Value::integer(1));
  EXPECT_EQ(facts.find_variable("J")->value.text(), "an f-string");
  EXPECT_EQ(facts.find_variable("K")->value.text(), "computed by a call");
  EXPECT_EQ(facts.find_variable("L")->value.repr(), "[1, 2]");
}

TEST(Reader, decodes_string_escapes_as_python_does) {
  const ModuleFacts facts = read("A = 'a\\tb\\x41\\u00e9\\101\\q'\nB = r'\\n'\nC = '''x\\\ny'''\n");
  EXPECT_EQ(facts.find_variable("A")->value.text(), "a\tbA\xC3\xA9" "A\\q");
  EXPECT_EQ(facts.find_variable("B")->value.text(), "\\n");
  EXPECT_EQ(facts.find_variable("C")->value.text(), "xy");
}

TEST(Reader, keeps_the_last_value_of_a_repeated_dict_key_at_its_first_place) {
  EXPECT_EQ(read("D = {'a': 1, 'b': 2, 'a': 3}\n").find_variable("D")->value.repr(), "{'a': 3, 'b': 2}");
}

TEST(Reader, reads_signatures_with_kinds_defaults_and_annotations) {
  const ModuleFacts facts = read("def f(a, /, b: int = 1, *args: str, c, d: 'list[int]' = [], **kw) -> dict[str,\n    int]:\n    return {}\n");
  const FunctionFact& f = facts.functions.at(0);
  ASSERT_EQ(f.parameters.size(), 6u);
  EXPECT_EQ(f.parameters[0].kind, ParameterKind::positional_only);
  EXPECT_EQ(f.parameters[1].kind, ParameterKind::positional_or_keyword);
  EXPECT_EQ(f.parameters[1].annotation, "int");
  EXPECT_EQ(*f.parameters[1].default_value, Value::integer(1));
  EXPECT_EQ(f.parameters[2].kind, ParameterKind::var_positional);
  EXPECT_EQ(f.parameters[3].kind, ParameterKind::keyword_only);
  EXPECT_FALSE(f.parameters[3].default_value);
  EXPECT_EQ(f.parameters[4].annotation, "'list[int]'");
  EXPECT_EQ(f.parameters[5].kind, ParameterKind::var_keyword);
  EXPECT_EQ(f.return_annotation, "dict[str, int]");
  EXPECT_EQ(f.line, 1);
}

TEST(Reader, skips_function_bodies_and_reads_what_follows) {
  const ModuleFacts facts = read("async def f(x=lambda a, b=2: a):\n    if x:\n        y = 1\n    class Inner: pass\n\nZ = 2\n");
  EXPECT_EQ(names(facts), "v:Z f:f");
  EXPECT_TRUE(facts.functions[0].is_async);
  EXPECT_EQ(facts.functions[0].parameters.size(), 1u);
}

TEST(Reader, reads_classes_methods_kinds_and_instance_attributes) {
  const ModuleFacts facts = read(
      "class C(Base, metaclass=Meta):\n"
      "    x = 1\n"
      "    y: int\n"
      "    z: ClassVar[int]\n"
      "    def __init__(self, a):\n"
      "        self.a = a\n"
      "        self.b = 2\n"
      "        if a:\n"
      "            self.c = 3\n"
      "    @staticmethod\n"
      "    def s(): pass\n"
      "    @classmethod\n"
      "    def k(cls): pass\n"
      "    @property\n"
      "    def p(self): return 1\n"
      "    @p.setter\n"
      "    def p(self, v): pass\n");
  const ClassFact& c = facts.classes.at(0);
  EXPECT_EQ(members(c), "a:x i:y a:z i:a i:b i:c m:__init__ m:s m:k m:p");
  EXPECT_EQ(c.attributes[4].value, Value::integer(2));
  EXPECT_TRUE(c.attributes[5].value.is_unknown());
  EXPECT_EQ(find_method(c, "s")->kind, CallableKind::static_method);
  EXPECT_EQ(find_method(c, "k")->kind, CallableKind::class_method);
  EXPECT_EQ(find_method(c, "p")->kind, CallableKind::property);
  EXPECT_EQ(find_method(c, "p")->parameters.size(), 1u);  // the getter
}

TEST(Reader, mangles_private_names_in_classes) {
  const ModuleFacts facts = read("class _C:\n    __x = 1\n    def __m(self):\n        self.__y = 2\n    def __dunder__(self): pass\n");
  EXPECT_EQ(members(facts.classes.at(0)), "a:_C__x i:_C__y m:_C__m m:__dunder__");
}

TEST(Reader, copies_chained_method_aliases_without_losing_signatures) {
  // This once crashed: `a = b = m` in a class body.
  std::string source = "class C:\n    def m(self, *a): pass\n";
  for (int i = 0; i < 40; ++i) source += "    a" + std::to_string(i) + " = b" + std::to_string(i) + " = m\n";
  const ModuleFacts facts = read(source);
  const ClassFact& c = facts.classes.at(0);
  EXPECT_EQ(c.methods.size(), 81u);
  for (const auto& m : c.methods) EXPECT_EQ(m.parameters.size(), 2u) << m.name;
}

TEST(Reader, another_name_for_a_module_function_is_that_function) {
  // `load = _load`: at run time the module attribute is the function, with its signature.
  const ModuleFacts facts = read("def _load(fp, *, strict=True): pass\nload = loads = _load\nX = 1\nX = _load\n__all__ = _load\n");
  EXPECT_EQ(names(facts), "f:_load f:load f:loads f:X");
  EXPECT_EQ(facts.find_function("loads")->parameters.size(), 2u);
  EXPECT_EQ(facts.find_function("X")->line, 1);  // the definition's line: the code is the one defined there
}

TEST(Reader, a_conditional_alias_keeps_what_was_bound_before) {
  const ModuleFacts facts = read("def f(a): pass\ndef g(): pass\nif cond:\n    f = g\n");
  EXPECT_EQ(facts.find_function("f")->parameters.size(), 1u);
}

TEST(Reader, a_module_of_many_names_rebinds_each_in_constant_time) {
  // Each binding used to scan every fact bound before it: 100,000 names took 15 s, now a tenth of a second.
  // Counted here as facts, not timed (bench/hostile_bench.py measures the cost).
  std::string source;
  for (int i = 0; i < 20000; ++i) source += "x" + std::to_string(i) + " = 1\ndef x" + std::to_string(i) + "(): pass\n";
  const ModuleFacts facts = read(source);
  EXPECT_TRUE(facts.variables.empty());  // each variable was rebound as a function
  EXPECT_EQ(facts.functions.size(), 20000u);
  EXPECT_EQ(facts.functions.back().name, "x19999");
}

TEST(Reader, leaves_out_names_defined_only_when_run_as_a_script) {
  const ModuleFacts facts = read("def f(): pass\nif __name__ == '__main__':\n    X = 1\n    def main(): pass\nelse:\n    Y = 2\n");
  EXPECT_EQ(names(facts), "v:Y f:f");
  EXPECT_EQ(facts.find_variable("Y")->value, Value::integer(2));  // the branch certainly taken
}

TEST(Reader, leaves_out_names_behind_type_checking) {
  EXPECT_EQ(names(read("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from x import Y\n    Z = 1\n")), "");
}

TEST(Reader, evaluates_platform_branches_for_the_target) {
  const std::string source =
      "import sys, os\n"
      "if sys.platform == 'win32':\n    def f(a): pass\n    W = 1\nelse:\n    def f(a, b): pass\n    P = 2\n"
      "if os.name != 'nt' and sys.platform.startswith(('linux', 'freebsd')):\n    L = 3\n"
      "if sys.version_info >= (3, 11):\n    N = 4\nelse:\n    O = 5\n";
  const ModuleFacts linux = read(source, "m", on("linux"));
  EXPECT_EQ(names(linux), "v:P v:L v:N f:f");
  EXPECT_EQ(linux.functions[0].parameters.size(), 2u);
  EXPECT_EQ(linux.find_variable("P")->value, Value::integer(2));
  const ModuleFacts windows = read(source, "m", on("win32", 10));
  EXPECT_EQ(names(windows), "v:W v:O f:f");
  EXPECT_EQ(windows.functions[0].parameters.size(), 1u);
  // Without a target: both branches, conditional; the first definition kept.
  const ModuleFacts unknown = read(source, "m");
  EXPECT_EQ(names(unknown), "v:W v:P v:L v:N v:O f:f");
  EXPECT_TRUE(unknown.find_variable("P")->value.is_unknown());
}

TEST(Reader, evaluates_the_platform_test_forms_of_the_standard_library) {
  const std::string source =
      "import sys\nif sys.platform.lower().startswith('win'):\n    A = 1\nif sys.platform[:3] == 'win':\n    B = 1\n"
      "if sys.platform in {'win32', 'cygwin'}:\n    C = 1\n";
  EXPECT_EQ(names(read(source, "m", on("linux"))), "");
  EXPECT_EQ(names(read(source, "m", on("win32"))), "v:A v:B v:C");
}

TEST(Reader, follows_imports_and_known_flags_in_platform_tests) {
  const std::string source =
      "import os as _os, sys\nfrom sys import platform\nimport platform as _platform\n"
      "_mswindows = (sys.platform == 'win32')\nif _mswindows:\n    class Handle: pass\n"
      "if _os.name == 'nt':\n    A = 1\nif platform.startswith('linux'):\n    B = 1\nif _platform.system() == 'Darwin':\n    C = 1\n";
  const ModuleFacts linux = read(source, "m", on("linux"));
  EXPECT_EQ(names(linux), "v:_mswindows v:B");
  EXPECT_EQ(linux.find_variable("_mswindows")->value, Value::boolean(false));
  EXPECT_EQ(names(read(source, "m", on("win32"))), "v:_mswindows v:A c:Handle");
  EXPECT_EQ(names(read(source, "m", on("darwin"))), "v:_mswindows v:C");
  // `and`/`or` give an operand, not a bool: such a value stays unknown.
  EXPECT_TRUE(read("import sys\nX = sys.platform == 'linux' or 'other'\n", "m", on("linux")).find_variable("X")->value.is_unknown());
}

TEST(Reader, compares_version_info_as_python_compares_tuples) {
  const std::string source =
      "import sys\nif sys.version_info < (3, 9, 8) or (3, 10) <= sys.version_info < (3, 10, 1):\n    A = 1\n"
      "if sys.version_info >= (3, 14, 0, 'beta'):\n    B = 1\nif sys.version_info[0:2] < (3, 4):\n    C = 1\n"
      "if sys.version_info[0] == 3 and sys.version_info.minor >= 12:\n    D = 1\nif sys.version_info == (3, 12):\n    E = 1\n";
  EXPECT_EQ(names(read(source, "m", on("linux", 12))), "v:D");
  EXPECT_EQ(names(read(source, "m", on("linux", 8))), "v:A");
}

TEST(Reader, applies_del_to_variables_functions_and_classes) {
  EXPECT_EQ(names(read("X = 1\ndef f(): pass\nclass C: pass\nY = 2\ndel X, f\ndel C\n")), "v:Y");
  EXPECT_EQ(members(read("class C:\n    a = 1\n    b = 2\n    del a\n").classes.at(0)), "a:b");
}

TEST(Reader, rebinding_a_name_replaces_its_function_or_class) {
  const ModuleFacts facts = read("class error(Exception): pass\nerror = (error, OSError)\ndef g(): pass\ng = 1\nv = 1\ndef v(): pass\n");
  EXPECT_EQ(names(facts), "v:error v:g f:v");
}

TEST(Reader, reads_named_tuple_and_typed_dict_bases_as_the_runtime_does) {
  const ModuleFacts facts = read("from typing import NamedTuple, TypedDict\nclass P(NamedTuple):\n    x: int\nclass D(TypedDict):\n    k: str\n");
  EXPECT_EQ(mro(facts.classes[0]), "tuple=builtins.tuple object=builtins.object");
  EXPECT_EQ(mro(facts.classes[1]), "dict=builtins.dict object=builtins.object");
}

TEST(Reader, resolves_builtin_aliases_in_bases_and_follows_local_classes) {
  const ModuleFacts facts = read("import base as b\nclass E(IOError): pass\nclass A(b.Plugin):\n    def run(self): pass\nclass B(A): pass\n", "pkg.mod");
  EXPECT_EQ(mro(facts.classes[0]), "OSError=builtins.OSError Exception=builtins.Exception BaseException=builtins.BaseException object=builtins.object");
  EXPECT_EQ(mro(facts.classes[2]), "A=pkg.mod.A Plugin=base.Plugin object=builtins.object");
  EXPECT_EQ(members(facts.classes[2]), "m:run");  // inherited from A
}

TEST(Reader, keeps_bases_that_are_no_names_whole_and_unqualified) {
  const ModuleFacts facts = read("import collections, unittest\nclass P(collections.namedtuple('P', 'x y')): pass\nclass M(type(unittest.TestCase)): pass\n");
  EXPECT_EQ(mro(facts.classes[0]), "collections.namedtuple('P', 'x y')= object=builtins.object");
  EXPECT_EQ(mro(facts.classes[1]), "type(unittest.TestCase)= object=builtins.object");
}

TEST(Reader, reads_annotations_without_grouping_parentheses_or_comments) {
  const ModuleFacts facts = read("def f(x: (\n    int  # small\n    | None\n), y: (int, str) = (1, 'a')) -> ((list[int])): pass\n");
  EXPECT_EQ(facts.functions[0].parameters[0].annotation, "int | None");
  EXPECT_EQ(facts.functions[0].parameters[1].annotation, "(int, str)");
  EXPECT_EQ(facts.functions[0].return_annotation, "list[int]");
}

TEST(Reader, keeps_annotated_metadata_in_annotations) {
  const ModuleFacts facts = read("def f(x: Annotated[int, Doc('the x')] = 1) -> Annotated[\n    str, Doc('out')]: pass\n");
  EXPECT_EQ(facts.functions[0].parameters[0].annotation, "Annotated[int, Doc('the x')]");
  EXPECT_EQ(facts.functions[0].return_annotation, "Annotated[str, Doc('out')]");
}

TEST(Reader, rejects_invalid_utf8_in_a_string_but_not_in_a_comment) {
  EXPECT_EQ(read("# caf\xE9\nX = 1\n").find_variable("X")->value, Value::integer(1));
  try {
    read("X = 1\nY = 'caf\xE9'\n");
    FAIL() << "no error";
  } catch (const SourceReadError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 9);
    EXPECT_NE(e.message().find("0xE9"), std::string::npos);
  }
}

TEST(Reader, reads_imports_and_aliases) {
  const ModuleFacts facts = read("import os.path, sys as system\nfrom . import sibling\nfrom ..up import (a as b,\n    c,)\nfrom x import *\n");
  ASSERT_EQ(facts.imports.size(), 6u);  // the star import is a dependency too; it binds no name
  EXPECT_EQ(facts.imports[5].module, "x");
  EXPECT_EQ(facts.imports[5].name, "*");
  EXPECT_EQ(facts.imports[5].alias, "");
  EXPECT_EQ(facts.imports[0].module, "os.path");
  EXPECT_EQ(facts.imports[0].alias, "os");
  EXPECT_EQ(facts.imports[1].alias, "system");
  EXPECT_EQ(facts.imports[2].module, ".");
  EXPECT_EQ(facts.imports[2].name, "sibling");
  EXPECT_EQ(facts.imports[3].module, "..up");
  EXPECT_EQ(facts.imports[3].alias, "b");
  EXPECT_EQ(facts.imports[4].name, "c");
}

TEST(Reader, reads_try_except_fallbacks_as_conditional) {
  const ModuleFacts facts = read("try:\n    from _c import f\nexcept ImportError:\n    def f(): pass\n    X = 1\nfinally:\n    Y = 2\n");
  EXPECT_EQ(facts.imports.size(), 1u);
  EXPECT_EQ(names(facts), "v:X v:Y f:f");
  EXPECT_TRUE(facts.find_variable("X")->value.is_unknown());
  EXPECT_EQ(facts.find_variable("Y")->value, Value::integer(2));
}

TEST(Reader, marks_values_changed_after_their_assignment_as_unknown) {
  const ModuleFacts facts = read("A = []\nA.append(1)\nB = {}\nB['k'] = 1\nC = D = []\nE = 1\nE += 1\n");
  for (const char* name : {"A", "B", "C", "D", "E"}) EXPECT_TRUE(facts.find_variable(name)->value.is_unknown()) << name;
}

TEST(Reader, reads_the_version_and_ignores_other_dunders) {
  const ModuleFacts facts = read("__version__ = '1.2'\n__all__ = ['x']\n");
  EXPECT_EQ(facts.version, "1.2");
  EXPECT_TRUE(facts.variables.empty());
}

TEST(Reader, reads_match_and_soft_keywords) {
  const ModuleFacts facts = read("match = 1\ntype = 2\nmatch command:\n    case 'a':\n        A = 1\n    case _:\n        B = 2\ntype Alias = list[int]\n");
  EXPECT_EQ(names(facts), "v:match v:type v:A v:B v:Alias");
}

TEST(Reader, reads_pep695_type_parameters_of_classes_and_functions) {
  const ModuleFacts facts = read("class C[T: int, *Ts, **P](Base[T]):\n    def m[U](self, x: U) -> T: pass\ndef f[T](x: T = None) -> list[T]: pass\n");
  EXPECT_EQ(mro(facts.classes.at(0)), "Base= object=builtins.object");
  EXPECT_EQ(find_method(facts.classes[0], "m")->parameters.size(), 2u);
  EXPECT_EQ(facts.functions.at(0).parameters.at(0).annotation, "T");
  EXPECT_EQ(facts.functions[0].return_annotation, "list[T]");
}

TEST(Reader, reads_one_line_bodies_and_semicolons) {
  const ModuleFacts facts = read("class C: a = 1; b = 2\nif True: X = 1; Y = 2\nelse: Z = 3\nfor i in x: W = 4\n");
  EXPECT_EQ(members(facts.classes.at(0)), "a:a a:b");
  EXPECT_EQ(names(facts), "v:X v:Y v:i v:W c:C");  // the loop binds `i` as it binds `W`
}

TEST(Reader, reports_syntax_errors_with_place) {
  try {
    read("def f(:\n    pass\nx = (\n");
    FAIL() << "no error";
  } catch (const SourceReadError& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_NE(e.message().find("'(' was never closed"), std::string::npos);
  }
  try {
    read("if x:\npass\n");
    FAIL() << "no error";
  } catch (const SourceReadError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(e.message().find("expected an indented block after 'if' statement on line 1"), std::string::npos);
  }
}

TEST(Reader, hashes_the_exact_bytes_unless_asked_not_to) {
  const ModuleFacts hashed = read("\xEF\xBB\xBFX = 1\n");
  ASSERT_TRUE(hashed.file_sha256);
  EXPECT_EQ(hashed.file_sha256->size(), 64u);
  EXPECT_NE(*hashed.file_sha256, *read("X = 1\n").file_sha256);  // the BOM counts
  ReadOptions options;
  options.file_sha256 = false;
  EXPECT_FALSE(read("X = 1\n", "m", options).file_sha256);
}

TEST(Reader, rejects_two_operands_in_a_row_even_in_skipped_bodies) {
  for (const char* source : {"print 'x'\n", "def f():\n    print x\n", "s = ur'x'\n", "class C:\n    x = 1 2\n", "exec code in ns\n"}) {
    try {
      read(source);
      ADD_FAILURE() << "no error for: " << source;
    } catch (const SourceReadError& e) {
      EXPECT_NE(e.message().find("invalid syntax"), std::string::npos) << source;
    }
  }
  // Valid neighbours: concatenated strings, soft keywords opening statements, calls and keywords.
  EXPECT_NO_THROW(read("s = 'a' f'{b}' 'c'\nmatch x:\n    case y if y: pass\ntype X = int\nv = f(x)[0] if a else b\n"
                       "w = [x async for x in y]\nz = a not in b\nif x: type Y = int\nprint >>f, 1\nfrom ...pkg import m\nfrom .... import n\n", "pkg.a.b.c.mod"));
}

TEST(Reader, decodes_before_reading_so_utf7_statements_count) {
  const ModuleFacts facts = read("# coding: utf-7\nX = 1 +AAo-Y = 2\n");
  EXPECT_EQ(names(facts), "v:X v:Y");
}

}  // namespace
}  // namespace importspy

namespace importspy {
namespace {

TEST(ReaderLimits, an_inheritance_past_its_limit_is_a_limit_error_at_the_class) {
  ReadOptions options;
  options.inheritance.max_bases = 2;
  try {
    (void)read_module_source("x = 1\n\nclass A(B, C, D):\n    pass\n", "pkg/mod.py", "pkg.mod", options);
    FAIL() << "no error";
  } catch (const SourceReadError& error) {
    EXPECT_EQ(error.kind(), SourceReadError::Kind::limit);
    EXPECT_EQ(error.line(), 3);
    EXPECT_STREQ(error.what(), "pkg/mod.py:3:0: class A has 3 bases, more than the limit of 2");
  }
}

TEST(ReaderLimits, a_stack_of_diamonds_is_read_at_once) {
  std::string source = "class D0: pass\n";
  for (int i = 1; i <= 300; ++i) {
    const std::string n = std::to_string(i), below = "D" + std::to_string(i - 1);
    source += "class L" + n + "(" + below + "): pass\nclass R" + n + "(" + below + "): pass\nclass D" + n + "(L" + n + ", R" + n + "): pass\n";
  }
  const ModuleFacts facts = read_module_source(source, "pkg/mod.py", "pkg.mod");
  EXPECT_EQ(facts.classes.back().superclasses.size(), 901u);
}

}  // namespace
}  // namespace importspy

namespace importspy {
namespace {

TEST(ReaderDynamicNamespace, names_code_that_binds_names_the_source_does_not_show) {
  EXPECT_EQ(read("x = 1\nglobals()['y'] = 2\n").dynamic_namespace, (std::vector<std::string>{"`globals(...)` at line 2"}));
  EXPECT_EQ(read("from os.path import *\n").dynamic_namespace, (std::vector<std::string>{"`import *` at line 1"}));
  EXPECT_EQ(read("class C:\n    global g\n    g = 1\n").dynamic_namespace, (std::vector<std::string>{"`global` in a class body at line 2"}));
  EXPECT_EQ(read("class C:\n    setattr(C, 'x', 1)\n").dynamic_namespace.size(), 1u);
  EXPECT_EQ(read("if cond:\n    exec(code)\n").dynamic_namespace.size(), 1u);  // may run: unsure
}

TEST(ReaderDynamicNamespace, leaves_out_function_bodies_attributes_and_definitions) {
  EXPECT_TRUE(read("def f():\n    exec(code)\n    globals()['x'] = 1\n").dynamic_namespace.empty());  // runs only when called
  EXPECT_TRUE(read("import os\nos.setattr(1)\nengine.exec('select 1')\n").dynamic_namespace.empty());
  EXPECT_TRUE(read("def exec(x): pass\nclass vars(object): pass\n").dynamic_namespace.empty());
  EXPECT_TRUE(read("if False:\n    exec(code)\n").dynamic_namespace.empty());  // never runs
  EXPECT_TRUE(read("class C:\n    def m(self):\n        setattr(self, 'x', 1)\n").dynamic_namespace.empty());
}

}  // namespace
}  // namespace importspy
