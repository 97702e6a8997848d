#!/usr/bin/env bash
# Runs every test: the C++ suites in a normal build, then again under AddressSanitizer + UBSan.
# Set IMPORTSPY_SKIP_SANITIZERS=1 to run only the normal build (faster local iteration).
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc 2>/dev/null || echo 2)"

echo "== C++ tests (build/)"
"$repo_root/scripts/bootstrap.sh" "$repo_root/build"
ctest --test-dir "$repo_root/build" --output-on-failure --parallel "$jobs"

if [[ "${IMPORTSPY_SKIP_SANITIZERS:-0}" != 1 ]]; then
  echo "== C++ tests under AddressSanitizer + UBSan (build-sanitize/)"
  "$repo_root/scripts/bootstrap.sh" "$repo_root/build-sanitize" -DIMPORTSPY_SANITIZE=ON -DIMPORTSPY_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$repo_root/build-sanitize" --output-on-failure --parallel "$jobs"
fi
