#include "importspy/facts/module_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <vector>

using namespace importspy;
namespace fs = std::filesystem;

class ModuleFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("importspy_module_file_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path touch(const fs::path& relative) const {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << "";
    return root_ / relative;
  }
  fs::path root_;
};

TEST_F(ModuleFileTest, a_package_comes_before_a_module_of_the_same_name_as_cpython_finds_them) {
  touch("one/app/db.py");
  const fs::path package = touch("one/app/db/__init__.py");
  const std::vector<fs::path> folders{root_ / "one"};
  EXPECT_EQ(locate_module_file("app.db", folders), package);
}

TEST_F(ModuleFileTest, the_first_folder_holding_the_name_wins_and_a_missing_name_is_nothing) {
  const fs::path first = touch("one/tool.py");
  touch("two/tool/__init__.py");
  const std::vector<fs::path> folders{root_ / "one", root_ / "two"};
  EXPECT_EQ(locate_module_file("tool", folders), first);
  EXPECT_EQ(locate_module_file("absent", folders), std::nullopt);
}

TEST_F(ModuleFileTest, a_name_with_an_empty_part_is_nothing) {
  touch("one/a/b.py");
  const std::vector<fs::path> folders{root_ / "one"};
  EXPECT_NE(locate_module_file("a.b", folders), std::nullopt);
  EXPECT_EQ(locate_module_file("a..b", folders), std::nullopt);
  EXPECT_EQ(locate_module_file(".a", folders), std::nullopt);
  EXPECT_EQ(locate_module_file("", folders), std::nullopt);
}

TEST_F(ModuleFileTest, a_package_folder_is_named_up_the_chain_of_folders_with_an_init_file) {
  touch("src/app/__init__.py");
  touch("src/app/plugins/__init__.py");
  touch("src/app/plugins/loose/audio.py");  // no __init__.py: not a package
  EXPECT_EQ(package_name_of(root_ / "src" / "app" / "plugins"), "app.plugins");
  EXPECT_EQ(package_name_of(root_ / "src" / "app"), "app");
  EXPECT_EQ(package_name_of(root_ / "src"), "");
  EXPECT_EQ(package_name_of(root_ / "src" / "app" / "plugins" / "loose"), "");
  EXPECT_EQ(package_name_of(root_ / "absent"), "");
}
