#include <gtest/gtest.h>

#include "importspy/util/text_position.hpp"

using namespace importspy;

TEST(TextPosition, byte_columns_become_utf16_characters) {
  const std::string text = "a: b\nnäme: 𝔘x\n";  // ä is 2 bytes and 1 unit; 𝔘 is 4 bytes and 2 units
  const LineIndex lines(text);
  EXPECT_EQ(lines.line_count(), 3u);
  EXPECT_EQ(lines.line(1), "näme: 𝔘x");
  const TextPosition colon = lines.position({2, 6});  // the byte after `näme` (5 bytes) is column 6
  EXPECT_EQ(colon.line, 1);
  EXPECT_EQ(colon.character, 4);
  const TextPosition x = lines.position({2, 12});  // after `näme: 𝔘` (11 bytes)
  EXPECT_EQ(x.character, 8);
  EXPECT_EQ(lines.offset({1, 8}), 5u + 11u);
  EXPECT_EQ(lines.position_of_offset(5u + 11u).character, 8);
}

TEST(TextPosition, every_line_break_counts_and_unknown_marks_are_the_start) {
  const LineIndex lines("a\r\nb\rc\nd");
  EXPECT_EQ(lines.line_count(), 4u);
  EXPECT_EQ(lines.line(0), "a");
  EXPECT_EQ(lines.line(1), "b");
  EXPECT_EQ(lines.line(3), "d");
  EXPECT_EQ(lines.line(9), "");
  EXPECT_EQ(lines.position({0, 0}).line, 0);
  EXPECT_EQ(lines.offset({2, 99}), 6u);  // clamped to the line's end
}

#include "importspy/util/yaml_place.hpp"

TEST(YamlPlace, reads_the_enclosing_keys_from_indentation_even_when_the_text_does_not_parse) {
  const std::string text = "runtime:\n  os: [linux]\n  pyt\nclasses: [\n";
  const auto place = yaml_place(text, {2, 5});
  ASSERT_TRUE(place.has_value());
  EXPECT_FALSE(place->value);
  EXPECT_EQ(place->parents, (std::vector<std::string>{"runtime"}));
  EXPECT_EQ(place->siblings, (std::vector<std::string>{"os"}));
  const auto top = yaml_place("schema_version: 1\npol\n", {1, 3});
  ASSERT_TRUE(top.has_value());
  EXPECT_TRUE(top->parents.empty());
  EXPECT_EQ(top->siblings, (std::vector<std::string>{"schema_version"}));
}

TEST(YamlPlace, a_value_after_its_key_and_nothing_inside_other_words) {
  const auto value = yaml_place("dependency_options:\n  unresolved: al\n", {1, 16});
  ASSERT_TRUE(value.has_value());
  EXPECT_TRUE(value->value);
  EXPECT_EQ(value->key, "unresolved");
  EXPECT_EQ(value->parents, (std::vector<std::string>{"dependency_options"}));
  EXPECT_FALSE(yaml_place("policy_id: a b\n", {0, 14}).has_value());  // past the value's first word
  EXPECT_FALSE(yaml_place("# a comm\n", {0, 8}).has_value());
  EXPECT_EQ(yaml_token_end("key: 'a ''b'' c' # x", 5, false), 16u);
}
