#include <gtest/gtest.h>

#include "importspy/project/module_pattern.hpp"

using namespace importspy;

namespace {

ModulePlace module(std::string path, std::string name = {}) { return {std::move(path), false, std::move(name)}; }
ModulePlace package(std::string folder, std::string name = {}) { return {std::move(folder), true, std::move(name)}; }

}  // namespace

TEST(ModulePattern, a_slash_or_a_py_ending_makes_a_path_pattern_anything_else_a_module_pattern) {
  EXPECT_TRUE(ModulePattern("plugins/*.py").is_path_pattern());
  EXPECT_TRUE(ModulePattern("conftest.py").is_path_pattern());
  EXPECT_FALSE(ModulePattern("myapp.plugins.*").is_path_pattern());
  EXPECT_FALSE(ModulePattern("tests").is_path_pattern());
}

TEST(ModulePattern, star_stays_within_one_component_and_double_star_spans_any_number) {
  EXPECT_TRUE(ModulePattern("plugins/*.py").matches(module("plugins/a.py")));
  EXPECT_FALSE(ModulePattern("plugins/*.py").matches(module("plugins/deep/a.py")));
  EXPECT_TRUE(ModulePattern("plugins/**/*.py").matches(module("plugins/a.py")));
  EXPECT_TRUE(ModulePattern("plugins/**/*.py").matches(module("plugins/x/y/a.py")));
  EXPECT_TRUE(ModulePattern("myapp.*_plugin").matches(module({}, "myapp.audio_plugin")));
  EXPECT_FALSE(ModulePattern("myapp.*_plugin").matches(module({}, "myapp.sub.audio_plugin")));
  EXPECT_TRUE(ModulePattern("myapp.**.hooks").matches(module({}, "myapp.a.b.hooks")));
  EXPECT_TRUE(ModulePattern("p.[ab]?").matches(module({}, "p.b1")));
}

TEST(ModulePattern, a_final_star_selects_everything_inside_in_both_kinds_never_the_folder_itself) {
  for (const char* text : {"plugins.*", "plugins/*"}) {
    const ModulePattern pattern(text);
    EXPECT_TRUE(pattern.matches(module("plugins/audio.py", "plugins.audio"))) << text;
    EXPECT_TRUE(pattern.matches(module("plugins/audio/codecs.py", "plugins.audio.codecs"))) << text;
    EXPECT_TRUE(pattern.matches(package("plugins/audio", "plugins.audio"))) << text;
    EXPECT_FALSE(pattern.matches(package("plugins", "plugins"))) << text;
    EXPECT_FALSE(pattern.matches(module("other/audio.py", "other.audio"))) << text;
  }
  EXPECT_TRUE(ModulePattern("*").matches(module({}, "anything.at.all")));
}

TEST(ModulePattern, a_file_name_pattern_matches_in_any_folder) {
  EXPECT_TRUE(ModulePattern("test_*.py").matches(module("p/tests/test_a.py")));
  EXPECT_TRUE(ModulePattern("test_*.py").matches(module("test_a.py")));
  EXPECT_FALSE(ModulePattern("test_*.py").matches(module("p/a.py")));
}

TEST(ModulePattern, module_patterns_are_anchored_at_the_top_level_package) {
  EXPECT_TRUE(ModulePattern("tests").matches(package("tests", "tests")));
  EXPECT_FALSE(ModulePattern("tests").matches(package("p/tests", "p.tests")));
  EXPECT_FALSE(ModulePattern("tests").matches(module("tests/t.py", "tests.t")));
}

TEST(ModulePattern, a_package_is_its_folder_and_its_init_file_only_for_patterns_naming_it) {
  EXPECT_FALSE(ModulePattern("plugins/*.py").matches(package("plugins", "plugins")));
  EXPECT_FALSE(ModulePattern("plugins/**/*.py").matches(package("plugins/sub", "plugins.sub")));
  EXPECT_TRUE(ModulePattern("plugins/sub").matches(package("plugins/sub", "plugins.sub")));
  EXPECT_TRUE(ModulePattern("plugins/__init__.py").matches(package("plugins", "plugins")));
  EXPECT_TRUE(ModulePattern("plugins/**/__init__.py").matches(package("plugins/sub", "plugins.sub")));
  EXPECT_TRUE(ModulePattern("__init__.py").matches(package("a/b", "a.b")));
  EXPECT_FALSE(ModulePattern("plugins/**/__init__.py").matches(module("plugins/a.py", "plugins.a")));
  EXPECT_TRUE(ModulePattern("plugins").matches(package("plugins", "plugins")));
}

TEST(ModulePattern, within_also_matches_the_folders_and_packages_a_module_is_inside) {
  EXPECT_TRUE(ModulePattern("p/tests").matches_within(module("p/tests/unit/t.py")));
  EXPECT_TRUE(ModulePattern("**/tests").matches_within(module("p/tests/t.py")));
  EXPECT_TRUE(ModulePattern("tests").matches_within(module("tests/t.py", "tests.t")));
  EXPECT_FALSE(ModulePattern("tests").matches_within(module("p/tests/t.py", "p.tests.t")));
  EXPECT_TRUE(ModulePattern("myapp.legacy").matches_within(package("src/myapp/legacy/old", "myapp.legacy.old")));
  EXPECT_FALSE(ModulePattern("p/tests").matches_within(module("p/testsuite.py")));
}

TEST(ModulePattern, places_are_relative_to_their_folder_and_init_files_are_packages) {
  const ModulePlace place = module_place("/r/plugins/sub/__init__.py", "/r", "plugins.sub");
  EXPECT_EQ(place.path, "plugins/sub");
  EXPECT_TRUE(place.package);
  EXPECT_EQ(module_place("/r/plugins/a.py", "/r", "").path, "plugins/a.py");
  EXPECT_EQ(module_place("/r/__init__.py", "/r", "").path, "");
  EXPECT_TRUE(module_place("/r/__init__.py", "/r", "").package);
}

TEST(ModulePattern, the_examples_of_the_documentation_hold) {  // docs/ci.md, "Patterns"
  EXPECT_TRUE(ModulePattern("myapp.plugins.*").matches(package("src/myapp/plugins/video", "myapp.plugins.video")));
  EXPECT_FALSE(ModulePattern("myapp.plugins.*").matches(module("src/myapp/core.py", "myapp.core")));
  EXPECT_TRUE(ModulePattern("src/myapp/plugins/*").matches(module("src/myapp/plugins/video/codec.py", "myapp.plugins.video.codec")));
  EXPECT_FALSE(ModulePattern("src/myapp/plugins/*").matches(package("src/myapp/plugins", "myapp.plugins")));
  EXPECT_FALSE(ModulePattern("plugins/*.py").matches(module("plugins/video/codec.py")));
  EXPECT_TRUE(ModulePattern("myapp.**.hooks").matches(module({}, "myapp.hooks")));
  EXPECT_FALSE(ModulePattern("myapp.**.hooks").matches(module({}, "myapp.hooks.extra")));
  EXPECT_FALSE(ModulePattern("test_*.py").matches(module("plugins/a_test.py")));
  EXPECT_TRUE(ModulePattern("**/tests").matches_within(module("a/b/tests/deep/t.py")));
}
