#include "importspy/lang/platform.hpp"
#include "importspy/util/ascii.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace importspy {
namespace {

using Alias = std::pair<std::string_view, std::string_view>;  // spelling, canonical

constexpr std::array kArchAliases = {
    Alias{"x86_64", "x86_64"},   Alias{"amd64", "x86_64"},    Alias{"x64", "x86_64"},     Alias{"x86-64", "x86_64"},
    Alias{"aarch64", "aarch64"}, Alias{"arm64", "aarch64"},   Alias{"armv8", "aarch64"},  Alias{"armv8l", "aarch64"},
    Alias{"arm", "arm"},         Alias{"armv7l", "arm"},      Alias{"armv7", "arm"},      Alias{"armv6l", "arm"},
    Alias{"armhf", "arm"},       Alias{"i386", "i386"},       Alias{"i486", "i386"},      Alias{"i586", "i386"},
    Alias{"i686", "i386"},       Alias{"x86", "i386"},        Alias{"ppc64", "ppc64"},    Alias{"ppc64le", "ppc64le"},
    Alias{"s390x", "s390x"},     Alias{"riscv64", "riscv64"},
};

constexpr std::array kOsAliases = {
    Alias{"linux", "linux"},     Alias{"windows", "windows"}, Alias{"win32", "windows"}, Alias{"win", "windows"},
    Alias{"macos", "macos"},     Alias{"darwin", "macos"},    Alias{"osx", "macos"},     Alias{"macosx", "macos"},
};

constexpr std::array kInterpreterAliases = {
    Alias{"cpython", "CPython"},         Alias{"pypy", "PyPy"},
    Alias{"ironpython", "IronPython"},   Alias{"jython", "Jython"},
    Alias{"graalpy", "GraalPy"},         Alias{"graalpython", "GraalPy"},
    Alias{"micropython", "MicroPython"}, Alias{"circuitpython", "CircuitPython"},
    Alias{"brython", "Brython"},         Alias{"pyston", "Pyston"},
    Alias{"rustpython", "RustPython"},   Alias{"nuitka", "Nuitka"},
    Alias{"transcrypt", "Transcrypt"},   Alias{"stackless", "Stackless"},
};

template <size_t N>
constexpr std::array<std::string_view, N> spellings_of(const std::array<Alias, N>& aliases) {
  std::array<std::string_view, N> out{};
  for (size_t i = 0; i < N; ++i) out[i] = aliases[i].first;
  return out;
}

constexpr auto kArchSpellings = spellings_of(kArchAliases);
constexpr auto kOsSpellings = spellings_of(kOsAliases);
constexpr auto kInterpreterSpellings = spellings_of(kInterpreterAliases);

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii::to_lower(static_cast<unsigned char>(a[i])) != ascii::to_lower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

template <size_t N>
std::optional<std::string_view> lookup(const std::array<Alias, N>& aliases, std::string_view spelling) {
  while (!spelling.empty() && ascii::is_space(static_cast<unsigned char>(spelling.front()))) spelling.remove_prefix(1);
  while (!spelling.empty() && ascii::is_space(static_cast<unsigned char>(spelling.back()))) spelling.remove_suffix(1);
  for (const auto& [alias, canonical] : aliases) {
    if (equal_ignoring_case(alias, spelling)) return canonical;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> canonical_arch(std::string_view s) { return lookup(kArchAliases, s); }
std::optional<std::string_view> canonical_os(std::string_view s) { return lookup(kOsAliases, s); }
std::optional<std::string_view> canonical_interpreter(std::string_view s) { return lookup(kInterpreterAliases, s); }

std::span<const std::string_view> arch_spellings() { return kArchSpellings; }
std::span<const std::string_view> os_spellings() { return kOsSpellings; }
std::span<const std::string_view> interpreter_spellings() { return kInterpreterSpellings; }

}  // namespace importspy
