#include <gtest/gtest.h>

#include <filesystem>

#include "importspy/project/result_cache.hpp"
#include "support.hpp"

using namespace importspy;
namespace fs = std::filesystem;

TEST(Sha256, known_digest) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ResultCacheKey, depends_on_every_input_and_never_on_secret_values) {
  EnvironmentFacts env = importspy::testing::linux_cpython();
  env.variables = {{"MODE", "prod"}, {"TOKEN", "secret-1"}};
  ResultKey parts{"0.1.0", "static", "contract", "source", "m.py", "c.yml", &env, {"TOKEN"}};
  const std::string base = result_cache_key(parts);
  auto changed = [&](auto edit) {
    ResultKey copy = parts;
    EnvironmentFacts env_copy = env;
    copy.environment = &env_copy;
    edit(copy, env_copy);
    return result_cache_key(copy);
  };
  EXPECT_NE(base, changed([](ResultKey& k, EnvironmentFacts&) { k.source_text = "source2"; }));
  EXPECT_NE(base, changed([](ResultKey& k, EnvironmentFacts&) { k.contract_text = "contract2"; }));
  EXPECT_NE(base, changed([](ResultKey& k, EnvironmentFacts&) { k.engine_version = "0.2.0"; }));
  EXPECT_NE(base, changed([](ResultKey&, EnvironmentFacts& e) { e.python_version = "3.12.0"; }));
  EXPECT_NE(base, changed([](ResultKey&, EnvironmentFacts& e) { e.variables["MODE"] = "dev"; }));
  EXPECT_NE(base, changed([](ResultKey&, EnvironmentFacts& e) { e.variables["TOKEN"] = ""; }));
  EXPECT_EQ(base, changed([](ResultKey&, EnvironmentFacts& e) { e.variables["TOKEN"] = "secret-2"; }));  // value never counts
}

TEST(ResultCache, stores_and_loads_a_report_with_everything_renderers_need) {
  const fs::path folder = fs::temp_directory_path() / "importspy_result_cache_test";
  fs::remove_all(folder);
  ResultCache cache(folder);
  Report report;
  report.contract_source = "c.yml";
  report.module_filename = "m.py";
  report.violations.push_back(Violation{"variable-missing", Category::missing, Context::module, "variables.x", "'a'", std::nullopt, "msg", "hint", {3, 5}, 0});
  report.trace = CheckTrace{"deployments[0]", {"variables.x"}};
  cache.store("abcdef", report);
  const auto loaded = cache.load("abcdef");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->violations.size(), 1u);
  EXPECT_EQ(loaded->violations[0].contract_mark.line, 3);
  EXPECT_EQ(loaded->violations[0].expected, "'a'");
  EXPECT_FALSE(loaded->violations[0].actual.has_value());
  EXPECT_EQ(loaded->trace->rules, (std::vector<std::string>{"variables.x"}));
  EXPECT_FALSE(cache.load("missing").has_value());
  cache.store_summary("contract-key", {{"A", "B"}, {"B"}});
  EXPECT_EQ(cache.load_summary("contract-key")->secret_names, (std::vector<std::string>{"B"}));
  fs::remove_all(folder);
}

TEST(ResultCache, a_damaged_entry_is_a_miss) { EXPECT_FALSE(deserialize_report("{ not json").has_value()); }
