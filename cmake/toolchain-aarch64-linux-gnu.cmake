# Cross-compiling for Linux aarch64 on an x86_64 Debian: Debian's cross compiler (g++-aarch64-linux-gnu)
# against an arm64 Debian root as the sysroot, which holds the arm64 libraries and headers the build
# finds (scripts/build-aarch64.sh makes the root and names it in IMPORTSPY_AARCH64_SYSROOT; an environment
# variable, because CMake reads this file again in its compiler checks, where cache variables are unset).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
if(NOT DEFINED ENV{IMPORTSPY_AARCH64_SYSROOT})
  message(FATAL_ERROR "IMPORTSPY_AARCH64_SYSROOT: set it to an arm64 Debian root (scripts/build-aarch64.sh makes one)")
endif()
set(CMAKE_SYSROOT "$ENV{IMPORTSPY_AARCH64_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH "${CMAKE_SYSROOT}")
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# Programs (the build's Python, ninja) are the host's; libraries, headers and CMake packages only the root's.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
