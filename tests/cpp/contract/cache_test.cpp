#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "importspy/contract/cache.hpp"

using namespace importspy;
namespace fs = std::filesystem;

namespace {

class ContractCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("importspy_cache_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    path_ = dir_ / "spymodel.yml";
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& text) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << text;
  }
  // Makes the file look old enough for its timestamp to be trusted.
  void age_file() { fs::last_write_time(path_, fs::file_time_type::clock::now() - std::chrono::hours(1)); }

  fs::path dir_;
  fs::path path_;
};

}  // namespace

TEST_F(ContractCacheTest, serves_an_unchanged_file_from_memory) {
  write("filename: a.py\n");
  age_file();
  ContractCache cache;
  auto first = cache.load(path_);
  auto second = cache.load(path_);
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(cache.stats().compiles, 1u);
  EXPECT_EQ(cache.stats().hits, 1u);
}

TEST_F(ContractCacheTest, recompiles_after_an_edit) {
  write("filename: a.py\n");
  age_file();
  ContractCache cache;
  auto first = cache.load(path_);
  write("filename: bb.py\n");
  auto second = cache.load(path_);
  EXPECT_NE(first.get(), second.get());
  EXPECT_EQ(second->module.filename, "bb.py");
}

TEST_F(ContractCacheTest, an_edit_inside_one_timestamp_tick_is_not_missed) {
  write("filename: a.py\n");
  const auto stamp = fs::last_write_time(path_);
  ContractCache cache;
  EXPECT_EQ(cache.load(path_)->module.filename, "a.py");
  write("filename: b.py\n");  // same size
  fs::last_write_time(path_, stamp);  // and the same timestamp
  EXPECT_EQ(cache.load(path_)->module.filename, "b.py");
}

TEST_F(ContractCacheTest, a_recent_unchanged_file_is_reread_but_not_recompiled) {
  write("filename: a.py\n");
  ContractCache cache;
  auto first = cache.load(path_);
  auto second = cache.load(path_);
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(cache.stats().compiles, 1u);
  EXPECT_EQ(cache.stats().rereads, 1u);
}

TEST_F(ContractCacheTest, a_broken_contract_is_not_cached) {
  write("filename: a.py\n");
  age_file();
  ContractCache cache;
  cache.load(path_);
  write("filename: [\n");
  EXPECT_THROW(cache.load(path_), ContractError);
  EXPECT_EQ(cache.size(), 0u);
  write("filename: c.py\n");
  EXPECT_EQ(cache.load(path_)->module.filename, "c.py");
}

TEST_F(ContractCacheTest, a_deleted_file_reports_the_loader_error) {
  write("filename: a.py\n");
  ContractCache cache;
  cache.load(path_);
  fs::remove(path_);
  try {
    cache.load(path_);
    FAIL() << "expected an error";
  } catch (const ContractError& e) {
    EXPECT_EQ(e.kind(), ContractErrorKind::unreadable);
  }
}

TEST_F(ContractCacheTest, concurrent_loads_agree) {
  write("filename: a.py\n");
  age_file();
  ContractCache cache;
  std::vector<std::thread> threads;
  std::vector<std::shared_ptr<const Contract>> results(8);
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 50; ++k) results[i] = cache.load(path_);
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_EQ(r->module.filename, "a.py");
  EXPECT_EQ(cache.size(), 1u);
}
