#include <gtest/gtest.h>

#include "importspy/lang/version.hpp"

using importspy::Version;
using importspy::VersionRule;

namespace {
bool rule_matches(std::string_view rule, std::string_view actual) {
  std::string error;
  auto parsed = VersionRule::parse(rule, &error);
  EXPECT_TRUE(parsed.has_value()) << rule << ": " << error;
  return parsed && parsed->matches(actual);
}
}  // namespace

TEST(Version, parses_normalised_pep440_spellings) {
  auto v = Version::parse("v1!2.0.3rc1.post2.dev4+Local-7");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->str(), "1!2.0.3rc1.post2.dev4+local.7");
  EXPECT_EQ(Version::parse("1.0-1")->str(), "1.0.post1");
  EXPECT_EQ(Version::parse("1.0alpha")->str(), "1.0a0");
  EXPECT_EQ(Version::parse("1.0.PREVIEW2")->str(), "1.0rc2");
  EXPECT_FALSE(Version::parse("latest").has_value());
  EXPECT_FALSE(Version::parse("1.0+").has_value());
}

TEST(Version, orders_by_pep440) {
  const char* ordered[] = {"1.0.dev1", "1.0a1", "1.0a2.dev1", "1.0a2", "1.0b1", "1.0rc1", "1.0", "1.0+local", "1.0.post1", "1.1"};
  for (size_t i = 0; i + 1 < std::size(ordered); ++i) {
    EXPECT_LT(Version::parse(ordered[i])->compare(*Version::parse(ordered[i + 1])), 0) << ordered[i] << " < " << ordered[i + 1];
  }
  EXPECT_EQ(Version::parse("1.0")->compare(*Version::parse("1.0.0")), 0);
}

TEST(Version, bare_version_matches_by_release_prefix) {
  EXPECT_TRUE(rule_matches("3.11", "3.11.7"));
  EXPECT_TRUE(rule_matches("3.11", "3.11"));
  EXPECT_FALSE(rule_matches("3.11", "3.12.0"));
  EXPECT_FALSE(rule_matches("3.1", "3.11.7"));
}

TEST(Version, full_bare_version_matches_only_itself) {
  EXPECT_TRUE(rule_matches("3.11.7", "3.11.7"));
  EXPECT_FALSE(rule_matches("3.11.7", "3.11.8"));
  EXPECT_FALSE(rule_matches("3.11.7", "3.11.70"));
}

TEST(Version, bare_prerelease_matches_exactly) {
  EXPECT_TRUE(rule_matches("1.0rc1", "1.0rc1"));
  EXPECT_FALSE(rule_matches("1.0rc1", "1.0"));
}

TEST(Version, specifier_range) {
  EXPECT_TRUE(rule_matches(">=3.10,<3.13", "3.12.4"));
  EXPECT_TRUE(rule_matches(">=3.10, <3.13", "3.10.0"));
  EXPECT_FALSE(rule_matches(">=3.10,<3.13", "3.13.0"));
  EXPECT_FALSE(rule_matches(">=3.10,<3.13", "3.9.18"));
}

TEST(Version, less_than_excludes_prereleases_of_the_bound) {
  EXPECT_FALSE(rule_matches("<3.13", "3.13.0rc1"));
  EXPECT_TRUE(rule_matches("<3.13", "3.12.9"));
}

TEST(Version, greater_than_excludes_post_releases_of_the_bound) {
  EXPECT_FALSE(rule_matches(">1.0", "1.0.post1"));
  EXPECT_TRUE(rule_matches(">1.0", "1.0.1"));
}

TEST(Version, compatible_release) {
  EXPECT_TRUE(rule_matches("~=1.4", "1.4"));
  EXPECT_TRUE(rule_matches("~=1.4", "1.9.2"));
  EXPECT_FALSE(rule_matches("~=1.4", "2.0"));
  EXPECT_FALSE(rule_matches("~=1.4", "1.3"));
  EXPECT_TRUE(rule_matches("~=1.4.5", "1.4.9"));
  EXPECT_FALSE(rule_matches("~=1.4.5", "1.5.0"));
}

TEST(Version, not_equal) {
  EXPECT_FALSE(rule_matches("!=3.12.0", "3.12.0"));
  EXPECT_TRUE(rule_matches("!=3.12.0", "3.12.1"));
  EXPECT_FALSE(rule_matches("!=3.12.*", "3.12.5"));
}

TEST(Version, equal_wildcard) {
  EXPECT_TRUE(rule_matches("==3.11.*", "3.11.7"));
  EXPECT_TRUE(rule_matches("==3.11.*", "3.11"));
  EXPECT_FALSE(rule_matches("==3.11.*", "3.12.0"));
}

TEST(Version, equal_ignores_local_label_of_the_actual_version) {
  EXPECT_TRUE(rule_matches("==1.0", "1.0+ubuntu1"));
  EXPECT_FALSE(rule_matches("==1.0+ubuntu1", "1.0"));
}

TEST(Version, arbitrary_equality_compares_text) {
  EXPECT_TRUE(rule_matches("===1.0", "1.0"));
  EXPECT_FALSE(rule_matches("===1.0", "1.0.0"));
  EXPECT_TRUE(rule_matches("===1.0-1", "1.0-1"));
  EXPECT_FALSE(rule_matches("===1.0-1", "1.0.post1"));
}

TEST(Version, non_pep440_bare_version_matches_its_exact_text) {
  EXPECT_TRUE(rule_matches("nightly-2024", "nightly-2024"));
  EXPECT_FALSE(rule_matches("nightly-2024", "nightly-2025"));
}

TEST(Version, specifier_never_matches_a_version_that_does_not_parse) { EXPECT_FALSE(rule_matches(">=1.0", "unknown")); }

TEST(Version, rejects_malformed_specifiers) {
  std::string error;
  EXPECT_FALSE(VersionRule::parse(">=3.x", &error).has_value());
  EXPECT_NE(error.find("not a PEP 440 version"), std::string::npos);
  EXPECT_FALSE(VersionRule::parse("~=1", &error).has_value());
  EXPECT_NE(error.find("two release numbers"), std::string::npos);
  EXPECT_FALSE(VersionRule::parse(">=3.*", &error).has_value());
  EXPECT_FALSE(VersionRule::parse(">=3.10,", &error).has_value());
  EXPECT_FALSE(VersionRule::parse("3.10, 3.11", &error).has_value());
  EXPECT_NE(error.find("no operator"), std::string::npos);
}
