#include <gtest/gtest.h>

#include "importspy/lang/platform.hpp"

using namespace importspy;

TEST(Platform, x86_64_aliases) {
  for (auto s : {"x86_64", "amd64", "AMD64", "x64", "x86-64"}) EXPECT_EQ(canonical_arch(s), "x86_64") << s;
}

TEST(Platform, aarch64_aliases) {
  for (auto s : {"aarch64", "arm64", "ARM64", "armv8"}) EXPECT_EQ(canonical_arch(s), "aarch64") << s;
}

TEST(Platform, other_architectures_importspy_accepts) {
  EXPECT_EQ(canonical_arch("armv7l"), "arm");
  EXPECT_EQ(canonical_arch("i686"), "i386");
  EXPECT_EQ(canonical_arch("ppc64le"), "ppc64le");
  EXPECT_EQ(canonical_arch("ppc64"), "ppc64");
  EXPECT_EQ(canonical_arch("s390x"), "s390x");
  EXPECT_FALSE(canonical_arch("sparc").has_value());
}

TEST(Platform, operating_system_aliases) {
  EXPECT_EQ(canonical_os("Linux"), "linux");
  EXPECT_EQ(canonical_os("Darwin"), "macos");
  EXPECT_EQ(canonical_os("macOS"), "macos");
  EXPECT_EQ(canonical_os("win32"), "windows");
  EXPECT_EQ(canonical_os("Windows"), "windows");
  EXPECT_FALSE(canonical_os("plan9").has_value());
}

TEST(Platform, interpreter_names_ignore_case) {
  EXPECT_EQ(canonical_interpreter("cpython"), "CPython");
  EXPECT_EQ(canonical_interpreter("PYPY"), "PyPy");
  EXPECT_EQ(canonical_interpreter("GraalPython"), "GraalPy");
  EXPECT_EQ(canonical_interpreter("graalpy"), "GraalPy");
  EXPECT_EQ(canonical_interpreter("ironpython"), "IronPython");
  EXPECT_EQ(canonical_interpreter("MicroPython"), "MicroPython");
  EXPECT_FALSE(canonical_interpreter("Cython").has_value());
}
