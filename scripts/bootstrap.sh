#!/usr/bin/env bash
# Installs what the build needs when it is missing, then configures and builds.
# Usage: scripts/bootstrap.sh [BUILD_DIR] [extra CMake arguments...]
#        scripts/bootstrap.sh --packages-only    (install what is missing, build nothing)
#        scripts/bootstrap.sh --extension-packages-only   (only what `pip install .` compiles against: the
#                                                 README's first run, scripts/example.sh)
#        scripts/bootstrap.sh --aarch64-packages-only   (the cross compiler, QEMU and debootstrap that
#                                                 scripts/build-aarch64.sh builds and tests the aarch64 wheel with)
# Sourced by the other scripts; safe to run again (it only installs and rebuilds what is missing).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-$repo_root/build}"
shift || true

# What the extension and the engine's command line compile against.
extension_packages=(g++ libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libsodium-dev libtomlplusplus-dev libgraphviz-dev)
debian_packages=("${extension_packages[@]}" libgtest-dev libgmock-dev libbenchmark-dev
                 zsh fish   # zsh and fish: the completion scripts' syntax checks (tests/python/test_completion.py)
                 locales      # localedef and its sources: the comma-decimal locale of the locale tests (literal_locale_test, test_locale_numbers.py)
                 valgrind   # callgrind: the instruction counts of the overhead guard (tests/python/test_instruction_guard.py)
                 chromium)  # headless, for the browser tests of the HTML pages (tests/python/test_html_pages.py, bench/html_report.py)
[[ "$build_dir" == --extension-packages-only ]] && debian_packages=("${extension_packages[@]}")
# The arm64 libraries themselves are installed in the arm64 root (scripts/build-aarch64.sh), not here.
[[ "$build_dir" == --aarch64-packages-only ]] && debian_packages=(g++-aarch64-linux-gnu qemu-user-static debootstrap)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  command -v cmake >/dev/null 2>&1 || missing+=(cmake)
  command -v ninja >/dev/null 2>&1 || missing+=(ninja-build)
fi

if ((${#missing[@]})); then
  echo "bootstrap: installing Debian packages: ${missing[*]}" >&2
  apt_get=(apt-get)
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      apt_get=(sudo apt-get)
    else
      echo "bootstrap: not root and no sudo; run as root: apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  "${apt_get[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq "${missing[@]}" >/dev/null
fi

[[ "$build_dir" == --*-only ]] && exit 0

generator=()
# A compiler cache, when the machine has one: worktrees and rebuilds share compiled objects.
if command -v ccache >/dev/null 2>&1 && [[ -z "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ]]; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache
fi
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  cmake -S "$repo_root" -B "$build_dir" "${generator[@]}" "$@" >/dev/null
elif (($#)); then
  cmake "$build_dir" "$@" >/dev/null
fi
cmake --build "$build_dir" --parallel "$(nproc 2>/dev/null || echo 2)"
