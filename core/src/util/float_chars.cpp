#include "importspy/util/float_chars.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

#include <locale.h>

#include "importspy/util/ascii.hpp"

namespace importspy::float_chars {

namespace {

// The "C" locale, made once and kept for the life of the process.
locale_t c_locale() {
  static const locale_t locale = ::newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
  return locale;
}

double read_c(const std::string& text) { return ::strtod_l(text.c_str(), nullptr, c_locale()); }

// `digits` (one or more decimal digits, no point) × 10^`exponent` as C's %e and std::to_chars write it:
// one digit, the point and the rest when there is a rest, `e`, a sign and at least two exponent digits.
std::string scientific_text(bool negative, const std::string& digits, int exponent) {
  std::string out = negative ? "-" : "";
  out += digits[0];
  if (digits.size() > 1) out += '.' + digits.substr(1);
  char tail[16];
  std::snprintf(tail, sizeof tail, "e%c%02d", exponent < 0 ? '-' : '+', exponent < 0 ? -exponent : exponent);
  return out + tail;
}

// The digits of the p-digit decimal next to `digits` (up or down by one in the last place), with the
// exponent moved when a carry or borrow changes the number of leading digits.
void step(std::string& digits, int& exponent, bool up) {
  std::size_t i = digits.size();
  if (up) {
    while (i > 0 && digits[i - 1] == '9') digits[--i] = '0';
    if (i == 0) {  // 9.99e+N + 1 ulp = 1.00e+(N+1)
      digits.insert(digits.begin(), '1');
      digits.pop_back();
      ++exponent;
    } else {
      ++digits[i - 1];
    }
  } else {
    while (i > 0 && digits[i - 1] == '0') digits[--i] = '9';
    --digits[i - 1];  // never below 1.00…: the caller steps down only from a value above `value`
    if (digits[0] == '0') {  // 1.00e+N - 1 ulp = 9.99e+(N-1)
      digits.erase(digits.begin());
      digits.push_back('9');
      --exponent;
    }
  }
}

}  // namespace

namespace c_library {

std::to_chars_result to_scientific(char* first, char* last, double value) {
  std::string text;
  if (!std::isfinite(value)) {
    text = std::isnan(value) ? (std::signbit(value) ? "-nan" : "nan") : (value < 0 ? "-inf" : "inf");
  } else {
    const locale_t previous = ::uselocale(c_locale());
    // The correctly rounded decimal of 1, 2, … 17 digits, until one reads back as `value`; where the
    // interval of decimals that read back as `value` is lopsided (next to a power of two), the p-digit
    // decimal on the other side of `value` may read back when the nearest does not.
    for (int precision = 0; precision <= 16 && text.empty(); ++precision) {
      char buffer[40];
      std::snprintf(buffer, sizeof buffer, "%.*e", precision, value);
      const std::string nearest = buffer;
      if (read_c(nearest) == value) {
        text = nearest;
        break;
      }
      const bool negative = nearest[0] == '-';
      const std::size_t e = nearest.find('e');
      std::string digits;
      for (std::size_t i = negative ? 1 : 0; i < e; ++i) {
        if (nearest[i] != '.') digits += nearest[i];
      }
      int exponent = std::atoi(nearest.c_str() + e + 1);
      const bool nearest_below = std::fabs(read_c(nearest)) < std::fabs(value);
      step(digits, exponent, nearest_below);
      const std::string other = scientific_text(negative, digits, exponent);
      if (read_c(other) == value) text = other;
    }
    ::uselocale(previous);
  }
  if (text.size() > static_cast<std::size_t>(last - first)) return {last, std::errc::value_too_large};
  std::memcpy(first, text.data(), text.size());
  return {first + text.size(), std::errc{}};
}

std::from_chars_result from_decimal(const char* first, const char* last, double& value) {
  const char* p = first;
  if (p != last && *p == '-') ++p;
  auto starts_with = [&](const char* word) {
    const std::size_t n = std::strlen(word);
    if (static_cast<std::size_t>(last - p) < n) return false;
    for (std::size_t i = 0; i < n; ++i) {
      if (ascii::to_lower(static_cast<unsigned char>(p[i])) != word[i]) return false;
    }
    return true;
  };
  const char* end = nullptr;
  if (starts_with("infinity")) {
    end = p + 8;
  } else if (starts_with("inf") || starts_with("nan")) {
    end = p + 3;
  } else {
    // digits [. digits] [e [sign] digits], at least one digit before the exponent; an exponent with no
    // digits is not part of the number.
    const char* q = p;
    std::size_t mantissa_digits = 0;
    while (q != last && ascii::is_digit(static_cast<unsigned char>(*q))) ++q, ++mantissa_digits;
    if (q != last && *q == '.') {
      ++q;
      while (q != last && ascii::is_digit(static_cast<unsigned char>(*q))) ++q, ++mantissa_digits;
    }
    if (mantissa_digits == 0) return {first, std::errc::invalid_argument};
    end = q;
    if (q != last && (*q == 'e' || *q == 'E')) {
      ++q;
      if (q != last && (*q == '-' || *q == '+')) ++q;
      const char* exponent_digits = q;
      while (q != last && ascii::is_digit(static_cast<unsigned char>(*q))) ++q;
      if (q != exponent_digits) end = q;
    }
  }
  const std::string text(first, end);
  errno = 0;
  const double read = ::strtod_l(text.c_str(), nullptr, c_locale());
  if (errno == ERANGE && (read == 0.0 || std::isinf(read))) return {end, std::errc::result_out_of_range};
  value = read;
  return {end, std::errc{}};
}

}  // namespace c_library

// libstdc++ defines __cpp_lib_to_chars once both directions convert floating-point numbers (GCC 11).
#if defined(__cpp_lib_to_chars)
std::to_chars_result to_scientific(char* first, char* last, double value) {
  return std::to_chars(first, last, value, std::chars_format::scientific);
}
std::from_chars_result from_decimal(const char* first, const char* last, double& value) {
  return std::from_chars(first, last, value);
}
#else
std::to_chars_result to_scientific(char* first, char* last, double value) {
  return c_library::to_scientific(first, last, value);
}
std::from_chars_result from_decimal(const char* first, const char* last, double& value) {
  return c_library::from_decimal(first, last, value);
}
#endif

}  // namespace importspy::float_chars
