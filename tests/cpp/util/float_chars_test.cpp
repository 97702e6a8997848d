// The C library's conversions of a double (float_chars::c_library: what a C++ library without
// floating-point <charconv> uses, as GCC 10's for the older-glibc wheels) give std::to_chars' and
// std::from_chars' answers, character for character, on every kind of double (in a comma-decimal locale:
// util/locale_test.cpp).
#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "importspy/util/float_chars.hpp"

namespace importspy {
namespace {

std::string std_scientific(double value) {
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  EXPECT_EQ(error, std::errc{});
  return {buffer, end};
}

std::string c_scientific(double value) {
  char buffer[64];
  const auto [end, error] = float_chars::c_library::to_scientific(buffer, buffer + sizeof buffer, value);
  EXPECT_EQ(error, std::errc{});
  return {buffer, end};
}

// Each kind of double: zeros, subnormals, every power of two (where the interval of decimals that read back
// is lopsided), the extremes, and random bit patterns.
std::vector<double> doubles() {
  std::vector<double> out = {0.0, -0.0, 0.1, 0.3, 1.0 / 3, 2.0 / 3, 1e23, 5e-324, 2.2250738585072009e-308,
                             std::numeric_limits<double>::max(), std::numeric_limits<double>::min(),
                             std::numeric_limits<double>::lowest(), 9007199254740993.0, 123456.789, -1.5e300};
  for (int exponent = -1074; exponent <= 1023; ++exponent) out.push_back(std::ldexp(1.0, exponent));
  std::mt19937_64 random(20261207);
  while (out.size() < 40000) {
    const double value = std::bit_cast<double>(random());
    if (std::isfinite(value)) out.push_back(value);
  }
  return out;
}

TEST(FloatChars, c_library_writes_the_shortest_scientific_text_as_std_does) {
  for (const double value : doubles()) ASSERT_EQ(c_scientific(value), std_scientific(value)) << std::hexfloat << value;
  EXPECT_EQ(c_scientific(5e-324), "5e-324");
  EXPECT_EQ(c_scientific(-0.0), "-0e+00");
  EXPECT_EQ(c_scientific(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(c_scientific(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(c_scientific(std::numeric_limits<double>::quiet_NaN()), std_scientific(std::numeric_limits<double>::quiet_NaN()));
}

TEST(FloatChars, c_library_reports_a_buffer_too_small) {
  char buffer[4];
  const auto [end, error] = float_chars::c_library::to_scientific(buffer, buffer + sizeof buffer, 0.1);
  EXPECT_EQ(error, std::errc::value_too_large);
  EXPECT_EQ(end, buffer + sizeof buffer);
}

// What std::from_chars and the C library's reading make of `text`: where each stopped, its error, and
// the value (left at a sentinel when the reading fails).
void expect_same_reading(const std::string& text) {
  double std_value = -42.0;
  double c_value = -42.0;
  const auto expected = std::from_chars(text.data(), text.data() + text.size(), std_value);
  const auto got = float_chars::c_library::from_decimal(text.data(), text.data() + text.size(), c_value);
  EXPECT_EQ(got.ptr - text.data(), expected.ptr - text.data()) << text;
  EXPECT_EQ(got.ec, expected.ec) << text;
  if (std::isnan(std_value)) {
    EXPECT_TRUE(std::isnan(c_value)) << text;
  } else {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(c_value), std::bit_cast<std::uint64_t>(std_value)) << text;
  }
}

TEST(FloatChars, c_library_reads_what_std_reads) {
  for (const char* text : {"1.5", ".5", "5.", "-2e10", "1E+3", "1e-3", "0", "-0", "007", "1e", "1e+", "1.5e3xyz", "1..5",
                           "1e400", "-1e400", "1e-400", "4.9e-324", "2.4e-324", "2.5e-324", "2.2250738585072011e-308",
                           "inf", "-Infinity", "INFx", "nan", "NaN", "+1", " 1", "", "-", ".", "e5", "0x10", "1_000",
                           "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999999999999999999999999999999999999999999999999999999999999999"}) {
    expect_same_reading(text);
  }
  char buffer[64];
  for (const double value : doubles()) {
    expect_same_reading(c_scientific(value));
    expect_same_reading(std::string(buffer, static_cast<std::size_t>(std::snprintf(buffer, sizeof buffer, "%.17g", value))));
  }
}

}  // namespace
}  // namespace importspy
