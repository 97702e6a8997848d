#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "importspy/project/config.hpp"
#include "importspy/project/target_discovery.hpp"

using namespace importspy;
namespace fs = std::filesystem;

TEST(GlobMatch, star_stays_within_one_component) {
  EXPECT_TRUE(glob_match("plugins/*.py", "plugins/a.py"));
  EXPECT_FALSE(glob_match("plugins/*.py", "plugins/deep/a.py"));
}

TEST(GlobMatch, double_star_spans_components) {
  EXPECT_TRUE(glob_match("plugins/**/*.py", "plugins/a.py"));
  EXPECT_TRUE(glob_match("plugins/**/*.py", "plugins/x/y/a.py"));
  EXPECT_TRUE(glob_match("**/tests/**", "src/tests/unit/t.py"));
  EXPECT_FALSE(glob_match("plugins/**/*.py", "other/a.py"));
}

TEST(GlobMatch, question_mark_and_classes) {
  EXPECT_TRUE(glob_match("p/[ab].py", "p/a.py"));
  EXPECT_FALSE(glob_match("p/[ab].py", "p/c.py"));
  EXPECT_TRUE(glob_match("p/[!ab].py", "p/c.py"));
  EXPECT_TRUE(glob_match("p/[a-c]?.py", "p/b1.py"));
}

TEST(GlobPattern, literal_patterns_are_recognised) {
  EXPECT_TRUE(GlobPattern("plugins/a.py").is_literal());
  EXPECT_FALSE(GlobPattern("plugins/*.py").is_literal());
  EXPECT_TRUE(GlobPattern("plugins/*.py").matches("plugins/b.py"));
}

class DiscoveryTest : public ::testing::Test {
protected:
  void SetUp() override {
    previous_ = fs::current_path();
    root_ = fs::temp_directory_path() / ("importspy_discovery_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    fs::current_path(root_);
  }
  void TearDown() override {
    fs::current_path(previous_);
    fs::remove_all(root_);
  }
  static void touch(const fs::path& path) {
    fs::create_directories(path.parent_path().empty() ? "." : path.parent_path());
    std::ofstream(path) << "x = 1\n";
  }
  static std::vector<std::string> shown(const std::vector<DiscoveredTarget>& targets) {
    std::vector<std::string> out;
    for (const auto& t : targets) out.push_back(t.display);
    return out;
  }
  fs::path previous_, root_;
};

TEST_F(DiscoveryTest, directories_are_walked_sorted_skipping_caches_hidden_folders_and_virtual_environments) {
  touch("p/b.py");
  touch("p/a.py");
  touch("p/sub/c.py");
  touch("p/__pycache__/d.py");
  touch("p/.git/e.py");
  touch("p/env/lib/f.py");
  std::ofstream("p/env/pyvenv.cfg") << "home = /usr\n";
  touch("p/readme.txt");
  EXPECT_EQ(shown(discover_targets({"p"}, {})), (std::vector<std::string>{"p/a.py", "p/b.py", "p/sub/c.py"}));
}

TEST_F(DiscoveryTest, compiled_modules_are_found_so_that_they_are_reported_not_skipped) {
  touch("p/a.py");
  touch("p/a.cpython-311-x86_64-linux-gnu.so");  // wins over a.py when imported: it is what would run
  touch("p/b.pyc");                               // sourceless: importable
  touch("p/c.py");
  touch("p/c.pyc");                               // beside its source: never imported
  touch("p/__pycache__/a.cpython-311.pyc");
  touch("p/w.pyd");
  EXPECT_EQ(shown(discover_targets({"p"}, {})),
            (std::vector<std::string>{"p/a.cpython-311-x86_64-linux-gnu.so", "p/a.py", "p/b.pyc", "p/c.py", "p/w.pyd"}));
}

TEST_F(DiscoveryTest, excludes_match_paths_or_file_names) {
  touch("p/a.py");
  touch("p/test_a.py");
  touch("p/tests/t.py");
  EXPECT_EQ(shown(discover_targets({"p"}, DiscoveryOptions{.excludes = {"test_*.py", "p/tests/**"}})), (std::vector<std::string>{"p/a.py"}));
  // One pattern language: a module pattern is anchored at the top-level package, a path pattern at the
  // working directory; an excluded folder takes what is inside it.
  EXPECT_EQ(shown(discover_targets({"p"}, DiscoveryOptions{.excludes = {"**/tests"}})), (std::vector<std::string>{"p/a.py", "p/test_a.py"}));
  EXPECT_EQ(shown(discover_targets({"p"}, DiscoveryOptions{.excludes = {"p.tests"}})), (std::vector<std::string>{"p/a.py", "p/test_a.py"}));
  EXPECT_EQ(shown(discover_targets({"p"}, DiscoveryOptions{.excludes = {"tests"}})), (std::vector<std::string>{"p/a.py", "p/test_a.py", "p/tests/t.py"}));
}

TEST_F(DiscoveryTest, explicit_files_are_never_excluded_and_duplicates_are_listed_once) {
  touch("p/test_a.py");
  EXPECT_EQ(shown(discover_targets({"p/test_a.py", "p", "p/test_a.py"}, DiscoveryOptions{.excludes = {"test_*.py"}})), (std::vector<std::string>{"p/test_a.py"}));
}

TEST_F(DiscoveryTest, glob_patterns_and_dotted_names) {
  touch("p/a.py");
  touch("p/b.py");
  const auto targets = discover_targets({"p/a*.py", "pkg.module"}, {});
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].display, "p/a.py");
  EXPECT_EQ(targets[1].kind, DiscoveredTarget::Kind::dotted_name);
}

TEST_F(DiscoveryTest, each_bad_argument_is_an_error_target) {
  fs::create_directories("empty");
  fs::create_symlink(root_ / "nowhere.py", "dangling.py");
  const auto targets = discover_targets({"empty", "nothing/*.py", "missing.py", "dangling.py"}, {});
  ASSERT_EQ(targets.size(), 4u);
  for (const auto& t : targets) EXPECT_EQ(t.kind, DiscoveredTarget::Kind::error) << t.display;
  EXPECT_NE(targets[0].error.find("no Python file"), std::string::npos);
  EXPECT_NE(targets[1].error.find("no Python file matches"), std::string::npos);
  EXPECT_EQ(targets[2].error, "no such file or directory");
  EXPECT_NE(targets[3].error.find("symbolic link"), std::string::npos);
}

TEST_F(DiscoveryTest, a_folder_covers_its_package_plugins_and_leaves_out_its_own_init_file) {
  touch("plugins/__init__.py");
  touch("plugins/audio.py");
  touch("plugins/video/__init__.py");
  touch("plugins/video/codec.py");
  std::vector<LeftOutModule> left_out;
  EXPECT_EQ(shown(discover_targets({"plugins"}, DiscoveryOptions{.left_out = &left_out})),
            (std::vector<std::string>{"plugins/audio.py", "plugins/video/__init__.py", "plugins/video/codec.py"}));
  ASSERT_EQ(left_out.size(), 1u);
  EXPECT_EQ(left_out[0].target, "plugins/__init__.py");
  EXPECT_NE(left_out[0].why.find("the package this folder is"), std::string::npos) << left_out[0].why;
  EXPECT_EQ(shown(discover_targets({"plugins/__init__.py"}, {})), (std::vector<std::string>{"plugins/__init__.py"}));  // named: checked
}

TEST_F(DiscoveryTest, a_folder_named_with_a_trailing_slash_still_leaves_out_only_its_own_init_file) {
  touch("plugins/__init__.py");
  touch("plugins/video/__init__.py");
  EXPECT_EQ(shown(discover_targets({"plugins/"}, {})), (std::vector<std::string>{"plugins/video/__init__.py"}));
}

TEST_F(DiscoveryTest, with_contract_mappings_a_package_module_is_taken_when_a_match_selects_it) {
  touch("plugins/__init__.py");
  touch("plugins/audio.py");
  touch("plugins/video/__init__.py");
  touch("plugins/video/codec.py");
  ProjectConfig config;
  config.directory = root_;
  ContractMapping mapping;
  mapping.match = "plugins.*";
  mapping.contract = root_ / "plugin.yml";
  config.contracts.push_back(mapping);
  config.index();
  EXPECT_EQ(shown(discover_targets({"plugins"}, DiscoveryOptions{.config = &config})),
            (std::vector<std::string>{"plugins/audio.py", "plugins/video/__init__.py", "plugins/video/codec.py"}));
  config.contracts.front().match = "plugins/**/*.py";  // selects no package
  config.index();
  std::vector<LeftOutModule> left_out;
  EXPECT_EQ(shown(discover_targets({"plugins"}, DiscoveryOptions{.config = &config, .left_out = &left_out})),
            (std::vector<std::string>{"plugins/audio.py", "plugins/video/codec.py"}));
  ASSERT_EQ(left_out.size(), 2u);
  EXPECT_EQ(left_out[1].target, "plugins/video/__init__.py");
  EXPECT_NE(left_out[1].why.find("no `match`"), std::string::npos) << left_out[1].why;
}

TEST_F(DiscoveryTest, excluded_modules_are_listed_as_left_out_unless_another_argument_takes_them) {
  touch("p/a.py");
  touch("p/test_a.py");
  std::vector<LeftOutModule> left_out;
  EXPECT_EQ(shown(discover_targets({"p"}, DiscoveryOptions{.excludes = {"test_*.py"}, .left_out = &left_out})), (std::vector<std::string>{"p/a.py"}));
  ASSERT_EQ(left_out.size(), 1u);
  EXPECT_EQ(left_out[0].target, "p/test_a.py");
  EXPECT_NE(left_out[0].why.find("excluded"), std::string::npos);
  left_out.clear();
  discover_targets({"p", "p/test_a.py"}, DiscoveryOptions{.excludes = {"test_*.py"}, .left_out = &left_out});
  EXPECT_TRUE(left_out.empty());
}

TEST_F(DiscoveryTest, a_folder_with_only_its_own_init_file_names_the_rule) {
  touch("plugins/__init__.py");
  const auto targets = discover_targets({"plugins"}, {});
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].kind, DiscoveredTarget::Kind::error);
  EXPECT_NE(targets[0].error.find("its own __init__.py is checked when named"), std::string::npos);
}

TEST_F(DiscoveryTest, module_names_start_at_the_src_folder_when_it_is_not_a_package) {
  touch("src/myapp/plugins/audio.py");  // myapp: a namespace package (PEP 420)
  touch("tools/run.py");
  const auto targets = discover_targets({"src", "tools"}, {});
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].module_name, "myapp.plugins.audio");
  EXPECT_EQ(targets[1].module_name, "tools.run");
  touch("src/__init__.py");  // now `src` is a package, not a source root
  EXPECT_EQ(discover_targets({"src/myapp/plugins/audio.py"}, {})[0].module_name, "src.myapp.plugins.audio");
}

TEST_F(DiscoveryTest, named_files_are_looked_at_on_several_threads_with_the_same_result) {
  std::vector<std::string> arguments;
  for (int i = 0; i < 600; ++i) {
    const std::string file = "pkg/sub" + std::to_string(i % 7) + "/m" + std::to_string(i) + ".py";
    touch(file);
    arguments.push_back(i % 2 ? file : (root_ / file).string());  // relative and absolute
    if (i % 50 == 0) arguments.push_back(file);                   // named twice: listed once
    if (i % 97 == 0) arguments.push_back("pkg/missing" + std::to_string(i) + ".py");
    if (i % 150 == 0) arguments.push_back("pkg/sub1");  // a folder among the files
  }
  const auto serial = discover_targets(arguments, {});
  ASSERT_GT(serial.size(), 600u);
  for (int jobs : {2, 3, 8}) {
    const auto parallel = discover_targets(arguments, DiscoveryOptions{.jobs = jobs});
    ASSERT_EQ(parallel.size(), serial.size()) << jobs;
    for (std::size_t i = 0; i < serial.size(); ++i) {
      EXPECT_EQ(parallel[i].kind, serial[i].kind);
      EXPECT_EQ(parallel[i].display, serial[i].display);
      EXPECT_EQ(parallel[i].path, serial[i].path);
      EXPECT_EQ(parallel[i].error, serial[i].error);
      EXPECT_EQ(parallel[i].module_name, serial[i].module_name);
      EXPECT_EQ(parallel[i].size, serial[i].size);
    }
  }
  EXPECT_EQ(serial.front().display, "pkg/sub0/m0.py");
  EXPECT_EQ(serial.front().module_name, "pkg.sub0.m0");
}

// Names are read from the path as written when it is plain (absolute, no "." or ".." part), from its
// components otherwise; both ways must give the same name.
TEST_F(DiscoveryTest, module_names_of_absolute_paths_plain_or_not) {
  const std::vector<fs::path> roots = source_roots(root_);
  const std::string here = root_.generic_string();
  EXPECT_EQ(module_name_in(here + "/pkg/sub/mod.py", roots), "pkg.sub.mod");
  EXPECT_EQ(module_name_in(here + "/pkg/./sub/../sub/mod.py", roots), "pkg.sub.mod");
  EXPECT_EQ(module_name_in(here + "/pkg/sub/__init__.py", roots), "pkg.sub");
  EXPECT_EQ(module_name_in(here + "/pkg/fast.cpython-311-x86_64-linux-gnu.so", roots), "pkg.fast");
  EXPECT_EQ(module_name_in(here + "/pkg/v1.2/mod.py", roots), "pkg.v1.2.mod");  // a dotted folder is not a compiled module
  // Outside every root: the module's own name, and none for a package's __init__.py.
  EXPECT_EQ(module_name_in("/elsewhere/lib/tool.py", roots), "tool");
  EXPECT_EQ(module_name_in("/elsewhere/lib/../lib/tool.py", roots), "tool");
  EXPECT_EQ(module_name_in("/elsewhere/lib/__init__.py", roots), "");
  EXPECT_EQ(module_name_in(here + "suffix/m.py", roots), "m");  // a sibling sharing the prefix is not below
}

TEST_F(DiscoveryTest, module_patterns_and_namespace_packages_are_found_in_the_source_roots_and_the_search_path) {
  touch("src/myapp/plugins/__init__.py");
  touch("src/myapp/plugins/audio.py");
  touch("src/myapp/plugins/video/__init__.py");
  touch("src/myapp/plugins/video/codec.py");
  touch("elsewhere/extra/tool.py");
  const auto names = [](const std::vector<DiscoveredTarget>& targets) {
    std::vector<std::string> out;
    for (const auto& t : targets) out.push_back(t.kind == DiscoveredTarget::Kind::error ? "error: " + t.error : t.module_name + " " + t.path.generic_string());
    return out;
  };
  EXPECT_EQ(names(discover_targets({"myapp.plugins.*"}, {})),
            (std::vector<std::string>{"myapp.plugins.audio " + (root_ / "src/myapp/plugins/audio.py").generic_string(),
                                      "myapp.plugins.video " + (root_ / "src/myapp/plugins/video/__init__.py").generic_string(),
                                      "myapp.plugins.video.codec " + (root_ / "src/myapp/plugins/video/codec.py").generic_string()}));
  // `myapp` has no __init__.py: a namespace package, which is the modules inside it, the packages inside
  // it included, as for a folder (it has no __init__.py of its own to leave out).
  EXPECT_EQ(names(discover_targets({"myapp"}, {})),
            (std::vector<std::string>{"myapp.plugins " + (root_ / "src/myapp/plugins/__init__.py").generic_string(),
                                      "myapp.plugins.audio " + (root_ / "src/myapp/plugins/audio.py").generic_string(),
                                      "myapp.plugins.video " + (root_ / "src/myapp/plugins/video/__init__.py").generic_string(),
                                      "myapp.plugins.video.codec " + (root_ / "src/myapp/plugins/video/codec.py").generic_string()}));
  EXPECT_EQ(names(discover_targets({"myapp.plugins"}, {})),
            (std::vector<std::string>{"myapp.plugins " + (root_ / "src/myapp/plugins/__init__.py").generic_string()}));
  EXPECT_EQ(names(discover_targets({"extra.*"}, DiscoveryOptions{.search_path = {root_ / "elsewhere"}})),
            (std::vector<std::string>{"extra.tool " + (root_ / "elsewhere/extra/tool.py").generic_string()}));
  EXPECT_EQ(names(discover_targets({"myapp.plugins.*"}, DiscoveryOptions{.excludes = {"myapp.plugins.video"}})),
            (std::vector<std::string>{"myapp.plugins.audio " + (root_ / "src/myapp/plugins/audio.py").generic_string()}));
  EXPECT_EQ(discover_targets({"*.plugins"}, {})[0].kind, DiscoveredTarget::Kind::error);
  EXPECT_EQ(discover_targets({"nothing.here.*"}, {})[0].kind, DiscoveredTarget::Kind::error);
}

TEST_F(DiscoveryTest, the_settings_exclude_is_relative_to_the_settings_folder_and_takes_module_patterns) {
  touch("project/plugins/a.py");
  touch("project/plugins/legacy/old.py");
  touch("project/plugins/b.py");
  ProjectConfig config;
  config.directory = root_ / "project";
  config.exclude = {"plugins/legacy", "plugins.b"};
  config.index();
  EXPECT_EQ(shown(discover_targets({"project/plugins"}, DiscoveryOptions{.config = &config})), (std::vector<std::string>{"project/plugins/a.py"}));
}

TEST_F(DiscoveryTest, a_path_pattern_target_selects_packages_init_files_only_by_name) {
  touch("plugins/__init__.py");
  touch("plugins/a.py");
  touch("plugins/sub/__init__.py");
  EXPECT_EQ(shown(discover_targets({"plugins/**/*.py"}, {})), (std::vector<std::string>{"plugins/a.py"}));
  EXPECT_EQ(shown(discover_targets({"plugins/**/__init__.py"}, {})), (std::vector<std::string>{"plugins/__init__.py", "plugins/sub/__init__.py"}));
}

// display_path takes a string shortcut for plain paths; every shape must read as the component-wise rule
// reads it: below the working directory relative, elsewhere absolute and normal.
TEST_F(DiscoveryTest, display_path_is_relative_below_the_working_directory_and_absolute_elsewhere) {
  const std::string here = root_.generic_string();
  EXPECT_EQ(display_path("a/b.py"), "a/b.py");
  EXPECT_EQ(display_path(root_ / "a" / "b.py"), "a/b.py");
  EXPECT_EQ(display_path(root_), ".");
  EXPECT_EQ(display_path("."), ".");
  EXPECT_EQ(display_path("./a//b.py"), "a/b.py");
  EXPECT_EQ(display_path("a/../b.py"), "b.py");
  EXPECT_EQ(display_path("../x.py"), root_.parent_path().generic_string() + "/x.py");
  EXPECT_EQ(display_path(here + "/../" + root_.filename().string() + "/c.py"), "c.py");
  EXPECT_EQ(display_path(here + "suffix/c.py"), here + "suffix/c.py");  // a sibling sharing the prefix is not below
  EXPECT_EQ(display_path("/elsewhere/c.py"), "/elsewhere/c.py");
  EXPECT_EQ(display_path("/elsewhere/./d/../c.py"), "/elsewhere/c.py");
}

TEST(DisplayPath, everything_is_below_the_root_folder) {
  const fs::path previous = fs::current_path();
  fs::current_path("/");
  EXPECT_EQ(display_path("/usr/lib/x.py"), "usr/lib/x.py");
  EXPECT_EQ(display_path("/"), ".");
  EXPECT_EQ(display_path("usr/x.py"), "usr/x.py");
  fs::current_path(previous);
}
