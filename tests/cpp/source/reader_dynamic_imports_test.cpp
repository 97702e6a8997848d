// Imports made by code: a call that imports a module by a literal name is an import (ImportFact), any
// other import by code is an unknown import; and code that changes the module's namespace in ways the
// reader cannot follow (deny-when-unsure).
#include <gtest/gtest.h>

#include <string>

#include "importspy/source/reader.hpp"

namespace importspy {
namespace {

ModuleFacts read(std::string_view source, const std::string& module = "pkg.mod") { return read_module_source(source, "pkg/mod.py", module, {}); }

// Each import as `module` or `module:name`, with `(lazy)` / `(class)` when so flagged.
std::vector<std::string> imports_of(const ModuleFacts& facts) {
  std::vector<std::string> out;
  for (const ImportFact& f : facts.imports) {
    out.push_back(f.module + (f.name.empty() ? "" : ":" + f.name) + (f.lazy ? " (lazy)" : "") + (f.in_class ? " (class)" : "") +
                  (f.type_checking ? " (type_checking)" : ""));
  }
  return out;
}

using Names = std::vector<std::string>;

// ---- literal names: imports -----------------------------------------------------------------------

TEST(ReaderDynamicImports, dunder_import_of_a_literal_is_an_import) {
  const ModuleFacts m = read("__import__('subprocess')\n");
  EXPECT_EQ(imports_of(m), Names{"subprocess"});
  EXPECT_EQ(m.imports[0].line, 1);
  EXPECT_TRUE(m.unknown_imports.empty());
}

TEST(ReaderDynamicImports, import_module_of_a_literal_is_an_import) {
  EXPECT_EQ(imports_of(read("import importlib\nmod = importlib.import_module(\"os.path\")\n")), (Names{"importlib", "os.path"}));
}

TEST(ReaderDynamicImports, import_module_resolves_a_relative_name_against_a_literal_package) {
  EXPECT_EQ(imports_of(read("import importlib\nimportlib.import_module('.tools', 'pkg.sub')\n")), (Names{"importlib", "pkg.sub.tools"}));
  EXPECT_EQ(imports_of(read("import importlib\nimportlib.import_module('..tools', package='pkg.sub')\n")), (Names{"importlib", "pkg.tools"}));
}

TEST(ReaderDynamicImports, import_module_of_a_relative_name_without_a_literal_package_is_unknown) {
  const ModuleFacts m = read("import importlib\nimportlib.import_module('.tools', __package__)\n");
  EXPECT_EQ(imports_of(m), Names{"importlib"});
  ASSERT_EQ(m.unknown_imports.size(), 1u);
  EXPECT_EQ(m.unknown_imports[0].line, 2);
}

TEST(ReaderDynamicImports, importlib_dunder_import_of_a_literal_is_an_import) {
  EXPECT_EQ(imports_of(read("import importlib\nimportlib.__import__('socket')\n")), (Names{"importlib", "socket"}));
}

TEST(ReaderDynamicImports, an_alias_of_importlib_imports_too) {
  EXPECT_EQ(imports_of(read("import importlib as il\nil.import_module('ctypes')\n")), (Names{"importlib", "ctypes"}));
}

TEST(ReaderDynamicImports, an_alias_of_import_module_imports_too) {
  EXPECT_EQ(imports_of(read("from importlib import import_module as im\nim('ctypes')\n")), (Names{"importlib:import_module", "ctypes"}));
  EXPECT_EQ(imports_of(read("from importlib import import_module\nimport_module('ctypes')\n")), (Names{"importlib:import_module", "ctypes"}));
}

TEST(ReaderDynamicImports, dunder_import_with_a_fromlist_imports_its_names_from_the_module) {
  EXPECT_EQ(imports_of(read("__import__('os', globals(), locals(), ['path'], 0)\n")), (Names{"os:path"}));
}

TEST(ReaderDynamicImports, dunder_import_with_a_level_is_relative) {
  EXPECT_EQ(imports_of(read("__import__('tools', level=1)\n")), (Names{".tools"}));
}

TEST(ReaderDynamicImports, a_call_in_a_function_body_is_a_lazy_import) {
  EXPECT_EQ(imports_of(read("def f():\n    x = 1\n    return __import__('subprocess')\n")), (Names{"subprocess (lazy)"}));
  EXPECT_EQ(imports_of(read("def f(): return __import__('subprocess')\n")), (Names{"subprocess (lazy)"}));
  EXPECT_EQ(imports_of(read("import importlib\nclass C:\n    def m(self):\n        importlib.import_module('ssl')\n")),
            (Names{"importlib", "ssl (lazy)"}));
}

TEST(ReaderDynamicImports, a_call_in_a_default_value_runs_at_import) {
  EXPECT_EQ(imports_of(read("def f(m=__import__('subprocess')):\n    pass\n")), (Names{"subprocess"}));
}

TEST(ReaderDynamicImports, a_call_in_a_class_body_is_an_import_in_a_class_body) {
  EXPECT_EQ(imports_of(read("class C:\n    sp = __import__('subprocess')\n")), (Names{"subprocess (class)"}));
}

TEST(ReaderDynamicImports, a_call_under_type_checking_is_flagged_so) {
  EXPECT_EQ(imports_of(read("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    __import__('subprocess')\n")),
            (Names{"typing:TYPE_CHECKING", "subprocess (type_checking)"}));
}

TEST(ReaderDynamicImports, a_method_or_attribute_of_the_same_name_is_not_an_import) {
  const ModuleFacts m = read("loader.import_module('x')\nobj.getattr(importlib, 'y')\n");
  EXPECT_TRUE(m.imports.empty());
  EXPECT_TRUE(m.unknown_imports.empty());
}

// ---- anything else: unknown imports ---------------------------------------------------------------

std::size_t unknown(std::string_view source) { return read(source).unknown_imports.size(); }

TEST(ReaderDynamicImports, a_computed_name_is_an_unknown_import) {
  const ModuleFacts m = read("name = 'sub' + 'process'\n__import__(name)\n");
  ASSERT_EQ(m.unknown_imports.size(), 1u);
  EXPECT_EQ(m.unknown_imports[0].text, "__import__(name)");
  EXPECT_EQ(m.unknown_imports[0].line, 2);
  EXPECT_NE(m.unknown_imports[0].reason.find("computed"), std::string::npos);
  EXPECT_EQ(unknown("import importlib\nimportlib.import_module(f'sub{x}')\n"), 1u);
  EXPECT_EQ(unknown("import importlib\nimportlib.import_module(*names)\n"), 1u);
}

TEST(ReaderDynamicImports, getattr_of_importlib_or_the_builtins_is_an_unknown_import) {
  EXPECT_EQ(unknown("import importlib\ngetattr(importlib, 'import_module')('subprocess')\n"), 1u);
  EXPECT_EQ(unknown("import builtins\ngetattr(builtins, '__import__')('subprocess')\n"), 1u);
}

TEST(ReaderDynamicImports, the_builtins_dunder_import_is_an_unknown_import) {
  EXPECT_EQ(unknown("__builtins__.__import__('subprocess')\n"), 1u);
  EXPECT_EQ(unknown("import builtins\nbuiltins.__import__('subprocess')\n"), 1u);
  EXPECT_EQ(unknown("__builtins__['__import__']('subprocess')\n"), 1u);
}

TEST(ReaderDynamicImports, exec_eval_or_dunder_import_handed_on_as_a_value_is_an_unknown_import) {
  const ModuleFacts m = read("run = exec\nrun('import subprocess')\n");
  ASSERT_EQ(m.unknown_imports.size(), 1u);
  EXPECT_EQ(m.unknown_imports[0].text, "exec");
  EXPECT_EQ(m.unknown_imports[0].line, 1);
  EXPECT_NE(m.unknown_imports[0].reason.find("handed on as a value"), std::string::npos) << m.unknown_imports[0].reason;
  EXPECT_EQ(unknown("load = __import__\nload('subprocess')\n"), 1u);
  EXPECT_EQ(unknown("from builtins import eval as run\n"), 1u);
  EXPECT_EQ(unknown("apply(exec, 'import os')\n"), 1u);
}

TEST(ReaderDynamicImports, names_that_only_look_like_exec_are_not_imports) {
  EXPECT_EQ(unknown("f(eval=True)\nobj.exec\ndef exec(x):\n    pass\n"), 0u);
}

TEST(ReaderDynamicImports, exec_and_eval_are_unknown_imports) {
  EXPECT_EQ(unknown("exec('import subprocess')\n"), 1u);
  EXPECT_EQ(unknown("eval(\"__import__('subprocess')\")\n"), 1u);
  EXPECT_EQ(unknown("def f():\n    exec(code)\n"), 1u);  // lazy, but an import rule still cannot see it
}

TEST(ReaderDynamicImports, runpy_imp_and_loaders_are_unknown_imports) {
  EXPECT_EQ(unknown("import runpy\nrunpy.run_module('subprocess')\n"), 1u);
  EXPECT_EQ(unknown("import imp\nimp.load_source('m', 'm.py')\n"), 1u);
  EXPECT_EQ(unknown("import pkgutil\npkgutil.resolve_name('subprocess:run')\n"), 1u);
  EXPECT_EQ(unknown("import importlib.util\nspec = importlib.util.spec_from_file_location('m', 'm.py')\n"
                    "mod = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(mod)\n"),
            3u);
}

// ---- the namespace: what deny-when-unsure missed ---------------------------------------------------

std::size_t dynamic(std::string_view source) { return read(source).dynamic_namespace.size(); }

TEST(ReaderDynamicNamespace, the_module_object_through_sys_modules_changes_the_namespace) {
  EXPECT_EQ(dynamic("import sys\nsys.modules[__name__].__dict__['register'] = print\n"), 1u);
  EXPECT_EQ(dynamic("import sys\nsetattr(sys.modules[__name__], 'register', print)\n"), 1u);
}

TEST(ReaderDynamicNamespace, a_frame_s_globals_change_the_namespace) {
  EXPECT_EQ(dynamic("import sys\nsys._getframe().f_globals['register'] = print\n"), 1u);
  EXPECT_EQ(dynamic("import inspect\ninspect.currentframe().f_globals['register'] = print\n"), 1u);
}

TEST(ReaderDynamicNamespace, vars_and_locals_at_module_level_change_the_namespace) {
  EXPECT_EQ(dynamic("vars()['register'] = print\n"), 1u);
  EXPECT_EQ(dynamic("locals()['register'] = print\n"), 1u);
}

TEST(ReaderDynamicNamespace, exec_through_an_alias_or_the_builtins_changes_the_namespace) {
  EXPECT_EQ(dynamic("e = exec\ne('def register(): pass')\n"), 1u);
  EXPECT_EQ(dynamic("import builtins\nbuiltins.exec('def register(): pass')\n"), 1u);
  EXPECT_EQ(dynamic("__builtins__['exec']('def register(): pass')\n"), 1u);
  EXPECT_EQ(dynamic("from builtins import exec as run\nrun('def register(): pass')\n"), 1u);
}

TEST(ReaderDynamicNamespace, reloading_changes_the_namespace) {
  EXPECT_EQ(dynamic("import importlib, sys\nimportlib.reload(sys.modules[__name__])\n"), 1u);
}

TEST(ReaderDynamicNamespace, a_keyword_argument_named_like_a_builtin_is_not_a_change) {
  EXPECT_EQ(dynamic("configure(eval=True, vars=1)\n"), 0u);
}

TEST(ReaderDynamicNamespace, global_in_a_function_makes_the_names_it_declares_unverifiable) {
  const ModuleFacts m = read("def register():\n    pass\nengine = 'a'\nother = 1\ndef setup():\n    global register, engine\n    register = print\n");
  ASSERT_EQ(m.functions.size(), 2u);
  EXPECT_NE(m.functions[0].unverifiable.find("`global register` (line 6)"), std::string::npos) << m.functions[0].unverifiable;
  EXPECT_TRUE(m.functions[1].unverifiable.empty());
  ASSERT_EQ(m.variables.size(), 2u);
  EXPECT_FALSE(m.variables[0].unverifiable.empty());
  EXPECT_TRUE(m.variables[1].unverifiable.empty());
  EXPECT_FALSE(read("def setup(): global engine\nengine = 1\n").variables[0].unverifiable.empty());
}

}  // namespace
}  // namespace importspy

namespace importspy {
namespace {

TEST(ReaderUnknownDecorators, a_function_decorated_by_an_unknown_decorator_is_unverifiable) {
  const ModuleFacts m = read_module_source("def wrap(f):\n    return f\n\n@wrap\ndef register(host):\n    pass\n", "pkg/mod.py", "pkg.mod", {});
  ASSERT_EQ(m.functions.size(), 2u);
  EXPECT_TRUE(m.functions[0].unverifiable.empty());
  EXPECT_EQ(m.functions[1].unverifiable, "decorated at line 4 by `wrap` (defined at line 1), whose result the reader cannot know");
}

TEST(ReaderUnknownDecorators, the_builtin_descriptors_and_markers_are_known) {
  const ModuleFacts m = read_module_source(
      "import abc\nclass C:\n    @staticmethod\n    def s(): pass\n    @property\n    def p(self): pass\n    @p.setter\n    def p(self, v): pass\n"
      "    @abc.abstractmethod\n    def a(self): pass\n    @functools.lru_cache()\n    def c(self): pass\n",
      "pkg/mod.py", "pkg.mod", {});
  ASSERT_EQ(m.classes.size(), 1u);
  for (const FunctionFact& f : m.classes[0].methods) EXPECT_EQ(f.unverifiable.empty(), f.name != "c") << f.name;
}

}  // namespace
}  // namespace importspy
