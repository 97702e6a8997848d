#include <gtest/gtest.h>

#include <array>

#include "importspy/util/suggest.hpp"

using importspy::closest_match;

namespace {
constexpr std::array<std::string_view, 3> kKeys = {"name", "arguments", "return_annotation"};
}

TEST(Suggest, finds_a_transposed_key) { EXPECT_EQ(closest_match("retrun_annotation", kKeys), "return_annotation"); }

TEST(Suggest, finds_a_key_with_one_letter_missing) { EXPECT_EQ(closest_match("argments", kKeys), "arguments"); }

TEST(Suggest, ignores_case) { EXPECT_EQ(closest_match("NAME", kKeys), "name"); }

TEST(Suggest, offers_nothing_for_an_unrelated_word) { EXPECT_FALSE(closest_match("deployments", kKeys).has_value()); }

TEST(Suggest, offers_nothing_for_a_huge_word) { EXPECT_FALSE(closest_match(std::string(10000, 'a'), kKeys).has_value()); }
