#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "importspy/project/config.hpp"

using namespace importspy;
namespace fs = std::filesystem;

namespace {

fs::path write_settings(const std::string& name, const std::string& text) {
  const fs::path folder = fs::temp_directory_path() / ("importspy_settings_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
  fs::remove_all(folder);
  fs::create_directories(folder / "deep" / "er");
  std::ofstream(folder / name) << text;
  return folder / name;
}

}  // namespace

TEST(ProjectConfig, reads_importspy_toml) {
  const auto file = write_settings("importspy.toml", "targets = [\"plugins\"]\nexclude = [\"**/tests/**\"]\nmode = \"runtime\"\n"
                                                     "[[contracts]]\nmatch = \"plugins/*.py\"\ncontract = \"c.yml\"\n");
  const ProjectConfig config = load_project_config(file);
  EXPECT_EQ(config.targets, (std::vector<std::string>{"plugins"}));
  EXPECT_EQ(config.exclude, (std::vector<std::string>{"**/tests/**"}));
  EXPECT_EQ(config.mode, "runtime");
  ASSERT_EQ(config.contracts.size(), 1u);
  EXPECT_EQ(config.contracts[0].contract, file.parent_path() / "c.yml");
}

TEST(ProjectConfig, reads_the_tool_table_of_pyproject_and_is_found_from_a_subfolder) {
  const auto file = write_settings("pyproject.toml", "[project]\nname = \"x\"\n[tool.importspy]\ntargets = [\"src\"]\n");
  const auto found = find_project_config(file.parent_path() / "deep" / "er");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->file, file);
  EXPECT_EQ(found->targets, (std::vector<std::string>{"src"}));
}

TEST(ProjectConfig, a_pyproject_without_the_table_is_not_a_setting) {
  const auto file = write_settings("pyproject.toml", "[project]\nname = \"x\"\n");
  const auto found = find_project_config(file.parent_path());
  EXPECT_TRUE(!found.has_value() || found->file != file);
}

TEST(ProjectConfig, first_matching_mapping_wins_paths_and_modules) {
  const auto file = write_settings("importspy.toml",
                                   "[[contracts]]\nmatch = \"plugins/special.py\"\ncontract = \"special.yml\"\n"
                                   "[[contracts]]\nmatch = \"plugins/*.py\"\ncontract = \"plugin.yml\"\n"
                                   "[[contracts]]\nmatch = \"plugins/late.py\"\ncontract = \"never.yml\"\n"
                                   "[[contracts]]\nmatch = \"myapp.ext.*\"\ncontract = \"ext.yml\"\n");
  const ProjectConfig config = load_project_config(file);
  const fs::path root = file.parent_path();
  EXPECT_EQ(config.contract_for(root / "plugins/special.py", "")->filename(), "special.yml");
  EXPECT_EQ(config.contract_for(root / "plugins/late.py", "")->filename(), "plugin.yml");
  EXPECT_EQ(config.contract_for("", "myapp.ext.deep.plugin")->filename(), "ext.yml");
  EXPECT_EQ(config.contract_for("", "myapp.ext.plugin")->filename(), "ext.yml");
  EXPECT_FALSE(config.contract_for("", "myapp.ext").has_value());  // the package itself is not under `.*`
  EXPECT_FALSE(config.contract_for(root / "other/x.py", "other.x").has_value());
}

TEST(ProjectConfig, unknown_keys_name_the_place_and_suggest) {
  const auto file = write_settings("importspy.toml", "targets = []\ncontract = \"x\"\n");
  try {
    load_project_config(file);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(std::string(e.what()).find("did you mean `contracts`?"), std::string::npos);
  }
}

TEST(ProjectConfig, invalid_toml_and_invalid_values_are_errors) {
  EXPECT_THROW(load_project_config(write_settings("importspy.toml", "targets = [\n")), ConfigError);
  EXPECT_THROW(load_project_config(write_settings("importspy.toml", "mode = \"dynamic\"\n")), ConfigError);
  EXPECT_THROW(load_project_config(write_settings("importspy.toml", "targets = \"plugins\"\n")), ConfigError);
  EXPECT_THROW(load_project_config(write_settings("importspy.toml", "[[contracts]]\nmatch = \"x\"\n")), ConfigError);
}

TEST(ProjectConfig, reads_the_unverifiable_setting_of_a_mapping_and_rejects_other_values) {
  const auto file = write_settings("importspy.toml", "[[contracts]]\nmatch = \"a.*\"\ncontract = \"c.yml\"\nunverifiable = \"warn\"\n"
                                                     "[[contracts]]\nmatch = \"b.*\"\ncontract = \"c.yml\"\n");
  const ProjectConfig config = load_project_config(file);
  ASSERT_EQ(config.contracts.size(), 2u);
  EXPECT_EQ(config.contracts[0].unverifiable, "warn");
  EXPECT_EQ(config.contracts[1].unverifiable, "");  // by the mode: deny when enforcing
  try {
    load_project_config(write_settings("importspy.toml", "[[contracts]]\nmatch = \"a.*\"\ncontract = \"c.yml\"\nunverifiable = \"maybe\"\n"));
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.line(), 4);
    EXPECT_NE(std::string(e.what()).find("\"deny\", \"warn\" or \"allow\""), std::string::npos);
  }
}

TEST(ProjectConfig, module_names_from_paths) {
  EXPECT_EQ(module_name_for_path("/r/pkg/sub/mod.py", "/r"), "pkg.sub.mod");
  EXPECT_EQ(module_name_for_path("/r/pkg/__init__.py", "/r"), "pkg");
}

TEST(ProjectConfig, reads_importspy_0_5_subjects) {
  const auto file = write_settings("pyproject.toml", "[tool.importspy]\nsubjects = [{path = \"src/a.py\", contract = \"a.yml\"}]\n");
  const ProjectConfig config = load_project_config(file);
  ASSERT_EQ(config.subjects.size(), 1u);
  EXPECT_EQ(config.subjects[0].path, "src/a.py");
  EXPECT_EQ(config.subjects[0].contract, "a.yml");
  EXPECT_FALSE(config.subjects_error);
}

TEST(ProjectConfig, keeps_a_malformed_subjects_list_as_an_error_for_the_0_5_check_only) {
  const auto file = write_settings("pyproject.toml", "[tool.importspy]\ntargets = [\"src\"]\nsubjects = [{path = \"src/a.py\"}]\n");
  const ProjectConfig config = load_project_config(file);  // does not throw: 0.4 checks of this tree keep working
  EXPECT_EQ(config.targets, (std::vector<std::string>{"src"}));
  EXPECT_TRUE(config.subjects.empty());
  ASSERT_TRUE(config.subjects_error);
  EXPECT_NE(config.subjects_error->find("pyproject.toml:3:"), std::string::npos);
  EXPECT_NE(config.subjects_error->find("exactly the text keys `path` and `contract`"), std::string::npos);
  EXPECT_TRUE(load_project_config(write_settings("pyproject.toml", "[tool.importspy]\nsubjects = []\n")).subjects_error);
}

TEST(ProjectConfig, packages_are_folders_relative_to_the_settings_or_dotted_names) {
  const auto file = write_settings("importspy.toml", "[[packages]]\npackage = \"deep\"\ncontract = \"c.yml\"\n"
                                                     "[[packages]]\npackage = \"src/app\"\ncontract = \"/abs/c.yml\"\n"
                                                     "[[packages]]\npackage = \"myapp.plugins\"\ncontract = \"c.yml\"\n");
  const ProjectConfig config = load_project_config(file);
  ASSERT_EQ(config.packages.size(), 3u);
  EXPECT_EQ(config.packages[0].package, (file.parent_path() / "deep").string());  // an existing folder
  EXPECT_EQ(config.packages[0].contract, file.parent_path() / "c.yml");
  EXPECT_EQ(config.packages[1].package, (file.parent_path() / "src" / "app").string());  // a path by its slash
  EXPECT_EQ(config.packages[1].contract, fs::path("/abs/c.yml"));
  EXPECT_EQ(config.packages[2].package, "myapp.plugins");  // looked up on sys.path when checked
}

TEST(ProjectConfig, a_packages_entry_needs_both_keys_and_no_other) {
  const auto missing = write_settings("importspy.toml", "[[packages]]\npackage = \"app\"\n");
  try {
    load_project_config(missing);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.line(), 1);
    EXPECT_NE(std::string(error.what()).find("needs `package"), std::string::npos) << error.what();
  }
  const auto extra = write_settings("importspy.toml", "[[packages]]\npackage = \"app\"\ncontract = \"c.yml\"\nmatch = \"x\"\n");
  EXPECT_THROW(load_project_config(extra), ConfigError);
  const auto not_a_list = write_settings("importspy.toml", "packages = \"app\"\n");
  EXPECT_THROW(load_project_config(not_a_list), ConfigError);
}
