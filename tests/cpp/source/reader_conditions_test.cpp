// Conditions of `if`/`elif` are decided only when every name they read is provably what it looks like
// at that point of the module, with Python's comparison semantics; otherwise their branches read as
// conditional. Each expectation is what CPython 3.10-3.13 does with the same module imported as
// `pkg.mod` on Linux (CPython 3.12 as the target).
#include "importspy/source/reader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace importspy {
namespace {

ReadOptions on(const std::string& platform, int minor = 12) {
  ReadOptions options;
  TargetEnvironment env;
  env.sys_platform = platform;
  env.os_name = platform == "win32" ? "nt" : "posix";
  env.platform_system = platform == "win32" ? "Windows" : "Linux";
  env.python_major = 3;
  env.python_minor = minor;
  options.target = env;
  return options;
}

ModuleFacts read(std::string_view source, const ReadOptions& options = on("linux")) {
  return read_module_source(source, "pkg/mod.py", "pkg.mod", options);
}

// What the reader made of the branch that binds `W = 1`: "taken" (decided true), "dropped" (decided
// false) or "conditional" (undecided).
std::string branch(std::string_view source, const ReadOptions& options = on("linux")) {
  const ModuleFacts facts = read(source, options);
  const VariableFact* w = facts.find_variable("W");
  if (!w) return "dropped";
  return w->value.is_unknown() ? "conditional" : "taken";
}

// ---- names bound by the module, not by their spelling -----------------------------------------------

TEST(ReaderConditions, an_imported_name_still_bound_decides_the_condition) {
  EXPECT_EQ(branch("import sys\nif sys.platform == 'win32':\n    W = 1\n"), "dropped");
  EXPECT_EQ(branch("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    W = 1\n"), "dropped");
  EXPECT_EQ(branch("if __name__ == '__main__':\n    W = 1\n"), "dropped");
}

TEST(ReaderConditions, an_import_in_a_branch_proved_dead_does_not_rebind_the_name_a_condition_reads) {
  EXPECT_EQ(branch("import sys\nif sys.version_info < (3, 0):\n    import os as sys\nif sys.platform == 'linux':\n    W = 1\n"), "taken");
  EXPECT_EQ(branch("import sys\nif TYPE_CHECKING:\n    import os as sys\nif sys.platform == 'linux':\n    W = 1\n"), "conditional");
}

TEST(ReaderConditions, an_import_in_a_function_body_does_not_rebind_the_module_name_a_condition_reads) {
  EXPECT_EQ(branch("import sys\ndef f():\n    import os as sys\nif sys.platform == 'linux':\n    W = 1\n"), "taken");
}

TEST(ReaderConditions, type_checking_assigned_true_by_the_module_is_true) {
  EXPECT_EQ(branch("TYPE_CHECKING = True\nif TYPE_CHECKING:\n    W = 1\n"), "taken");
  EXPECT_EQ(branch("from typing import TYPE_CHECKING\nTYPE_CHECKING = True\nif TYPE_CHECKING:\n    W = 1\n"), "taken");
}

TEST(ReaderConditions, type_checking_assigned_false_by_the_module_is_false) {
  EXPECT_EQ(branch("TYPE_CHECKING = False\nif TYPE_CHECKING:\n    W = 1\n"), "dropped");
}

TEST(ReaderConditions, a_class_named_sys_with_a_platform_attribute_is_not_the_sys_module) {
  EXPECT_EQ(branch("import sys\nclass sys:\n    platform = 'win32'\nif sys.platform == 'win32':\n    W = 1\n"), "conditional");
}

TEST(ReaderConditions, a_class_named_t_with_a_type_checking_attribute_is_not_typing) {
  EXPECT_EQ(branch("import typing as t\nclass t:\n    TYPE_CHECKING = True\nif t.TYPE_CHECKING:\n    W = 1\n"), "conditional");
  EXPECT_EQ(branch("class t:\n    TYPE_CHECKING = True\nif t.TYPE_CHECKING:\n    W = 1\n"), "conditional");
}

TEST(ReaderConditions, dunder_name_assigned_by_the_module_is_not_the_import_name) {
  EXPECT_EQ(branch("__name__ = '__main__'\nif __name__ == '__main__':\n    W = 1\n"), "conditional");
}

TEST(ReaderConditions, a_flag_decided_earlier_and_rebound_by_for_is_undecided) {
  const std::string head = "import sys\n_win = sys.platform == 'win32'\n";
  EXPECT_EQ(branch(head + "if _win:\n    W = 1\n"), "dropped");
  EXPECT_EQ(branch(head + "for _win in [True]:\n    pass\nif _win:\n    W = 1\n"), "conditional");
}

TEST(ReaderConditions, a_class_body_whose_metaclass_prepares_the_namespace_decides_nothing) {
  // `class M(type)` whose __prepare__ returns {'__name__': '__main__'}: CPython runs the branch.
  const ModuleFacts facts = read("class A(metaclass=M):\n    if __name__ == '__main__':\n        def f(self): pass\n");
  ASSERT_EQ(facts.classes.size(), 1u);
  EXPECT_NE(find_method(facts.classes[0], "f"), nullptr);
  const ModuleFacts based = read("class Base(metaclass=M): pass\nclass A(Base):\n    if __name__ == '__main__':\n        def f(self): pass\n");
  EXPECT_NE(find_method(based.classes[1], "f"), nullptr);
}

TEST(ReaderConditions, a_plain_class_body_reads_the_module_name) {
  const ModuleFacts facts = read("class B:\n    if __name__ == '__main__':\n        def g(self): pass\n    if __name__ == 'pkg.mod':\n        def h(self): pass\n");
  ASSERT_EQ(facts.classes.size(), 1u);
  EXPECT_EQ(find_method(facts.classes[0], "g"), nullptr);
  EXPECT_NE(find_method(facts.classes[0], "h"), nullptr);
}

TEST(ReaderConditions, a_class_body_binding_the_name_itself_decides_nothing) {
  const ModuleFacts facts = read("import sys\nclass B:\n    sys = None\n    if sys.platform == 'win32':\n        def g(self): pass\n");
  EXPECT_NE(find_method(facts.classes[0], "g"), nullptr);
}

TEST(ReaderConditions, a_parameter_or_local_of_a_method_is_not_the_module_name) {
  for (const std::string body : {"    def __init__(self, sys):\n", "    def __init__(self, *, sys=None):\n", "    def __init__(self):\n        sys = load()\n",
                                 "    def __init__(self):\n        import os as sys\n", "    def __init__(self):\n        for sys in x: pass\n"}) {
    const ModuleFacts facts = read("import sys\nclass A:\n" + body + "        if sys.platform == 'win32':\n            self.w = 1\n");
    ASSERT_EQ(facts.classes.size(), 1u) << body;
    EXPECT_EQ(facts.classes[0].attributes.size(), 1u) << body;
  }
  const ModuleFacts decided = read("import sys\nclass A:\n    def __init__(self, s):\n        if sys.platform == 'win32':\n            self.w = 1\n");
  EXPECT_EQ(decided.classes[0].attributes.size(), 0u);
}

TEST(ReaderConditions, typing_imported_under_an_alias_is_recognised) {
  const ModuleFacts facts = read("import typing as tp\nif tp.TYPE_CHECKING:\n    from x import Y\n    W = 1\n");
  EXPECT_EQ(facts.find_variable("W"), nullptr);
  ASSERT_EQ(facts.imports.size(), 2u);
  EXPECT_TRUE(facts.imports[1].type_checking);
  EXPECT_EQ(branch("import typing_extensions as te\nif te.TYPE_CHECKING:\n    W = 1\n"), "dropped");
}

TEST(ReaderConditions, a_name_rebound_by_any_binding_form_decides_nothing) {
  const std::string head = "import sys\n";
  const std::string test = "if sys.platform == 'win32':\n    W = 1\n";
  for (const std::string rebinding : {"sys = object()\n", "with open('x') as sys:\n    pass\n", "(sys := object())\n", "try:\n    pass\nexcept E as sys:\n    pass\n",
                                      "def sys(): pass\n", "for sys in []:\n    pass\n", "a, sys = 1, 2\n", "[a, *sys] = 1, 2\n", "sys: object = None\n",
                                      "sys += 1\n", "del sys\n", "from os import sys\n", "import os as sys\n", "import sys.monitoring as sys\n",
                                      "def f():\n    global sys\n    sys = 1\nf()\n", "match x:\n    case sys:\n        pass\n",
                                      "if False:\n    pass\nelse:\n    sys = 1\n", "[y for y in (sys := [])]\n", "class C: pass\nsys = C\n"}) {
    EXPECT_EQ(branch(head + rebinding + test), "conditional") << rebinding;
  }
}

TEST(ReaderConditions, a_module_changed_through_its_name_decides_nothing) {
  const std::string head = "import sys\n";
  const std::string test = "if sys.platform == 'win32':\n    W = 1\n";
  for (const std::string change : {"sys.platform = 'win32'\n", "def f():\n    sys.platform = 'win32'\nf()\n", "hide(sys)\n", "alias = sys\n",
                                   "setattr_later = [sys]\n", "hasattr = hide\nhasattr(sys, 'x')\n", "del sys.platform\n"}) {
    EXPECT_EQ(branch(head + change + test), "conditional") << change;
  }
}

TEST(ReaderConditions, a_function_that_changes_or_rebinds_the_name_decides_nothing_even_if_defined_first) {
  const std::string test = "if sys.platform == 'win32':\n    W = 1\n";
  for (const std::string function : {"def f():\n    sys.platform = 'win32'\n", "def f():\n    global sys\n    sys = fake\n", "def f():\n    hide(sys)\n"}) {
    EXPECT_EQ(branch(function + "import sys\nf()\n" + test), "conditional") << function;
  }
}

TEST(ReaderConditions, code_that_binds_names_through_a_namespace_mapping_decides_nothing) {
  const std::string test = "if TYPE_CHECKING:\n    W = 1\n";
  for (const std::string dynamic : {"globals()['TYPE_CHECKING'] = True\n", "exec('TYPE_CHECKING = True')\n", "vars(mod)[key] = 1\n",
                                    "sys.modules[__name__].__dict__['TYPE_CHECKING'] = True\n", "sys._getframe().f_globals['TYPE_CHECKING'] = True\n",
                                    "def f():\n    globals().update(TYPE_CHECKING=True)\n"}) {
    EXPECT_EQ(branch("import sys\nfrom typing import TYPE_CHECKING\n" + dynamic + test), "conditional") << dynamic;
  }
  EXPECT_EQ(branch("globals()['x'] = 1\nfrom typing import TYPE_CHECKING\n" + test), "dropped");  // bound again after
  EXPECT_EQ(branch("from typing import TYPE_CHECKING\ndef f():\n    globals()['other'] = 1\n" + test), "dropped");  // another name
  EXPECT_EQ(branch("from typing import TYPE_CHECKING\ndef f():\n    globals()['TYPE_CHECKING'] = 1\n" + test), "conditional");
}

TEST(ReaderConditions, code_that_reaches_this_module_through_sys_modules_decides_nothing) {
  for (const std::string reach : {"setattr(sys.modules[__name__], 'flag', 1)\n", "sys.modules[__name__].flag = 1\n",
                                  "me = sys.modules.get(__name__)\nme.flag = 1\n", "x = sys.modules[__name__]\n", "def f():\n    sys.modules[__name__].flag = 1\n"}) {
    std::string source = "import sys\nflag = 0\n" + reach + "if flag:\n    W = 1\n";
    EXPECT_EQ(branch(source), "conditional") << reach;
  }
  // Another module looked up by its literal name reaches nothing of this one's.
  EXPECT_EQ(branch("import sys\nflag = 0\nsys.modules['os'].sep\nif flag:\n    W = 1\n"), "dropped");
  EXPECT_EQ(branch("import sys, os\nflag = 0\n_os = sys.modules[os.name]\nif flag:\n    W = 1\n"), "dropped");
}

TEST(ReaderConditions, an_import_after_sys_modules_or_an_import_hook_changed_decides_nothing) {
  for (const std::string change : {"sys.modules['os'] = fake\n", "sys.meta_path.insert(0, Finder())\n", "sys.modules.update(os=fake)\n",
                                   "builtins.__import__ = fake\n"}) {
    EXPECT_EQ(branch("import sys\n" + change + "import os\nif os.name == 'nt':\n    W = 1\n"), "conditional") << change;
  }
}

TEST(ReaderConditions, reading_a_module_is_no_change) {
  const std::string head = "import sys, os\n";
  for (const std::string use : {"print(sys.platform, file=sys.stderr)\n", "x = sys.modules['os']\n", "def f(a=sys.maxsize):\n    return sys.argv\n",
                                "def g():\n    return sys.platform\n", "if hasattr(sys, 'x'):\n    pass\n", "X = [s for s in sys.path]\n", "if sys.platform == 'darwin':\n    pass\n"}) {
    EXPECT_EQ(branch(head + use + "if sys.platform == 'win32':\n    W = 1\n"), "dropped") << use;
  }
}

TEST(ReaderConditions, a_branch_proved_dead_rebinds_nothing) {
  EXPECT_EQ(branch("import sys\nif sys.platform == 'win32':\n    sys = None\nif sys.platform == 'win32':\n    W = 1\n"), "dropped");
  EXPECT_EQ(branch("import sys\nif sys.platform == 'win32':\n    pass\nelse:\n    sys = None\nif sys.platform == 'win32':\n    W = 1\n"), "conditional");
}

TEST(ReaderConditions, flags_assigned_together_are_each_known) {
  EXPECT_EQ(branch("import sys\nif sys.platform in ('linux', 'darwin'):\n    _AIX = _LINUX = False\nelse:\n    _AIX = sys.platform == 'aix'\n"
                   "if _AIX or _LINUX:\n    W = 1\n"),
            "dropped");
}

TEST(ReaderConditions, a_name_never_bound_decides_nothing) {
  EXPECT_EQ(branch("if sys.platform == 'win32':\n    W = 1\n"), "conditional");
  EXPECT_EQ(branch("if TYPE_CHECKING:\n    W = 1\n"), "conditional");
  EXPECT_EQ(branch("if _win:\n    W = 1\n"), "conditional");
}

// ---- Python's comparison semantics ------------------------------------------------------------------

TEST(ReaderConditions, a_tuple_never_equals_a_list) {
  EXPECT_EQ(branch("import sys\nif sys.version_info[:2] != [3, 12]:\n    W = 1\n"), "taken");
  EXPECT_EQ(branch("import sys\nif sys.version_info[:2] == [3, 12]:\n    W = 1\n"), "dropped");
}

TEST(ReaderConditions, a_tuple_ordered_against_a_list_raises_and_is_undecided) {
  EXPECT_EQ(branch("import sys\nif sys.version_info >= [3]:\n    W = 1\n"), "conditional");
}

TEST(ReaderConditions, an_int_equals_the_float_of_the_same_value) {
  EXPECT_EQ(branch("import sys\nif sys.version_info[0] == 3.0:\n    W = 1\n"), "taken");
  EXPECT_EQ(branch("import sys\nif sys.version_info.minor < 12.5:\n    W = 1\n"), "taken");
  EXPECT_EQ(branch("import sys\nif sys.version_info[:2] == (3.0, 12.0):\n    W = 1\n"), "taken");
  EXPECT_EQ(branch("import sys\nif sys.version_info[0] == 3.0000000001:\n    W = 1\n"), "dropped");
}

TEST(ReaderConditions, in_on_a_str_is_a_substring_test) {
  EXPECT_EQ(branch("import sys\nif sys.platform in 'linux64':\n    W = 1\n"), "taken");
  EXPECT_EQ(branch("import sys\nif sys.platform not in 'linux64':\n    W = 1\n"), "dropped");
  EXPECT_EQ(branch("import sys\nif sys.platform in 'lin':\n    W = 1\n"), "dropped");
}

TEST(ReaderConditions, in_on_a_tuple_list_or_set_compares_each_item) {
  EXPECT_EQ(branch("import sys\nif sys.platform in ('linux', 1):\n    W = 1\n"), "taken");
  EXPECT_EQ(branch("import sys\nif sys.platform in ['darwin', 'win32']:\n    W = 1\n"), "dropped");
  EXPECT_EQ(branch("import sys\nif sys.platform in {'linux'}:\n    W = 1\n"), "taken");
  EXPECT_EQ(branch("import sys\nif sys.version_info[0] in (2, 3):\n    W = 1\n"), "taken");
  EXPECT_EQ(branch("import sys\nif sys.version_info[0] in 'x3':\n    W = 1\n"), "conditional");  // TypeError
}

TEST(ReaderConditions, tuples_of_different_lengths_order_lexicographically) {
  EXPECT_EQ(branch("import sys\nif sys.version_info[:2] < (3, 12, 0):\n    W = 1\n"), "taken");
  EXPECT_EQ(branch("import sys\nif sys.version_info > (3, 12):\n    W = 1\n"), "taken");
  EXPECT_EQ(branch("import sys\nif sys.version_info[:2] == (3, 12, 0):\n    W = 1\n"), "dropped");
}

TEST(ReaderConditions, an_ordering_between_str_and_int_raises_and_is_undecided) {
  EXPECT_EQ(branch("import sys\nif sys.platform < 3:\n    W = 1\n"), "conditional");
  EXPECT_EQ(branch("import sys\nif sys.platform == 3:\n    W = 1\n"), "dropped");
  EXPECT_EQ(branch("import sys\nif sys.version_info < (3, 'x'):\n    W = 1\n"), "conditional");
}

TEST(ReaderConditions, startswith_takes_a_str_or_a_tuple_of_str_only) {
  EXPECT_EQ(branch("import sys\nif sys.platform.startswith(('win', 'lin')):\n    W = 1\n"), "taken");
  EXPECT_EQ(branch("import sys\nif sys.platform.startswith(['lin']):\n    W = 1\n"), "conditional");
}

}  // namespace
}  // namespace importspy
