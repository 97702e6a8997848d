// Number literals are read the same in a host that changed the C locale: Python embeds ImportSpy, and a
// program that called setlocale(LC_ALL, "") under a comma-decimal locale must not make `1.9` read as 1.
#include <gtest/gtest.h>

#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "importspy/lang/value.hpp"
#include "importspy/source/literal.hpp"

namespace importspy {
namespace {

namespace fs = std::filesystem;

// Sets a locale whose decimal point is ',' (installed, or compiled with localedef into a temporary
// LOCPATH); returns its name, or an empty string when this machine can make none.
std::string set_comma_locale() {
  for (const char* name : {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8"}) {
    if (std::setlocale(LC_ALL, name)) return name;
  }
  const fs::path dir = fs::temp_directory_path() / "importspy-locale-test";
  fs::create_directories(dir);
  if (!fs::exists(dir / "de_DE.UTF-8")) {  // compiled once per machine: localedef takes seconds
    const std::string command = "localedef -i de_DE -f UTF-8 '" + (dir / "de_DE.UTF-8").string() + "' >/dev/null 2>&1";
    if (std::system(command.c_str()) == -1) return {};
  }
  ::setenv("LOCPATH", dir.c_str(), 1);
  if (std::setlocale(LC_ALL, "de_DE.UTF-8")) return "de_DE.UTF-8 (LOCPATH " + dir.string() + ")";
  return {};
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

TEST(Literal, reads_float_literals_out_of_range_as_python_does) {
  EXPECT_EQ(number_value("1e400").repr(), "inf");
  EXPECT_EQ(number_value("1e-400").repr(), "0.0");
  EXPECT_EQ(number_value("0.00001e-320").repr(), "0.0");
  EXPECT_EQ(number_value("123456789e301").repr(), "inf");
  EXPECT_EQ(number_value("5e-324").repr(), "5e-324");
}

}  // namespace
}  // namespace importspy
