#!/usr/bin/env bash
# Runs every test: the C++ suites (normal build, then AddressSanitizer + UBSan), short fuzz runs, then the
# Python suite on CPython 3.10 to 3.13, each against the self-contained wheel built for it.
# IMPORTSPY_SKIP_SANITIZERS=1 skips the sanitizer build (faster local iteration); IMPORTSPY_SKIP_FUZZ=1
# skips the short fuzz runs.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc 2>/dev/null || echo 2)"

echo "== C++ tests (build/)"
"$repo_root/scripts/bootstrap.sh" "$repo_root/build"
ctest --test-dir "$repo_root/build" --output-on-failure --parallel "$jobs"

if [[ "${IMPORTSPY_SKIP_SANITIZERS:-0}" != 1 ]]; then
  echo "== C++ tests under AddressSanitizer + UBSan (build-sanitize/)"
  "$repo_root/scripts/bootstrap.sh" "$repo_root/build-sanitize" -DIMPORTSPY_SANITIZE=ON -DIMPORTSPY_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
  # The corpus differential ran in the normal build; here the reader meets the first files of the
  # standard library under the sanitizers (the quick differentials), which keeps this stage short.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$repo_root/build-sanitize" --output-on-failure --parallel "$jobs" -E source_reader_agrees_on_every_corpus
fi

if [[ "${IMPORTSPY_SKIP_FUZZ:-0}" != 1 ]]; then
  # Each libFuzzer target over its seeds and 2,000 generated inputs (clang is installed when missing);
  # scripts/fuzz.sh SECONDS runs them for long. IMPORTSPY_SKIP_FUZZ=1 skips this.
  echo "== Fuzz targets, 2000 runs each (build-fuzz/)"
  "$repo_root/scripts/fuzz.sh" --runs 2000
fi

# The documentation site: mkdocs (material theme) over docs/, strictly (broken links and pages missing from
# the navigation fail), with the docs tools in their own .venv-docs/. The tutorials' commands and the
# violation-code pages are checked by the Python suite below (test_tutorials.py, test_code_pages.py).
echo "== documentation site (mkdocs build --strict, build-docs/site/)"
"$repo_root/scripts/docs.sh"

# The Python suite runs on every supported CPython, each against the repaired wheel built for it and
# installed into a fresh virtual environment, as users get it. IMPORTSPY_PYTHONS narrows the list.
pythons=(${IMPORTSPY_PYTHONS:-3.10 3.11 3.12 3.13})
echo "== wheels for CPython ${pythons[*]} (dist/)"
"$repo_root/scripts/build-wheels.sh" "${pythons[@]}"
for version in "${pythons[@]}"; do
  echo "== Python tests on CPython $version (fresh .venv-test-$version/, repaired wheel)"
  "$repo_root/scripts/wheel-env.sh" "$version" "$repo_root/.venv-test-$version"
  (cd "$repo_root" && "$repo_root/.venv-test-$version/bin/python" -m pytest tests/python -q -p no:cacheprovider)
done
