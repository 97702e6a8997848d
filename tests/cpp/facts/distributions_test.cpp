// Installed distributions read from *.dist-info folders, without Python.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "importspy/facts/distributions.hpp"

namespace importspy {
namespace {
namespace fs = std::filesystem;

fs::path site_folder(const std::string& name) {
  const fs::path site = fs::temp_directory_path() / ("importspy_site_" + name);
  fs::remove_all(site);
  fs::create_directories(site);
  return site;
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(DistributionIndex, reads_name_version_origin_and_installer_and_maps_import_names) {
  const fs::path site = site_folder("basic");
  write(site / "Demo_Dist-1.2.0.dist-info" / "METADATA", "Metadata-Version: 2.1\nname: Demo_Dist\nVersion: 1.2.0\n\nName: not-a-header\n");
  write(site / "Demo_Dist-1.2.0.dist-info" / "RECORD", "demo/__init__.py,,\ndemo/sub/x.py,,\nsingle.py,,\n\"odd,name.py\",,\ndemo_dist-1.2.0.dist-info/METADATA,,\n");
  write(site / "Demo_Dist-1.2.0.dist-info" / "INSTALLER", "pip\n");
  write(site / "Demo_Dist-1.2.0.dist-info" / "direct_url.json", "{\"url\": \"file:///src\", \"dir_info\": {}}");
  write(site / "other-0.1.dist-info" / "METADATA", "Name: other\nVersion: 0.1\n");
  write(site / "other-0.1.dist-info" / "top_level.txt", "demo\nother_mod\n");
  write(site / "broken.dist-info" / "RECORD", "");  // no METADATA: not a distribution
  const DistributionIndex index = DistributionIndex::scan({site, site / "missing"});
  const InstalledDistribution* demo = index.find("demo-dist");
  ASSERT_NE(demo, nullptr);
  EXPECT_EQ(demo->name, "Demo_Dist");
  EXPECT_EQ(demo->version, "1.2.0");
  // Quoted CSV paths are read whole; dist-info files are not .py files.
  EXPECT_EQ(demo->top_level, (std::vector<std::string>{"demo", "odd,name", "single"}));
  EXPECT_EQ(demo->installer, "pip");
  ASSERT_TRUE(demo->direct_url);
  ASSERT_NE(index.providers("demo"), nullptr);
  EXPECT_EQ(*index.providers("demo"), (std::vector<std::string>{"Demo_Dist", "other"}));
  EXPECT_EQ(index.providers("nothing"), nullptr);
  EXPECT_EQ(index.find("broken"), nullptr);
  fs::remove_all(site);
}

TEST(DistributionIndex, the_first_path_entry_wins_a_name_as_importlib_finds_it) {
  const fs::path first = site_folder("first"), second = site_folder("second");
  write(first / "a-1.dist-info" / "METADATA", "Name: a\nVersion: 1\n");
  write(second / "a-2.dist-info" / "METADATA", "Name: A\nVersion: 2\n");
  EXPECT_EQ(DistributionIndex::scan({first, second}).find("a")->version, "1");
  EXPECT_EQ(DistributionIndex::scan({second, first}).find("a")->version, "2");
  fs::remove_all(first);
  fs::remove_all(second);
}

}  // namespace
}  // namespace importspy
