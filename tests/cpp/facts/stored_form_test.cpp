// The stored form of source facts (importspy/facts/stored_form.hpp): what is decoded is what was encoded,
// on hand-made facts with every field set and on every file of a standard library; anything else is
// refused; the lookup key moves with each thing the facts depend on.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "importspy/facts/json.hpp"
#include "importspy/facts/stored_form.hpp"
#include "importspy/source/reader.hpp"
#include "importspy/source/source_error.hpp"

namespace importspy {
namespace {

namespace fs = std::filesystem;

FunctionFact rich_function(const std::string& name, CallableKind kind) {
  FunctionFact f;
  f.name = name;
  f.structure_hash = "sha256:" + std::string(64, 'a');
  f.structure_unverifiable = "rebound at line 9";
  f.parameters = {{"self", ParameterKind::positional_only, std::nullopt, std::nullopt},
                  {"args", ParameterKind::var_positional, std::nullopt, "int"},
                  {"level", ParameterKind::keyword_only, Value::list({Value::integer(-3), Value::floating(0.5), Value::none()}), "list[int]"},
                  {"options", ParameterKind::var_keyword, std::nullopt, "Any"}};
  f.return_annotation = "Optional[str]";
  f.kind = kind;
  f.is_async = true;
  f.line = 7;
  f.unverifiable = "a decorator whose code is not known";
  return f;
}

// Every member of every fact holds something other than its default.
ModuleFacts rich_facts() {
  ModuleFacts m;
  m.name = "pkg.mod";
  m.filename = "pkg/mod.py";
  m.version = "1.2.3";
  m.version_unknown = true;
  m.file_sha256 = std::string(64, 'f');
  m.variables = {{"engine", Value::string("docker"), "str", 3, ""},
                 {"big", Value::big_integer("123456789012345678901234567890"), std::nullopt, 4, "rebound by exec"},
                 {"table", Value::mapping({{Value::string("a"), Value::boolean(true)}, {Value::integer(2), Value::opaque("<object>", "object")}}), std::nullopt, 5,
                  ""},
                 {"computed", Value::unknown("a call"), std::nullopt, 6, ""}};
  m.functions = {rich_function("register", CallableKind::function)};
  ClassFact c;
  c.name = "Plugin";
  c.structure_hash = "sha256:" + std::string(64, 'b');
  c.structure_unverifiable = "class decorator";
  c.attributes = {{"name", AttributeKind::class_attribute, Value::string("x"), "str", 11}, {"count", AttributeKind::instance_attribute, Value::integer(0), "int", 14}};
  c.methods = {rich_function("run", CallableKind::method), rich_function("make", CallableKind::class_method), rich_function("size", CallableKind::property)};
  c.superclasses = {{"Base", "pkg.base.Base"}, {"object", ""}};
  c.line = 10;
  c.unverifiable = "a base the reader cannot resolve";
  m.classes = {c};
  m.imports = {{"os.path", "", "os", 1, false, false, false, false},
               {".base", "Base", "B", 2, true, true, true, true},
               {"typing", "*", "", 3, false, false, false, false}};
  m.dynamic_namespace = {"exec(...) at line 20"};
  m.unknown_imports = {{"__import__(name)", "a computed name", 21}};
  return m;
}

std::string json_of(const ModuleFacts& facts) { return facts_to_json({facts, std::nullopt}); }

TEST(StoredFacts, decodes_every_member_it_encoded) {
  const ModuleFacts facts = rich_facts();
  const auto decoded = decode_facts(encode_facts(facts));
  ASSERT_TRUE(decoded);
  // The members the JSON form leaves out are compared one by one.
  EXPECT_EQ(json_of(*decoded), json_of(facts));
  EXPECT_EQ(encode_facts(*decoded), encode_facts(facts));
  EXPECT_TRUE(decoded->version_unknown);
  EXPECT_EQ(decoded->variables[1].unverifiable, "rebound by exec");
  EXPECT_EQ(decoded->functions[0].structure_unverifiable, "rebound at line 9");
  EXPECT_EQ(decoded->functions[0].unverifiable, "a decorator whose code is not known");
  EXPECT_TRUE(decoded->functions[0].is_async);
  EXPECT_EQ(decoded->classes[0].methods[2].kind, CallableKind::property);
  EXPECT_EQ(decoded->classes[0].structure_unverifiable, "class decorator");
  EXPECT_EQ(decoded->classes[0].unverifiable, "a base the reader cannot resolve");
  EXPECT_EQ(decoded->classes[0].superclasses[0].qualified, "pkg.base.Base");
  const ImportFact& guarded = decoded->imports[1];
  EXPECT_TRUE(guarded.type_checking && guarded.lazy && guarded.in_class && guarded.main_guard);
  EXPECT_EQ(decoded->dynamic_namespace, facts.dynamic_namespace);
  ASSERT_EQ(decoded->unknown_imports.size(), 1u);
  EXPECT_EQ(decoded->unknown_imports[0].reason, "a computed name");
  EXPECT_EQ(decoded->unknown_imports[0].line, 21);
}

TEST(StoredFacts, refuses_every_truncation_and_any_trailing_byte) {
  const std::string bytes = encode_facts(rich_facts());
  for (std::size_t size = 0; size < bytes.size(); ++size) EXPECT_FALSE(decode_facts(std::string_view(bytes).substr(0, size))) << size;
  EXPECT_FALSE(decode_facts(bytes + '\0'));
}

TEST(StoredFacts, refuses_bytes_of_another_encoding) {
  std::string bytes = encode_facts(rich_facts());
  const std::size_t version = bytes.find("importspy-stored-facts-");
  ASSERT_NE(version, std::string::npos);
  bytes[version + 10] = 'X';
  EXPECT_FALSE(decode_facts(bytes));
  EXPECT_FALSE(decode_facts("not facts at all"));
}

TEST(StoredFacts, refuses_a_flag_or_kind_out_of_range) {
  ModuleFacts facts;
  facts.imports = {{"os", "", "os", 1, false, false, false, false}};
  std::string bytes = encode_facts(facts);
  ASSERT_EQ(bytes.back(), '\0');  // the empty unknown_imports
  // The main_guard flag sits just before the two empty lists at the end: 2 is no flag.
  bytes[bytes.size() - 3] = '\2';
  EXPECT_FALSE(decode_facts(bytes));
}

TEST(StoredFacts, the_key_moves_with_the_source_the_file_the_module_the_reading_and_the_engine) {
  const std::string key = stored_facts_key("x = 1\n", "pkg/mod.py", "pkg.mod", "sha256|linux|3.11", "1.0+1.2");
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(key, stored_facts_key("x = 1\n", "pkg/mod.py", "pkg.mod", "sha256|linux|3.11", "1.0+1.2"));
  EXPECT_NE(key, stored_facts_key("x = 2\n", "pkg/mod.py", "pkg.mod", "sha256|linux|3.11", "1.0+1.2"));
  EXPECT_NE(key, stored_facts_key("x = 1\n", "pkg/other.py", "pkg.mod", "sha256|linux|3.11", "1.0+1.2"));
  EXPECT_NE(key, stored_facts_key("x = 1\n", "pkg/mod.py", "pkg.other", "sha256|linux|3.11", "1.0+1.2"));
  EXPECT_NE(key, stored_facts_key("x = 1\n", "pkg/mod.py", "pkg.mod", "sha256|linux|3.12", "1.0+1.2"));
  EXPECT_NE(key, stored_facts_key("x = 1\n", "pkg/mod.py", "pkg.mod", "sha256|linux|3.11", "1.0+1.3"));
  // Parts are length-prefixed: moving a character from one part to the next is another key.
  EXPECT_NE(stored_facts_key("", "ab", "c", "", ""), stored_facts_key("", "a", "bc", "", ""));
}

// Every file of a standard library (the Python the build found), read by the reader for every branch (the
// most facts a reading gives): the facts decoded are the facts encoded.
TEST(StoredFacts, round_trips_the_facts_of_every_file_of_the_standard_library) {
  const fs::path stdlib = IMPORTSPY_STDLIB_DIR;
  if (stdlib.empty()) GTEST_SKIP() << "no Python standard library was found when the tests were configured";
  ASSERT_TRUE(fs::is_directory(stdlib)) << stdlib;
  std::size_t files = 0, definitions = 0;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(stdlib, fs::directory_options::skip_permission_denied)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".py" || entry.path().string().find("site-packages") != std::string::npos) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string relative = entry.path().lexically_relative(stdlib).string();
    ModuleFacts facts;
    try {
      facts = read_module_source(bytes, relative, "", ReadOptions{});
    } catch (const SourceReadError&) {
      continue;  // the standard library's files that are not Python (badsyntax_*, bad_coding*)
    }
    const std::string encoded = encode_facts(facts);
    const auto decoded = decode_facts(encoded);
    ASSERT_TRUE(decoded) << relative;
    ASSERT_EQ(encode_facts(*decoded), encoded) << relative;
    // The JSON form as a second witness, on a sample (it costs ten times the rest): a member the reader
    // put in the wrong place would show there, where writing it back in the same wrong place would not.
    if (files % 16 == 0) ASSERT_EQ(json_of(*decoded), json_of(facts)) << relative;
    definitions += facts.functions.size() + facts.classes.size();
    ++files;
  }
  EXPECT_GT(files, 500u) << stdlib;
  EXPECT_GT(definitions, 10000u);
}

}  // namespace
}  // namespace importspy
