#pragma once
// std::to_chars and std::from_chars of a double, whatever the C++ library: libstdc++ has the floating-point
// overloads of <charconv> from GCC 11, and the wheels for older glibc are compiled with GCC 10 (Debian 11),
// whose <charconv> converts integers only. Where the library has them these functions are std's; elsewhere
// the C library does the work in the "C" locale, never the host's (a program that embeds ImportSpy may
// have called setlocale(LC_ALL, "") under a comma-decimal locale).
#include <charconv>

namespace importspy::float_chars {

// The shortest decimal that reads back as `value`, in scientific form (`-1.2345e+05`, `5e-324`, `inf`,
// `nan`): std::to_chars(first, last, value, std::chars_format::scientific).
std::to_chars_result to_scientific(char* first, char* last, double value);

// The longest decimal float at `first` (`1.5`, `.5`, `5.`, `-2e10`, `inf`, `nan`; no sign `+`, no
// leading space, no hexadecimal): std::from_chars(first, last, value). Out of range, `value` is left as
// it was and `ec` is std::errc::result_out_of_range.
std::from_chars_result from_decimal(const char* first, const char* last, double& value);

// The same through the C library in the "C" locale (snprintf and strtod_l): what the two functions above
// use when the C++ library has no floating-point <charconv>. Compiled everywhere, so that the tests hold
// it to std's answers where std has them.
namespace c_library {
std::to_chars_result to_scientific(char* first, char* last, double value);
std::from_chars_result from_decimal(const char* first, const char* last, double& value);
}  // namespace c_library

}  // namespace importspy::float_chars
