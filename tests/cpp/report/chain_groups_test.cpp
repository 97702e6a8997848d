#include "importspy/report/chain_groups.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace importspy {
namespace {

using Chain = std::vector<ChainStep>;

ChainStep step(std::string module, int line = 0, std::vector<int> lines = {}) {
  std::string file = module;
  for (char& c : file) {
    if (c == '.') c = '/';
  }
  return {module, file + ".py", line, std::move(lines)};
}

// "p/low/a.py:1 p.low.a -> p.mid.m" for each link of a group.
std::vector<std::string> links(const ChainGroup& group) {
  std::vector<std::string> out;
  for (const ChainLink& link : group.links) out.push_back(link.from.file + ":" + lines_text(link.from) + " " + link.from.module + " -> " + link.to);
  return out;
}

TEST(ChainGroups, chains_through_the_same_middle_are_one_group_with_their_starts_and_ends) {
  const std::vector<Chain> chains = {
      {step("p.low.a", 1), step("p.mid.m", 4), step("p.high.x")},
      {step("p.low.b", 2), step("p.mid.m", 5), step("p.high.y")},
      {step("p.low.a", 1), step("p.mid.m", 5), step("p.high.y")},
  };
  const auto groups = group_chains(chains);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].chains, (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(group_text(groups[0]), "p.low.a & p.low.b -> p.mid.m -> p.high.x & p.high.y");
  // Each import once: the starts', then the middle's to each end.
  EXPECT_EQ(links(groups[0]), (std::vector<std::string>{"p/low/a.py:1 p.low.a -> p.mid.m", "p/low/b.py:2 p.low.b -> p.mid.m",
                                                         "p/mid/m.py:4 p.mid.m -> p.high.x", "p/mid/m.py:5 p.mid.m -> p.high.y"}));
}

TEST(ChainGroups, chains_whose_middles_differ_stay_apart_in_the_order_of_their_first_chain) {
  const std::vector<Chain> chains = {
      {step("p.low.a", 1), step("p.mid.m", 4), step("p.high.x")},
      {step("p.low.a", 2), step("p.mid.n", 1), step("p.high.x")},
      {step("p.low.b", 3), step("p.mid.m", 4), step("p.high.x")},
  };
  const auto groups = group_chains(chains);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].chains, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(group_text(groups[0]), "p.low.a & p.low.b -> p.mid.m -> p.high.x");
  EXPECT_EQ(groups[1].chains, (std::vector<std::size_t>{1}));
  EXPECT_EQ(group_text(groups[1]), "p.low.a -> p.mid.n -> p.high.x");
}

TEST(ChainGroups, direct_imports_are_never_merged_with_each_other_nor_with_longer_chains) {
  // a -> x and b -> y share no middle: "a & b -> x & y" would claim that a imports y.
  const std::vector<Chain> chains = {
      {step("p.low.a", 1), step("p.high.x")},
      {step("p.low.b", 1), step("p.high.y")},
      {step("p.low.a", 2), step("p.high.x", 3), step("p.high.y")},
  };
  const auto groups = group_chains(chains);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(group_text(groups[0]), "p.low.a -> p.high.x");
  EXPECT_EQ(group_text(groups[1]), "p.low.b -> p.high.y");
}

TEST(ChainGroups, an_import_made_at_several_lines_keeps_them_all_in_one_link) {
  const std::vector<Chain> chains = {{step("p.low.a", 3, {3, 4, 9}), step("p.high.x")}};
  const auto groups = group_chains(chains);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(links(groups[0]), (std::vector<std::string>{"p/low/a.py:3, 4, 9 p.low.a -> p.high.x"}));
}

TEST(ChainGroups, step_lines_reads_lines_or_else_the_single_line) {
  EXPECT_EQ(step_lines(step("m", 7)), (std::vector<int>{7}));
  EXPECT_EQ(step_lines(step("m", 7, {7, 8})), (std::vector<int>{7, 8}));
  EXPECT_TRUE(step_lines(step("m")).empty());
}

TEST(ChainGroups, chain_numbers_count_from_one_and_shorten_runs_of_three_or_more) {
  EXPECT_EQ(chain_numbers({{1}, {}, {}}), "chain 2");
  EXPECT_EQ(chain_numbers({{1, 2}, {}, {}}), "chains 2, 3");
  EXPECT_EQ(chain_numbers({{0, 1, 2, 3, 8, 10, 11}, {}, {}}), "chains 1-4, 9, 11, 12");
}

TEST(ChainGroups, no_chains_make_no_groups) { EXPECT_TRUE(group_chains({}).empty()); }

}  // namespace
}  // namespace importspy
