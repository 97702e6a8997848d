#include <gtest/gtest.h>

#include "importspy/render/batch.hpp"
#include "importspy/render/merge.hpp"

using namespace importspy;

namespace {

BatchResult sample() {
  BatchResult batch;
  Report bad;
  bad.violations.push_back(Violation{"variable-value-mismatch", Category::mismatch, Context::module, "variables.x", "1", "2", "x is 2, expected 1",
                                     "set x = 1", {4, 5}, 7});
  batch.results.push_back({"p/a.py", "p/a.py", "c.yml", Report{}, std::nullopt, false, {}});
  batch.results.push_back({"p/b.py", "p/b.py", "c.yml", bad, std::nullopt, false, {}});
  batch.results.push_back({"p/c.py", "p/c.py", "c.yml", std::nullopt, TargetError{"source-error", "not valid Python", "p/c.py", 2, 3, ""}, false, {}});
  batch.results.push_back({"p/d.py", "p/d.py", "c.yml", Report{}, std::nullopt, false, {}});
  return batch;
}

// Shard I of N of `whole`, as `importspy check --shard I/N` renders it.
BatchResult shard(const BatchResult& whole, std::size_t index, std::size_t count) {
  BatchResult part;
  part.shard = BatchShard{index, count};
  const std::size_t begin = whole.results.size() * (index - 1) / count, end = whole.results.size() * index / count;
  part.results.assign(whole.results.begin() + static_cast<std::ptrdiff_t>(begin), whole.results.begin() + static_cast<std::ptrdiff_t>(end));
  return part;
}

template <typename Render>
void expect_merge_is_one_run(Render render, std::size_t count) {
  const BatchResult whole = sample();
  std::vector<ShardOutput> inputs;
  for (std::size_t i = count; i >= 1; --i) inputs.push_back({"shard-" + std::to_string(i), render(shard(whole, i, count))});
  const MergedOutput merged = merge_shard_outputs(inputs);
  std::string single = render(whole);
  if (single.back() != '\n') single += '\n';
  EXPECT_EQ(merged.text, single);
  EXPECT_EQ(merged.exit_status, 2);
}

}  // namespace

TEST(MergeShards, json_shards_in_any_order_merge_into_the_single_run) {
  for (std::size_t n : {1, 2, 3, 4}) expect_merge_is_one_run([](const BatchResult& b) { return render_batch_json(b); }, n);
}

TEST(MergeShards, sarif_shards_merge_into_the_single_run) {
  for (std::size_t n : {1, 2, 4}) expect_merge_is_one_run([](const BatchResult& b) { return render_sarif(b, "1.0"); }, n);
}

TEST(MergeShards, junit_shards_merge_into_the_single_run) {
  for (std::size_t n : {1, 2, 3}) expect_merge_is_one_run([](const BatchResult& b) { return render_junit(b); }, n);
}

TEST(MergeShards, an_empty_shard_is_merged_too) {
  BatchResult whole;
  whole.results.push_back({"p/a.py", "p/a.py", "c.yml", Report{}, std::nullopt, false, {}});
  const MergedOutput merged = merge_shard_outputs({{"1", render_batch_json(shard(whole, 1, 2))}, {"2", render_batch_json(shard(whole, 2, 2))}});
  EXPECT_EQ(merged.text, render_batch_json(whole) + "\n");
  EXPECT_EQ(merged.exit_status, 0);
}

TEST(MergeShards, names_a_missing_a_repeated_and_a_foreign_shard) {
  const BatchResult whole = sample();
  const std::string one = render_batch_json(shard(whole, 1, 3)), three = render_batch_json(shard(whole, 3, 3));
  const auto message = [](const std::vector<ShardOutput>& inputs) {
    try {
      merge_shard_outputs(inputs);
    } catch (const LocatedError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({{"a.json", one}, {"c.json", three}}).find("shard 2/3 is missing"), std::string::npos);
  EXPECT_NE(message({{"a.json", one}, {"b.json", one}, {"c.json", three}}).find("b.json: shard 1 is given twice"), std::string::npos);
  EXPECT_NE(message({{"a.json", one}, {"x.json", render_batch_json(shard(whole, 2, 2))}}).find("not of the same split"), std::string::npos);
  EXPECT_NE(message({{"w.json", render_batch_json(whole)}}).find("w.json: this output records no shard"), std::string::npos);
  EXPECT_NE(message({{"a.json", one}, {"b.xml", render_junit(shard(whole, 2, 3))}}).find("b.xml: this output is not in the format of a.json"), std::string::npos);
}
