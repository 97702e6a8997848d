// Names as CPython binds them: every name the reader reads is NFKC-normalised (language reference,
// lexical analysis), keywords are matched as written. Fullwidth letters (ｓ = U+FF53) spell the cases.
#include <gtest/gtest.h>

#include <string>

#include "importspy/source/reader.hpp"

namespace importspy {
namespace {

ModuleFacts read(std::string_view source, const ReadOptions& options = {}) { return read_module_source(source, "pkg/mod.py", "pkg.mod", options); }

std::string imports_of(const ModuleFacts& facts) {
  std::string out;
  for (const ImportFact& fact : facts.imports) out += (out.empty() ? "" : " ") + fact.module + ":" + fact.name + ":" + fact.alias;
  return out;
}

TEST(ReaderNames, an_import_of_a_fullwidth_module_name_imports_the_normalised_module) {
  EXPECT_EQ(imports_of(read("import \xEF\xBD\x93ubprocess\n")), "subprocess::subprocess");                       // ｓubprocess
  EXPECT_EQ(imports_of(read("import \xEF\xBD\x8Fs.\xEF\xBD\x90" "ath as \xEF\xBD\x90\n")), "os.path::p");          // ｏs.ｐath as ｐ
}

TEST(ReaderNames, a_from_import_normalises_the_module_the_imported_name_and_the_alias) {
  EXPECT_EQ(imports_of(read("from \xEF\xBD\x93ubprocess import \xEF\xBD\x92un as \xEF\xBD\x92\n")), "subprocess:run:r");
}

TEST(ReaderNames, a_function_with_a_fullwidth_name_binds_the_normalised_name_and_parameters) {
  const ModuleFacts facts = read("def \xEF\xBD\x92" "egister(\xEF\xBD\x93" "elf, \xEF\xBD\x8B=1): pass\n");  // def ｒegister(ｓelf, ｋ=1)
  const FunctionFact* f = facts.find_function("register");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->parameters.size(), 2u);
  EXPECT_EQ(f->parameters[0].name, "self");
  EXPECT_EQ(f->parameters[1].name, "k");
}

TEST(ReaderNames, a_class_normalises_its_name_bases_decorators_and_attributes) {
  const ModuleFacts facts = read(
      "class \xEF\xBC\xB0lugin(\xEF\xBC\xA2" "ase):\n"           // class Ｐlugin(Ｂase):
      "    \xEF\xBD\x98 = 1\n"                                  //     ｘ = 1
      "    @\xEF\xBD\x93taticmethod\n"                          //     @ｓtaticmethod
      "    def s(): pass\n"
      "    def __init__(self):\n"
      "        self.\xEF\xBD\x99 = 2\n");                       //         self.ｙ = 2
  const ClassFact* c = facts.find_class("Plugin");
  ASSERT_NE(c, nullptr);
  ASSERT_FALSE(c->superclasses.empty());
  EXPECT_EQ(c->superclasses[0].name, "Base");
  ASSERT_EQ(c->attributes.size(), 2u);
  EXPECT_EQ(c->attributes[0].name, "x");
  EXPECT_EQ(c->attributes[1].name, "y");
  ASSERT_FALSE(c->methods.empty());
  EXPECT_EQ(c->methods[0].name, "s");
  EXPECT_EQ(c->methods[0].kind, CallableKind::static_method);
}

TEST(ReaderNames, names_in_a_platform_condition_are_normalised) {
  ReadOptions options;
  TargetEnvironment env;
  env.sys_platform = "linux";
  env.os_name = "posix";
  env.platform_system = "Linux";
  env.python_minor = 12;
  options.target = env;
  // import ｓys; if ｓys.ｐlatform == 'win32': W = 1
  const ModuleFacts facts = read("import \xEF\xBD\x93ys\nif \xEF\xBD\x93ys.\xEF\xBD\x90latform == 'win32':\n    W = 1\nelse:\n    L = 2\n", options);
  EXPECT_EQ(facts.find_variable("W"), nullptr);
  EXPECT_NE(facts.find_variable("L"), nullptr);
}

TEST(ReaderNames, a_name_that_normalises_to_a_keyword_is_a_name_not_the_keyword) {
  // ｉｆ = 1 binds `if`; Ｔrue = 2 binds the name `True`, and X = Ｔrue reads it (2), not the constant.
  const ModuleFacts facts = read("\xEF\xBD\x89\xEF\xBD\x86 = 1\n\xEF\xBC\xB4rue = 2\nX = \xEF\xBC\xB4rue\n");
  ASSERT_NE(facts.find_variable("if"), nullptr);
  EXPECT_EQ(facts.find_variable("if")->value, Value::integer(1));
  ASSERT_NE(facts.find_variable("X"), nullptr);
  EXPECT_EQ(facts.find_variable("X")->value, Value::integer(2));
}

TEST(ReaderNames, a_keyword_spelled_in_fullwidth_letters_is_no_statement) {
  // ｉｍｐｏｒｔ os: two names in a row, a syntax error for CPython too.
  EXPECT_ANY_THROW(read("\xEF\xBD\x89\xEF\xBD\x8D\xEF\xBD\x90\xEF\xBD\x8F\xEF\xBD\x92\xEF\xBD\x94 os\n"));
}

}  // namespace
}  // namespace importspy
