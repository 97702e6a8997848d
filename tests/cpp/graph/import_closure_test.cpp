#include "importspy/graph/import_closure.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "importspy/graph/import_graph.hpp"
#include "importspy/source/reader.hpp"

using namespace importspy;
namespace fs = std::filesystem;

class ImportClosureTest : public ::testing::Test {
protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("importspy_closure_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path write(const fs::path& relative, const std::string& text) const {
    const fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path;
  }
  ModuleFacts read(const fs::path& file, const std::string& name) const {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return read_module_source(text.str(), file.string(), name);
  }
  ModuleReader reader() {
    return [this](const fs::path& file, const std::string& name) -> std::optional<ModuleFacts> {
      ++reads_;
      if (file.filename() == "broken.py") return std::nullopt;
      return read(file, name);
    };
  }
  static std::vector<std::string> names(const ImportClosure& closure) {
    std::vector<std::string> out;
    for (const auto& m : closure.modules) out.push_back(m.name);
    return out;
  }
  fs::path root_;
  int reads_ = 0;
};

TEST_F(ImportClosureTest, follows_imports_breadth_first_through_packages_relative_imports_and_submodules) {
  write("app/__init__.py", "");
  const fs::path main = write("app/main.py", "from . import util\nimport os\nfrom app.sub import leaf\n");
  write("app/util.py", "from .sub import helpers as h\n");
  write("app/sub/__init__.py", "");
  write("app/sub/leaf.py", "x = 1\n");
  write("app/sub/helpers.py", "import app.main\n");
  const std::vector<fs::path> search{root_};
  const ImportClosure closure = read_import_closure(read(main, "app.main"), search, reader());
  EXPECT_FALSE(closure.truncated);
  // os is on no folder of the search path: a leaf, never read.
  EXPECT_EQ(names(closure), (std::vector<std::string>{"app.main", "app", "app.util", "app.sub", "app.sub.leaf", "app.sub.helpers"}));
  const ImportGraph graph = build_import_graph(closure.modules);
  const auto cycles = cycles_through(import_cycles(graph), 0);
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0].front(), 0u);  // turned to start at the checked module
}

TEST_F(ImportClosureTest, a_module_that_cannot_be_read_is_a_leaf_and_each_module_is_read_once) {
  const fs::path main = write("main.py", "import broken\nimport a\nimport a\nimport b\n");
  write("broken.py", "def f(:\n");
  write("a.py", "import b\nimport main\n");
  write("b.py", "import a\n");
  const std::vector<fs::path> search{root_};
  const ImportClosure closure = read_import_closure(read(main, "main"), search, reader());
  EXPECT_EQ(names(closure), (std::vector<std::string>{"main", "a", "b"}));
  EXPECT_EQ(reads_, 3);  // broken, a, b: the root is given, main is not read again
}

TEST_F(ImportClosureTest, stops_at_the_limit_and_says_so) {
  for (int i = 0; i < 50; ++i) write("m" + std::to_string(i) + ".py", "import m" + std::to_string(i + 1) + "\n");
  const std::vector<fs::path> search{root_};
  const ImportClosure closure = read_import_closure(read(root_ / "m0.py", "m0"), search, reader(), 10);
  EXPECT_TRUE(closure.truncated);
  EXPECT_EQ(closure.modules.size(), 10u);
}

TEST_F(ImportClosureTest, the_first_folder_of_the_search_path_that_holds_a_module_wins) {
  write("first/dep.py", "x = 1\n");
  write("second/dep.py", "import other\n");
  write("second/other.py", "");
  const fs::path main = write("main.py", "import dep\n");
  const std::vector<fs::path> search{root_ / "first", root_ / "second"};
  const ImportClosure closure = read_import_closure(read(main, "main"), search, reader());
  ASSERT_EQ(closure.modules.size(), 2u);
  EXPECT_EQ(fs::path(closure.modules[1].filename).parent_path().filename(), "first");
}

TEST(CyclesThrough, turns_each_cycle_holding_the_module_to_start_at_it_and_leaves_the_others_out) {
  const std::vector<std::vector<std::size_t>> cycles{{1, 2, 3}, {4, 5}};
  EXPECT_EQ(cycles_through(cycles, 3), (std::vector<std::vector<std::size_t>>{{3, 1, 2}}));
  EXPECT_TRUE(cycles_through(cycles, 0).empty());
}
