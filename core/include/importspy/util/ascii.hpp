#pragma once
// Character classes and case of ASCII, whatever the C locale: the <cctype> functions follow the host's
// setlocale() (under tr_TR.ISO-8859-9 tolower('I') is 0xFD, and isalpha(0xE9) is true in Latin locales),
// and a Python program that embeds ImportSpy may have called setlocale(LC_ALL, "").

namespace importspy::ascii {

constexpr bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_alnum(unsigned char c) { return is_alpha(c) || is_digit(c); }
// ' ', '\t', '\n', '\v', '\f', '\r': isspace() in the C locale.
constexpr bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
constexpr char to_lower(unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); }
constexpr char to_upper(unsigned char c) { return static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c); }

}  // namespace importspy::ascii
