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

namespace importspy {
namespace {

// "hello\n" as RECORD writes its SHA-256 (URL-safe base64, no padding).
constexpr const char* kHelloDigest = "sha256=WJG1tSLV3whtD_CxEPvZ0hu0_HFjrzTQgoai6Eb2vgM";

InstalledDistribution record_distribution(const std::string& name, const std::string& record) {
  const fs::path site = site_folder(name);
  write(site / "demo-1.0.dist-info" / "METADATA", "Name: demo\nVersion: 1.0\n");
  write(site / "demo-1.0.dist-info" / "RECORD", record);
  write(site / "demo" / "__init__.py", "hello\n");
  write(site / "demo" / "other.py", "hello\n");
  return *DistributionIndex::scan({site}).find("demo");
}

TEST(RecordVerification, every_listed_file_matching_its_hash_is_verified) {
  const auto result = verify_record(record_distribution(
      "record_ok", std::string("demo/__init__.py,") + kHelloDigest + ",6\n\"demo/other.py\"," + kHelloDigest + ",6\ndemo-1.0.dist-info/RECORD,,\n"));
  EXPECT_TRUE(result.verified());
  EXPECT_EQ(result.files_checked, 2u);
  EXPECT_EQ(result.unhashed, 1u);
}

TEST(RecordVerification, an_edited_file_is_a_mismatch) {
  const auto distribution = record_distribution("record_edited", std::string("demo/__init__.py,") + kHelloDigest + ",6\n");
  write(distribution.metadata_folder.parent_path() / "demo" / "__init__.py", "patched\n");
  const auto result = verify_record(distribution);
  EXPECT_FALSE(result.verified());
  EXPECT_EQ(result.mismatched, (std::vector<std::string>{"demo/__init__.py"}));
}

TEST(RecordVerification, a_listed_file_that_is_absent_or_not_regular_is_missing) {
  const auto distribution = record_distribution("record_missing", std::string("demo/gone.py,") + kHelloDigest + ",6\ndemo," + kHelloDigest + ",6\n");
  const auto result = verify_record(distribution);
  EXPECT_FALSE(result.verified());
  EXPECT_EQ(result.missing, (std::vector<std::string>{"demo/gone.py", "demo"}));
}

TEST(RecordVerification, a_hash_other_than_sha256_cannot_verify) {
  const auto result = verify_record(record_distribution("record_md5", "demo/__init__.py,md5=abc,6\n"));
  EXPECT_FALSE(result.verified());
  EXPECT_EQ(result.mismatched.size(), 1u);
}

TEST(RecordVerification, no_record_or_too_many_rows_is_an_error_not_a_hang) {
  InstalledDistribution none = record_distribution("record_none", "");
  fs::remove(none.metadata_folder / "RECORD");
  EXPECT_EQ(verify_record(none).error, "the distribution has no readable RECORD");
  std::string rows;
  for (int i = 0; i < 20; ++i) rows += "demo/__init__.py," + std::string(kHelloDigest) + ",6\n";
  EXPECT_EQ(verify_record(record_distribution("record_long", rows), 10).error, "RECORD lists more than 10 files");
}

}  // namespace
}  // namespace importspy
