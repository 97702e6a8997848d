#include <gtest/gtest.h>

#include "support.hpp"

using namespace importspy;
using importspy::testing::contract_error_from;
using importspy::testing::contract_from;

TEST(ContractImports, reads_allowed_and_forbidden_patterns_with_their_places) {
  auto c = contract_from(R"(
imports:
  allowed: [os, plugins.*]
  forbidden:
    - plugins.internal
    - requests
)");
  ASSERT_TRUE(c->imports.has_value());
  const ImportRules& rules = *c->imports;
  EXPECT_TRUE(rules.has_allowed);
  ASSERT_EQ(rules.allowed.size(), 2u);
  EXPECT_EQ(rules.allowed[0].module, "os");
  EXPECT_FALSE(rules.allowed[0].submodules_only);
  EXPECT_EQ(rules.allowed[1].written, "plugins.*");
  EXPECT_EQ(rules.allowed[1].module, "plugins");
  EXPECT_TRUE(rules.allowed[1].submodules_only);
  ASSERT_EQ(rules.forbidden.size(), 2u);
  EXPECT_EQ(rules.forbidden[0].module, "plugins.internal");
  EXPECT_EQ(rules.forbidden[0].mark.line, 5);
  EXPECT_EQ(rules.forbidden[0].mark.column, 7);
  EXPECT_FALSE(rules.type_checking);
}

TEST(ContractImports, absent_section_and_absent_allowed_list_restrict_nothing) {
  EXPECT_FALSE(contract_from("filename: a.py\n")->imports.has_value());
  auto c = contract_from("imports:\n  forbidden: [requests]\n");
  ASSERT_TRUE(c->imports.has_value());
  EXPECT_FALSE(c->imports->has_allowed);
}

TEST(ContractImports, an_empty_allowed_list_is_written_and_allows_nothing) {
  auto c = contract_from("imports:\n  allowed: []\n");
  EXPECT_TRUE(c->imports->has_allowed);
  EXPECT_TRUE(c->imports->allowed.empty());
}

TEST(ContractImports, type_checking_is_read_as_a_boolean) {
  EXPECT_TRUE(contract_from("imports:\n  type_checking: true\n")->imports->type_checking);
  EXPECT_FALSE(contract_from("imports:\n  type_checking: false\n")->imports->type_checking);
  const ContractError error = contract_error_from("imports:\n  type_checking: yes please\n");
  EXPECT_EQ(error.kind(), ContractErrorKind::wrong_type);
  EXPECT_EQ(error.line(), 2);
  EXPECT_EQ(error.column(), 18);
}

TEST(ContractImports, a_pattern_is_a_package_and_its_submodules_and_dot_star_only_the_submodules) {
  auto c = contract_from("imports:\n  forbidden: [pkg, pkg.*]\n");
  const ImportPattern& whole = c->imports->forbidden[0];
  const ImportPattern& below = c->imports->forbidden[1];
  EXPECT_TRUE(whole.matches("pkg"));
  EXPECT_TRUE(whole.matches("pkg.a"));
  EXPECT_TRUE(whole.matches("pkg.a.b"));
  EXPECT_FALSE(whole.matches("pkgx"));
  EXPECT_FALSE(whole.matches("other.pkg"));
  EXPECT_FALSE(below.matches("pkg"));
  EXPECT_TRUE(below.matches("pkg.a"));
  EXPECT_TRUE(below.matches("pkg.a.b"));
  EXPECT_FALSE(below.matches("pkgx.a"));
}

TEST(ContractImports, rejects_unknown_keys_with_their_place_and_a_suggestion) {
  const ContractError error = contract_error_from("imports:\n  forbiden: [os]\n");
  EXPECT_EQ(error.kind(), ContractErrorKind::unknown_key);
  EXPECT_EQ(error.line(), 2);
  EXPECT_EQ(error.column(), 3);
  EXPECT_NE(error.hint().find("forbidden"), std::string::npos);
}

TEST(ContractImports, rejects_relative_and_malformed_patterns_at_their_place) {
  for (const char* bad : {".base", "pkg.", "pkg.*.x", "1pkg", "pkg..a", "*"}) {
    const ContractError error = contract_error_from(std::string("imports:\n  allowed:\n    - \"") + bad + "\"\n");
    EXPECT_EQ(error.kind(), ContractErrorKind::invalid_value) << bad;
    EXPECT_EQ(error.line(), 3) << bad;
    EXPECT_EQ(error.column(), 7) << bad;
  }
}

TEST(ContractImports, rejects_a_section_or_entry_of_the_wrong_type) {
  EXPECT_EQ(contract_error_from("imports: [os]\n").kind(), ContractErrorKind::wrong_type);
  EXPECT_EQ(contract_error_from("imports:\n  forbidden: os\n").kind(), ContractErrorKind::wrong_type);
  const ContractError error = contract_error_from("imports:\n  forbidden:\n    - {name: os}\n");
  EXPECT_EQ(error.kind(), ContractErrorKind::wrong_type);
  EXPECT_EQ(error.line(), 3);
}

TEST(ContractImports, a_module_name_in_fullwidth_letters_means_its_nfkc_form_as_in_code) {
  auto c = contract_from("imports:\n  forbidden:\n    - \xEF\xBD\x93ubprocess\n    - \xEF\xBD\x8Fs.*\n");  // ｓubprocess, ｏs.*
  ASSERT_TRUE(c->imports.has_value());
  ASSERT_EQ(c->imports->forbidden.size(), 2u);
  EXPECT_EQ(c->imports->forbidden[0].module, "subprocess");
  EXPECT_EQ(c->imports->forbidden[0].written, "\xEF\xBD\x93ubprocess");  // messages quote the contract as written
  EXPECT_EQ(c->imports->forbidden[1].module, "os");
}
