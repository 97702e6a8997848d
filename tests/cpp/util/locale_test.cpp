// ImportSpy reads and compares the same in a host that changed the C locale: Python embeds it, and a
// program that called setlocale(LC_ALL, "") under a comma-decimal locale must not make `1.9` read as 1,
// nor one under a Turkish single-byte locale make tolower('I') the dotless i.
#include <gtest/gtest.h>

#include <cctype>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>

#include <unistd.h>

#include "importspy/lang/platform.hpp"
#include "importspy/lang/value.hpp"
#include "importspy/lang/version.hpp"
#include "importspy/source/literal.hpp"
#include "importspy/util/float_chars.hpp"

namespace importspy {
namespace {

namespace fs = std::filesystem;

// Sets `source`.`charmap` (installed, or compiled with localedef into a temporary LOCPATH); returns its
// name, or an empty string when this machine cannot make it.
std::string set_locale(const std::string& source, const std::string& charmap) {
  const std::string name = source + "." + charmap;
  if (std::setlocale(LC_ALL, name.c_str())) return name;
  const fs::path dir = fs::temp_directory_path() / "importspy-locale-test";
  fs::create_directories(dir);
  if (!fs::exists(dir / name)) {  // compiled once per machine: localedef takes seconds
    // Compiled beside it and renamed into place: ctest runs the tests of this file in parallel
    // processes, and one must never find the other's half-written locale.
    const fs::path partial = dir / (name + ".partial-" + std::to_string(::getpid()));
    const std::string command = "localedef -i " + source + " -f " + charmap + " '" + partial.string() + "' >/dev/null 2>&1";
    if (std::system(command.c_str()) == -1) return {};
    std::error_code ignored;
    fs::rename(partial, dir / name, ignored);  // fails harmlessly when another process won the race
    fs::remove_all(partial, ignored);
  }
  ::setenv("LOCPATH", dir.c_str(), 1);
  if (std::setlocale(LC_ALL, name.c_str())) return name + " (LOCPATH " + dir.string() + ")";
  return {};
}

std::string set_comma_locale() {
  for (const char* name : {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8"}) {
    if (std::setlocale(LC_ALL, name)) return name;
  }
  return set_locale("de_DE", "UTF-8");
}

class CommaLocale : public ::testing::Test {
protected:
  void SetUp() override {
    name_ = set_comma_locale();
    ASSERT_FALSE(name_.empty()) << "no comma-decimal locale could be set (de_DE/fr_FR); install Debian's `locales` package "
                                   "(scripts/bootstrap.sh does) so that localedef can compile one";
    ASSERT_EQ(std::localeconv()->decimal_point, std::string(",")) << name_;
  }
  void TearDown() override { std::setlocale(LC_ALL, "C"); }
  std::string name_;
};

TEST_F(CommaLocale, reads_a_float_literal_with_its_decimal_point) {
  EXPECT_EQ(number_value("1.9").repr(), "1.9") << name_;
  EXPECT_EQ(number_value("2_5.0e-1").repr(), "2.5");
  EXPECT_EQ(number_value("1.5j").repr(), "1.5j");
}

TEST_F(CommaLocale, writes_floats_as_python_does) {
  EXPECT_EQ(python_float_repr(1.25), "1.25");
  EXPECT_EQ(python_float_repr(1e-7), "1e-07");
  EXPECT_EQ(python_float_repr(1.5e16), "1.5e+16");
}

// The C library's conversions that stand in for floating-point <charconv> where the C++ library has none
// (GCC 10: the older-glibc wheels) read and write a point as well.
TEST_F(CommaLocale, c_library_float_conversions_use_a_decimal_point) {
  char buffer[32];
  const auto written = float_chars::c_library::to_scientific(buffer, buffer + sizeof buffer, 1.25);
  EXPECT_EQ(std::string(buffer, written.ptr), "1.25e+00") << name_;
  double value = 0;
  const std::string text = "1.9";
  const auto read = float_chars::c_library::from_decimal(text.data(), text.data() + text.size(), value);
  EXPECT_EQ(read.ptr, text.data() + text.size());
  EXPECT_EQ(value, 1.9);
}

class TurkishLocale : public ::testing::Test {
protected:
  void SetUp() override {
    name_ = set_locale("tr_TR", "ISO-8859-9");
    ASSERT_FALSE(name_.empty()) << "tr_TR.ISO-8859-9 could not be set; install Debian's `locales` package (scripts/bootstrap.sh does) "
                                   "so that localedef can compile it";
    volatile unsigned char upper = 'I';  // volatile: GCC folds tolower() of a constant as in the C locale
    ASSERT_EQ(std::tolower(upper), 0xFD) << name_ << ": the locale does not show the hazard this test guards against";
  }
  void TearDown() override { std::setlocale(LC_ALL, "C"); }
  std::string name_;
};

TEST_F(TurkishLocale, compares_platform_names_ignoring_ascii_case_only) {
  EXPECT_EQ(canonical_os("WINDOWS"), std::optional<std::string_view>("windows")) << name_;
  EXPECT_EQ(canonical_os("LINUX"), std::optional<std::string_view>("linux"));
}

TEST_F(TurkishLocale, reads_version_words_ignoring_ascii_case_only) {
  const auto preview = Version::parse("1.0PREVIEW1");
  ASSERT_TRUE(preview) << name_;
  EXPECT_EQ(preview->str(), "1.0rc1");
  const auto local = Version::parse("1.0+LINUX");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->str(), "1.0+linux");
}

TEST(Literal, reads_float_literals_out_of_range_as_python_does) {
  EXPECT_EQ(number_value("1e400").repr(), "inf");
  EXPECT_EQ(number_value("1e-400").repr(), "0.0");
  EXPECT_EQ(number_value("0.00001e-320").repr(), "0.0");
  EXPECT_EQ(number_value("123456789e301").repr(), "inf");
  EXPECT_EQ(number_value("5e-324").repr(), "5e-324");
}

}  // namespace
}  // namespace importspy
