#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "importspy/util/file_stamp.hpp"
#include "importspy/util/utf8.hpp"

using namespace importspy;
namespace fs = std::filesystem;

TEST(FileStamp, reads_size_and_modification_time) {
  const fs::path path = fs::temp_directory_path() / "importspy_stamp_test.txt";
  std::ofstream(path) << "12345";
  const auto stamp = file_stamp(path);
  ASSERT_TRUE(stamp.has_value());
  EXPECT_EQ(stamp->size, 5u);
  const auto age = std::chrono::system_clock::now() - stamp->modified;
  EXPECT_LT(std::chrono::abs(age), std::chrono::minutes(5));
  fs::remove(path);
}

TEST(FileStamp, missing_files_and_directories_have_none) {
  EXPECT_FALSE(file_stamp("/nonexistent/importspy").has_value());
  EXPECT_FALSE(file_stamp(fs::temp_directory_path()).has_value());
}

TEST(FileStamp, a_recent_modification_is_not_trusted) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_FALSE(stamp_is_trustworthy({1, now - std::chrono::seconds(1)}, now));
  EXPECT_TRUE(stamp_is_trustworthy({1, now - std::chrono::seconds(3)}, now));
}

TEST(Utf8, finds_the_first_invalid_byte_and_its_place) {
  EXPECT_EQ(first_invalid_utf8("caf\xC3\xA9"), std::string_view::npos);
  EXPECT_EQ(first_invalid_utf8("ab\ncd\xFF"), 5u);
  EXPECT_EQ(first_invalid_utf8("\xED\xA0\x80"), 0u);  // a surrogate
  EXPECT_EQ(first_invalid_utf8("\xE2\x82"), 0u);      // truncated
  const SourceMark at = mark_at_offset("ab\ncd\xFF", 5);
  EXPECT_EQ(at.line, 2);
  EXPECT_EQ(at.column, 3);
}
