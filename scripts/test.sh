#!/usr/bin/env bash
# Runs every test: the C++ suites under AddressSanitizer + UBSan, short fuzz runs, the docs site, then the
# Python suite on CPython 3.10 to 3.13 against each one's self-contained wheel, and on 3.12 and 3.13 against
# the stable-ABI wheel.
# IMPORTSPY_SKIP_SANITIZERS=1 runs the C++ suites in a plain build instead of the instrumented one (no fuzz
# runs: faster local iteration); IMPORTSPY_SKIP_FUZZ=1 skips only the short fuzz runs.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc 2>/dev/null || echo 2)"
# Each stage says how long it took, so a slow CI run shows where its time went.
stage_started=""
stage() {
  [[ -n "$stage_started" ]] && echo "   ($((SECONDS - stage_started)) s)"
  stage_started=$SECONDS
  echo "== $*"
}
trap 'echo "   ($((SECONDS - stage_started)) s; $SECONDS s in all)"' EXIT

if [[ "${IMPORTSPY_SKIP_SANITIZERS:-0}" != 1 ]]; then
  # Every C++ test, the corpus differentials included, in one clang tree (build-fuzz/cmake) instrumented with
  # ASan, UBSan and libFuzzer's coverage, which also holds the libFuzzer targets and the extension the atheris
  # target drives (clang is installed when missing). Then each fuzz target over its seeds and 2,000
  # generated inputs (IMPORTSPY_SKIP_FUZZ=1: none); scripts/fuzz.sh SECONDS runs them for long. The engine as
  # shipped (GCC, optimized) is what the Python suites below test, through the wheels.
  stage "C++ tests under ASan + UBSan, then fuzz targets, 2000 runs each (build-fuzz/)"
  if [[ "${IMPORTSPY_SKIP_FUZZ:-0}" == 1 ]]; then
    IMPORTSPY_FUZZ_TARGETS="" "$repo_root/scripts/fuzz.sh" --ctest --runs 2000
  else
    "$repo_root/scripts/fuzz.sh" --ctest --runs 2000
  fi
else
  # Faster local iteration: the C++ tests in a plain build (build/), line tables only (-g1: what a backtrace
  # needs; configure build/ yourself, or with -DCMAKE_BUILD_TYPE=Debug, to step through it in a debugger).
  stage "C++ tests (build/)"
  "$repo_root/scripts/bootstrap.sh" "$repo_root/build" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
  ctest --test-dir "$repo_root/build" --output-on-failure --parallel "$jobs"
fi

# The documentation site: mkdocs (material theme) over docs/, strictly (broken links and pages missing from
# the navigation fail), with the docs tools in their own .venv-docs/. The tutorials' commands and the
# violation-code pages are checked by the Python suite below (test_tutorials.py, test_code_pages.py).
stage "documentation site (mkdocs build --strict, build-docs/site/)"
"$repo_root/scripts/docs.sh"

# The Python suite runs on every supported CPython, each against a repaired wheel installed into a fresh
# virtual environment, as users get it: the version-specific wheel of each CPython 3.10 to 3.13 (what pip
# picks there), then the one stable-ABI wheel (cp312-abi3, what pip picks on 3.14 and newer) on 3.12 and
# 3.13. IMPORTSPY_PYTHONS narrows the version-specific runs, IMPORTSPY_ABI3_PYTHONS the stable-ABI ones.
pythons=(${IMPORTSPY_PYTHONS-3.10 3.11 3.12 3.13})
abi3_pythons=(${IMPORTSPY_ABI3_PYTHONS-3.12 3.13})
wheels=("${pythons[@]}")
((${#abi3_pythons[@]})) && wheels+=(abi3)
stage "wheels ${wheels[*]} (dist/)"
"$repo_root/scripts/build-wheels.sh" "${wheels[@]}"
run_suite() {  # CPython X.Y, wheel (X.Y or abi3), virtual environment
  stage "Python tests on CPython $1 (fresh $(basename "$3")/, repaired $2 wheel)"
  "$repo_root/scripts/wheel-env.sh" "$1" "$3" "$2"
  # pytest-xdist spreads the tests over the cores (the suite holds no state between tests).
  (cd "$repo_root" && "$3/bin/python" -m pytest tests/python -q -p no:cacheprovider -n "$jobs")
}
for version in "${pythons[@]}"; do
  run_suite "$version" "$version" "$repo_root/.venv-test-$version"
done
for version in "${abi3_pythons[@]}"; do
  run_suite "$version" abi3 "$repo_root/.venv-test-$version-abi3"
done
