#include "importspy/source/literal.hpp"
#include "importspy/util/float_chars.hpp"
#include "importspy/util/utf8.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace importspy {
namespace {

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decimal text of the digits of `digits` in `base`, for integers beyond 64 bits (schoolbook: such
// literals are short and rare).
std::string to_decimal(std::string_view digits, int base) {
  std::string decimal = "0";  // most significant digit first
  for (char c : digits) {
    int carry = digit_value(c);
    for (auto it = decimal.rbegin(); it != decimal.rend(); ++it) {
      const int v = (*it - '0') * base + carry;
      *it = static_cast<char>('0' + v % 10);
      carry = v / 10;
    }
    while (carry > 0) {
      decimal.insert(decimal.begin(), static_cast<char>('0' + carry % 10));
      carry /= 10;
    }
  }
  const std::size_t first = decimal.find_first_not_of('0');
  return first == std::string::npos ? "0" : decimal.substr(first);
}

std::string bytes_repr(std::string_view bytes) {
  const bool has_single = bytes.find('\'') != std::string_view::npos;
  const bool has_double = bytes.find('"') != std::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  std::string out = "b";
  out += quote;
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == quote || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (ch == '\t') {
      out += "\\t";
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c >= 0x7F) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
      out += buffer;
    } else {
      out += ch;
    }
  }
  out += quote;
  return out;
}

struct StringParts {
  bool raw = false, bytes = false, formatted = false;
  std::string_view body;
};

StringParts split_string(std::string_view token) {
  StringParts parts;
  std::size_t i = 0;
  while (i < token.size() && token[i] != '\'' && token[i] != '"') {
    const char c = static_cast<char>(token[i] | 0x20);
    if (c == 'r') parts.raw = true;
    if (c == 'b') parts.bytes = true;
    if (c == 'f' || c == 't') parts.formatted = true;
    ++i;
  }
  const std::size_t quotes = token.size() - i >= 6 && token[i + 1] == token[i] && token[i + 2] == token[i] ? 3 : 1;
  parts.body = token.substr(i + quotes, token.size() - i - 2 * quotes);
  return parts;
}

// Appends the value of one literal's body. Returns false when it cannot be known here.
bool append_body(const StringParts& parts, std::string& out, const char*& why) {
  const std::string_view s = parts.body;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\r') {  // the parser reads "\r\n" and "\r" as "\n"
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
      continue;
    }
    if (c != '\\' || i + 1 >= s.size()) {
      out += c;
      continue;
    }
    const char e = s[i + 1];
    if (parts.raw) {
      out += c;
      continue;  // the next character is appended as is on the next turn
    }
    ++i;
    switch (e) {
      case '\n': break;  // line continuation inside the string
      case '\r':
        if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        break;
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        std::uint32_t v = 0;
        std::size_t n = 0;
        while (n < 3 && i < s.size() && s[i] >= '0' && s[i] <= '7') {
          v = v * 8 + static_cast<std::uint32_t>(s[i] - '0');
          ++i, ++n;
        }
        --i;
        if (parts.bytes) {
          out += static_cast<char>(v & 0xFF);
        } else {
          append_utf8(out, v);
        }
        break;
      }
      case 'x': case 'u': case 'U': {
        if (parts.bytes && e != 'x') {
          out += '\\';
          out += e;
          break;
        }
        const std::size_t width = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        std::uint32_t v = 0;
        for (std::size_t k = 1; k <= width; ++k) {
          const int d = i + k < s.size() ? digit_value(s[i + k]) : -1;
          if (d < 0) {
            why = "an invalid escape";
            return false;  // CPython refuses the file; nothing to know here
          }
          v = v * 16 + static_cast<std::uint32_t>(d);
        }
        i += width;
        if (parts.bytes) {
          out += static_cast<char>(v);
        } else if ((v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) {
          why = "a lone surrogate";
          return false;
        } else {
          append_utf8(out, v);
        }
        break;
      }
      case 'N':
        if (!parts.bytes) {
          why = "a \\N{...} escape";  // needs the Unicode name table
          return false;
        }
        [[fallthrough]];
      default:
        out += '\\';  // unknown escapes keep their backslash
        out += e;
    }
  }
  return true;
}

// A decimal float literal's value as CPython computes it (correctly rounded, inf past the largest double,
// 0.0 below the smallest), never by the host's locale as the C library's strtod reads numbers: a host
// that called setlocale(LC_ALL, "") under a comma locale would read `1.9` as 1 (float_chars).
double float_value(std::string_view digits) {
  double value = 0.0;
  const auto [end, error] = float_chars::from_decimal(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc::result_out_of_range) return value;
  // Out of range: an overflow when the decimal exponent of the leading nonzero digit is positive.
  const std::size_t e = digits.find_first_of("eE");
  const std::string_view mantissa = digits.substr(0, e);
  long long exponent = 0;
  if (e != std::string_view::npos) {
    std::string_view tail = digits.substr(e + 1);
    const bool negative = !tail.empty() && tail.front() == '-';
    if (!tail.empty() && (tail.front() == '-' || tail.front() == '+')) tail.remove_prefix(1);
    for (char c : tail) exponent = std::min<long long>(exponent * 10 + (c - '0'), 1'000'000'000);
    if (negative) exponent = -exponent;
  }
  const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
  const std::size_t lead = mantissa.find_first_not_of("0.");
  if (lead == std::string_view::npos) return 0.0;
  const long long position = lead < point ? static_cast<long long>(point - lead) - 1 : -static_cast<long long>(lead - point);
  return position + exponent > 0 ? std::numeric_limits<double>::infinity() : 0.0;
}

}  // namespace

Value number_value(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (c != '_') clean += c;
  }
  const char last = clean.empty() ? '\0' : static_cast<char>(clean.back() | 0x20);
  if (last == 'j') {
    clean.pop_back();
    std::string imag = python_float_repr(float_value(clean));
    if (imag.ends_with(".0")) imag.resize(imag.size() - 2);
    return Value::opaque(imag + "j", "complex");
  }
  if (clean.size() > 2 && clean[0] == '0' && std::string_view("xXoObB").find(clean[1]) != std::string_view::npos) {
    const int base = (clean[1] | 0x20) == 'x' ? 16 : (clean[1] | 0x20) == 'o' ? 8 : 2;
    const std::string_view digits = std::string_view(clean).substr(2);
    std::uint64_t v = 0;
    bool overflow = false;
    for (char c : digits) {
      const auto d = static_cast<std::uint64_t>(digit_value(c));
      if (v > (static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) - d) / static_cast<std::uint64_t>(base)) overflow = true;
      v = v * static_cast<std::uint64_t>(base) + d;
    }
    return overflow ? Value::big_integer(to_decimal(digits, base)) : Value::integer(static_cast<std::int64_t>(v));
  }
  if (clean.find_first_of(".eE") != std::string::npos) return Value::floating(float_value(clean));
  const std::size_t first = clean.find_first_not_of('0');
  if (first == std::string::npos) return Value::integer(0);
  const std::string_view digits = std::string_view(clean).substr(first);
  if (digits.size() > 18) {
    const std::string decimal(digits);
    if (digits.size() > 19 || decimal > "9223372036854775807") return Value::big_integer(decimal);
  }
  std::int64_t v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return Value::integer(v);
}

Value strings_value(std::span<const Token> tokens, std::string_view source) {
  std::string out;
  bool any_bytes = false, any_text = false;
  for (const Token& t : tokens) {
    if (t.kind == TokenKind::fstring) return Value::unknown("an f-string");
    const StringParts parts = split_string(t.text(source));
    (parts.bytes ? any_bytes : any_text) = true;
    const char* why = "";
    if (!append_body(parts, out, why)) return Value::unknown(why);
  }
  if (any_bytes && any_text) return Value::unknown("str and bytes concatenated");  // a SyntaxError in CPython
  if (any_bytes) return Value::opaque(bytes_repr(out), "bytes");
  return Value::string(std::move(out));
}

}  // namespace importspy
