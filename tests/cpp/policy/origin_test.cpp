// PEP 610 origins and pyproject.toml declarations, read as 0.5.0 reads them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "importspy/policy/admission.hpp"

namespace importspy::policy {
namespace {
namespace fs = std::filesystem;

TEST(PolicyOrigin, reads_vcs_local_and_archive_origins) {
  const Origin vcs = read_direct_url(R"({"url": "https://u:p@GitHub.com/a/b.git", "vcs_info": {"vcs": "git", "commit_id": "abc"}})");
  EXPECT_EQ(vcs.type, "vcs");
  EXPECT_EQ(vcs.url, "https://github.com/a/b.git");
  EXPECT_EQ(vcs.repository, "https://github.com/a/b");
  EXPECT_EQ(vcs.commit, "abc");
  EXPECT_EQ(vcs.editable, false);
  const Origin local = read_direct_url(R"({"url": "file:///src/x", "dir_info": {"editable": true}})");
  EXPECT_EQ(local.type, "local");
  EXPECT_EQ(local.editable, true);
  EXPECT_EQ(read_direct_url(R"({"url": "https://x.org/a.whl", "archive_info": {"hashes": {"sha256": "ab"}}})").type, "archive");
}

TEST(PolicyOrigin, anything_malformed_is_unknown) {
  EXPECT_EQ(read_direct_url(std::nullopt).type, "unknown");
  EXPECT_EQ(read_direct_url("not json").type, "unknown");
  EXPECT_EQ(read_direct_url(R"({"url": "https://x.org", "vcs_info": {"vcs": "git"}})").type, "unknown");  // no commit
  EXPECT_EQ(read_direct_url(R"({"url": "https://x.org", "dir_info": {}, "vcs_info": {}})").type, "unknown");  // two kinds
  EXPECT_EQ(read_direct_url(R"({"url": "https://x.org/src", "dir_info": {}})").type, "unknown");  // dir_info needs file:
  const Origin editable_text = read_direct_url(R"({"url": "file:///s", "dir_info": {"editable": "yes"}})");
  EXPECT_EQ(editable_text.type, "unknown");
  EXPECT_EQ(editable_text.editable, std::nullopt);
}

fs::path project_with(const std::string& name, const std::string& pyproject) {
  const fs::path root = fs::temp_directory_path() / ("importspy_declared_" + name);
  fs::remove_all(root);
  fs::create_directories(root);
  std::ofstream(root / "pyproject.toml") << pyproject;
  return root;
}

TEST(PolicyDeclarations, reads_runtime_and_optional_dependencies_normalised) {
  const auto names = project_declarations(project_with("project", "[project]\nname = 'p'\ndependencies = ['Demo_Dist>=1', 'b[extra] ; python_version>\"3\"']\n"
                                                                   "[project.optional-dependencies]\ntest = ['Pytest.Mock']\n"));
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, (std::set<std::string, std::less<>>{"b", "demo-dist", "pytest-mock"}));
}

TEST(PolicyDeclarations, dynamic_dependencies_or_no_file_are_unknown) {
  EXPECT_FALSE(project_declarations(project_with("dynamic", "[project]\nname = 'p'\ndynamic = ['dependencies']\n")));
  EXPECT_FALSE(project_declarations(fs::temp_directory_path() / "importspy_declared_nowhere"));
  const auto poetry = project_declarations(project_with("poetry", "[tool.poetry.dependencies]\npython = '^3.10'\nRequests = '^2'\n"));
  ASSERT_TRUE(poetry);
  EXPECT_EQ(*poetry, (std::set<std::string, std::less<>>{"requests"}));
}

TEST(PolicyAdmission, resolves_an_import_to_the_installed_distribution_providing_it) {
  const fs::path site = fs::temp_directory_path() / "importspy_policy_site";
  fs::remove_all(site);
  fs::create_directories(site / "demo-1.0.dist-info");
  std::ofstream(site / "demo-1.0.dist-info" / "METADATA") << "Name: Demo\nVersion: 1.0\n";
  std::ofstream(site / "demo-1.0.dist-info" / "top_level.txt") << "demo\n";
  std::ofstream(site / "demo-1.0.dist-info" / "direct_url.json") << R"({"url": "file:///src/demo", "dir_info": {"editable": true}})";
  const DistributionIndex index = DistributionIndex::scan({site});
  Resolution where{{}, site, &index, std::set<std::string, std::less<>>{"demo"}};
  const auto dependencies = resolve({{"demo.sub", 1, 1, 0}, {"missing", 2, 1, 0}}, site / "subject" / "plugin.py", where);
  ASSERT_EQ(dependencies.size(), 2u);
  EXPECT_EQ(dependencies[0].kind, "direct");  // a local (editable) origin
  ASSERT_EQ(dependencies[0].distributions.size(), 1u);
  EXPECT_EQ(dependencies[0].distributions[0].name, "demo");
  EXPECT_EQ(dependencies[0].distributions[0].declared, true);
  EXPECT_EQ(dependencies[0].distributions[0].origin.editable, true);
  EXPECT_EQ(dependencies[0].declared, true);
  EXPECT_EQ(dependencies[1].kind, "unresolved");
  fs::remove_all(site);
}

TEST(PolicyAdmission, a_local_file_shadows_a_stdlib_module_but_not_a_builtin_one) {
  const fs::path root = fs::temp_directory_path() / "importspy_policy_shadow";
  fs::remove_all(root);
  fs::create_directories(root / "nsdir");
  std::ofstream(root / "pyproject.toml") << "[project]\nname = 'x'\n";
  std::ofstream(root / "json.py") << "";
  std::ofstream(root / "sys.py") << "";
  Resolution where{{"json", "sys"}, root, nullptr, std::nullopt, {"sys"}};
  const auto dependencies = resolve({{"json", 1, 1, 0}, {"sys", 2, 1, 0}, {"nsdir", 3, 1, 0}}, root / "plugin.py", where);
  EXPECT_EQ(dependencies[0].kind, "internal");
  EXPECT_EQ(dependencies[1].kind, "stdlib");
  EXPECT_EQ(dependencies[2].kind, "internal");  // a namespace folder no distribution shares
  fs::remove_all(root);
}

TEST(PolicyAdmission, a_relative_import_leaving_the_project_root_is_unresolved) {
  const fs::path base = fs::temp_directory_path() / "importspy_policy_escape";
  fs::remove_all(base);
  fs::create_directories(base / "project" / "pkg");
  std::ofstream(base / "helpers.py") << "";
  std::ofstream(base / "project" / "pkg" / "plugin.py") << "";
  const auto dependencies = resolve({{"helpers", 1, 1, 3}}, base / "project" / "pkg" / "plugin.py", {{}, base / "project"});
  EXPECT_EQ(dependencies[0].kind, "unresolved");
  EXPECT_EQ(dependencies[0].detail, "A local import path escapes the project root.");
  fs::remove_all(base);
}

}  // namespace
}  // namespace importspy::policy
