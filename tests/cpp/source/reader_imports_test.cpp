// Import statements the module does not run at import time: lazy ones (function and method bodies) and
// those under `if TYPE_CHECKING:`, recorded with their flag; module-level imports keep no flag.
#include <gtest/gtest.h>

#include <algorithm>

#include <string>

#include "importspy/facts/static_rules.hpp"
#include "importspy/source/reader.hpp"
#include "importspy/source/source_error.hpp"
#include "import_facts_text.hpp"

namespace importspy {
namespace {

ModuleFacts read(std::string_view source) { return read_module_source(source, "pkg/mod.py", "pkg.mod"); }

using testing::imports_of;

TEST(ReaderImports, imports_in_function_bodies_are_lazy_at_their_lines) {
  EXPECT_EQ(imports_of(read("import os\n"
                            "def f():\n"
                            "    import json\n"
                            "    if x:\n"
                            "        from .base import Plugin as P\n"
                            "    def g(): import re; import sys\n"
                            "async def h(): from a.b import (c,\n"
                            "    d)\n")),
            "os::1 json::3:lazy .base:Plugin:5:lazy re::6:lazy sys::6:lazy a.b:c:7:lazy a.b:d:7:lazy");
}

TEST(ReaderImports, imports_in_a_class_body_run_at_import_time_and_bind_no_module_name) {
  const ModuleFacts facts = read("class C:\n"
                                 "    import json\n"
                                 "    from os import path as p; x = 1\n"
                                 "    if True:\n"
                                 "        import csv\n"
                                 "    def m(self):\n"
                                 "        import re\n");
  EXPECT_EQ(imports_of(facts), "json::2:class os:path:3:class csv::5:class re::7:lazy");
  // `json` and `p` are attributes of C, not names of the module.
  EXPECT_TRUE(std::none_of(facts.variables.begin(), facts.variables.end(), [](const VariableFact& v) { return v.name == "json" || v.name == "p"; }));
}

TEST(ReaderImports, imports_in_a_class_nested_in_a_class_are_recorded_and_its_methods_imports_are_lazy) {
  EXPECT_EQ(imports_of(read("class Outer:\n"
                            "    class Inner:\n"
                            "        import json\n"
                            "        class Deeper: from os import path\n"
                            "        def m(self):\n"
                            "            from sympy import S\n"
                            "        async def n(self): import re\n"
                            "        x = 1; import csv\n"
                            "    import sys\n")),
            "json::3:class os:path:4:class sympy:S:6:lazy re::7:lazy csv::8:class sys::9:class");
}

TEST(ReaderImports, imports_in_method_bodies_and_static_methods_are_lazy) {
  EXPECT_EQ(imports_of(read("class C:\n"
                            "    def m(self):\n"
                            "        import json\n"
                            "        self.x = 1\n"
                            "    @staticmethod\n"
                            "    def s():\n"
                            "        import re\n"
                            "    def n(self): import sys\n")),
            "json::3:lazy re::7:lazy sys::8:lazy");
}

TEST(ReaderImports, type_checking_imports_are_flagged_and_the_else_branch_is_not) {
  EXPECT_EQ(imports_of(read("import typing\n"
                            "from typing import TYPE_CHECKING\n"
                            "if TYPE_CHECKING:\n"
                            "    from requests import Session\n"
                            "    def f(): import x\n"
                            "else:\n"
                            "    Session = None\n"
                            "if typing.TYPE_CHECKING: import y\n")),
            "typing::1 typing:TYPE_CHECKING:2 requests:Session:4:tc x::5:tc y::8:tc");
}

TEST(ReaderImports, type_checking_and_another_condition_records_type_checking_imports) {
  EXPECT_EQ(imports_of(read("from typing import TYPE_CHECKING\n"
                            "if TYPE_CHECKING and sys.version_info >= (3, 11):\n"
                            "    from a import b\n"
                            "if (x and TYPE_CHECKING):\n"
                            "    import c\n"
                            "if TYPE_CHECKING or x:\n"
                            "    import d\n")),
            "typing:TYPE_CHECKING:1 a:b:3:tc c::5:tc d::7");
}

TEST(ReaderImports, imports_under_a_main_guard_are_recorded_and_marked) {
  EXPECT_EQ(imports_of(read("import sys\n"
                            "if __name__ == '__main__':\n"
                            "    import cli\n"
                            "    def main(): from app import run\n"
                            "if ('__main__' == __name__) and len(sys.argv) > 1: from tool import go\n"
                            "if __name__ != '__main__':\n"
                            "    import imported\n"
                            "else:\n"
                            "    import never\n")),
            "sys::1 cli::3:main app:run:4:main tool:go:5:main imported::7");
}

TEST(ReaderImports, main_guard_imports_bind_no_module_name) {
  const ModuleFacts facts = read("if __name__ == '__main__':\n    import os as o\n");
  EXPECT_EQ(resolve_through_imports(facts.imports, "pkg", "o.path"), "");
}

TEST(ReaderImports, branches_decided_false_for_other_reasons_record_nothing) {
  EXPECT_EQ(imports_of(read("if False:\n    import cli\nif __name__ == 'other':\n    import x\n")), "");
}

TEST(ReaderImports, pep_810_lazy_imports_are_lazy_imports_and_lazy_stays_a_name_elsewhere) {
  const ModuleFacts facts = read("lazy import json\n"
                                 "lazy from os import path as p, sep\n"
                                 "lazy from . import sibling\n"
                                 "lazy = 1\n"
                                 "lazy(x)\n"
                                 "x = lazy\n");
  EXPECT_EQ(imports_of(facts), "json::1:lazy os:path:2:lazy os:sep:2:lazy .:sibling:3:lazy");
  EXPECT_TRUE(std::any_of(facts.variables.begin(), facts.variables.end(), [](const VariableFact& v) { return v.name == "lazy"; }));
  EXPECT_EQ(resolve_through_imports(facts.imports, "pkg", "p.join"), "");
}

TEST(ReaderImports, words_import_and_from_inside_expressions_are_not_statements) {
  EXPECT_EQ(imports_of(read("def f():\n"
                            "    raise E from None\n"
                            "    x = [y for y in z]\n"
                            "    yield from g()\n"
                            "    s = 'import os'\n")),
            "");
}

TEST(ReaderImports, deferred_imports_bind_no_module_name) {
  // `json` is imported only inside a function: a module-level `json.x` is not followed through it.
  const ModuleFacts facts = read("def f():\n    import json\n");
  EXPECT_EQ(resolve_through_imports(facts.imports, "pkg", "json.loads"), "");
  const ModuleFacts typed = read("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import os as o\n");
  EXPECT_EQ(resolve_through_imports(typed.imports, "pkg", "o.path"), "");
}

TEST(ReaderImports, module_facts_other_than_imports_are_unchanged_by_lazy_imports) {
  const ModuleFacts facts = read("def f():\n    import json\n    from x import y\nclass C:\n    def m(self):\n        import re\n");
  ASSERT_EQ(facts.functions.size(), 1u);
  EXPECT_EQ(facts.functions[0].name, "f");
  ASSERT_EQ(facts.classes.size(), 1u);
  EXPECT_TRUE(facts.variables.empty());
}

}  // namespace
}  // namespace importspy
