#pragma once
// Canonical names of CPU architectures, operating systems and Python interpreters.

#include <optional>
#include <span>
#include <string_view>

namespace importspy {

// Each returns the canonical name for any accepted spelling, ignoring case, or nullopt when the spelling
// is unknown. Architectures: x86_64 (amd64, x64, x86-64), aarch64 (arm64, armv8), arm (armv7l, armv6l,
// armhf), i386 (i686, i586, x86), ppc64, ppc64le, s390x, riscv64. Systems: linux, windows (win32),
// macos (darwin, osx). Interpreters: CPython, PyPy, IronPython, Jython, GraalPy (GraalPython),
// MicroPython, CircuitPython, Brython, Pyston, RustPython, Nuitka, Transcrypt, Stackless.
std::optional<std::string_view> canonical_arch(std::string_view spelling);
std::optional<std::string_view> canonical_os(std::string_view spelling);
std::optional<std::string_view> canonical_interpreter(std::string_view spelling);

// Every accepted spelling, for "did you mean" suggestions and documentation.
std::span<const std::string_view> arch_spellings();
std::span<const std::string_view> os_spellings();
std::span<const std::string_view> interpreter_spellings();

}  // namespace importspy
