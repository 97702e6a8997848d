#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in build-fuzz/cmake/ and runs each over its seed corpus.
# Usage: scripts/fuzz.sh [SECONDS]        each target for SECONDS (default 3600: a one-hour run)
#        scripts/fuzz.sh --runs N         each target for N executions
#        scripts/fuzz.sh --ctest --runs N   the test command's C++ stage: the same tree also builds the C++
#                                         tests (and benchmarks), which run under ASan + UBSan first, then the targets
# IMPORTSPY_FUZZ_TARGETS="reader version" picks targets (unset: all; empty: none); IMPORTSPY_FUZZ_PARALLEL=1 runs the
# chosen targets at the same time (niced), so that a one-hour run of every target takes one hour of wall time.
# New inputs go to build-fuzz/corpus/<target>/ (the seeds in tests/fuzz/<target>/ are never written);
# a crash leaves build-fuzz/artifacts/<target>/crash-* and makes the script fail. Target `python_api` is the
# atheris harness of the Python API (tests/fuzz/python_api.py) over an instrumented build of the extension.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$repo_root/build-fuzz"
limit=(-max_total_time=3600)
with_ctest=0
while (($#)); do
  case "$1" in
    --runs) limit=(-runs="${2:?--runs needs a number}"); shift 2 ;;
    --ctest) with_ctest=1; shift ;;
    *) limit=(-max_total_time="$1"); shift ;;
  esac
done
read -r -a targets <<<"${IMPORTSPY_FUZZ_TARGETS-contract_loader annotation version facts_json reader python_api}"

# clang and its runtime (libFuzzer, sanitizers) from Debian, as scripts/bootstrap.sh installs the rest.
clang_packages=(clang libclang-rt-14-dev)
if ! command -v clang++ >/dev/null 2>&1 || ! dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "install ok installed"; then
  echo "fuzz: installing ${clang_packages[*]}" >&2
  apt_get=(apt-get)
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "fuzz: not root and no sudo; run as root: apt-get install -y ${clang_packages[*]}" >&2; exit 1; }
    apt_get=(sudo apt-get)
  fi
  "${apt_get[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq "${clang_packages[@]}" >/dev/null
fi

"$repo_root/scripts/bootstrap.sh" --packages-only

# One tree, build-fuzz/cmake, instrumented for coverage (-fsanitize=fuzzer-no-link) and checked by ASan and
# UBSan, holds the C++ targets and the extension module, which pip installs into build-fuzz/atheris-venv
# beside atheris (PyPI). The Python API harness runs with atheris' asan_with_fuzzer.so preloaded: it is
# both the sanitizer runtime and the libFuzzer the extension reports its edges to.
atheris_python="$build_dir/atheris-venv/bin/python"
[[ -x "$atheris_python" ]] || python3 -m venv "$build_dir/atheris-venv"
pip_log="$build_dir/pip.log"
if ! "$atheris_python" -c "import atheris, scikit_build_core, nanobind" 2>/dev/null; then
  "$atheris_python" -m pip install --disable-pip-version-check -q "atheris>=2.3" "scikit-build-core>=0.10" "nanobind>=2.4,<4" >"$pip_log" 2>&1 \
    || { cat "$pip_log" >&2; echo "fuzz: could not install atheris into $build_dir/atheris-venv" >&2; exit 1; }
fi
# Line tables only (-gline-tables-only): what the sanitizers' and libFuzzer's reports need to name file
# and line, at two thirds of the compile time of full debug info.
# No build isolation: the tree is kept, so a rebuild compiles only what changed (and ccache, when present,
# serves other worktrees). With --ctest the tree also holds the C++ tests and benchmarks: one clang build
# serves the sanitizer run of the C++ tests and the fuzzing.
if command -v ccache >/dev/null 2>&1 && [[ -z "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ]]; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache
fi
CXX=clang++ "$atheris_python" -m pip install --disable-pip-version-check -q --no-build-isolation -C cmake.define.IMPORTSPY_FUZZ=ON \
  -C cmake.define.IMPORTSPY_BUILD_TESTS="$( ((with_ctest)) && echo ON || echo OFF)" \
  -C cmake.define.IMPORTSPY_BUILD_BENCH="$( ((with_ctest)) && echo ON || echo OFF)" \
  -C cmake.define.CMAKE_CXX_COMPILER=clang++ -C cmake.build-type=RelWithDebInfo -C "build-dir=$build_dir/cmake" \
  -C "cmake.define.CMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -gline-tables-only -DNDEBUG" "$repo_root" \
  >"$pip_log" 2>&1 || { cat "$pip_log" >&2; echo "fuzz: could not build the instrumented tree in $build_dir/cmake" >&2; exit 1; }

if ((with_ctest)); then
  # Every C++ suite under ASan + UBSan, the reader's differentials against CPython over every corpus included.
  echo "== C++ tests under ASan + UBSan ($build_dir/cmake)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    LSAN_OPTIONS=suppressions="$repo_root/tests/cpp/lsan.supp" \
    ctest --test-dir "$build_dir/cmake" --output-on-failure --parallel "$(nproc 2>/dev/null || echo 2)"
fi

# One target over its corpus; its log is build-fuzz/<target>.log. Returns non-zero on a finding.
# -timeout: an input taking over 10 s is a hang; -rss_limit_mb: one over 2 GB is a memory blow-up.
run_target() {
  local target="$1" corpus="$build_dir/corpus/$1" artifacts="$build_dir/artifacts/$1"
  local options=("${limit[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/"
    "$corpus" "$repo_root/tests/fuzz/$target")
  mkdir -p "$corpus" "$artifacts"
  if [[ "$target" == python_api ]]; then
    # detect_leaks=0: CPython keeps objects alive until exit by design; PYTHONMALLOC=malloc: ASan sees
    # every allocation of the interpreter too.
    LD_PRELOAD="$("$atheris_python" -c "import atheris, os; print(os.path.join(atheris.path(), 'asan_with_fuzzer.so'))")" PYTHONMALLOC=malloc \
      ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$atheris_python" "$repo_root/tests/fuzz/python_api.py" "${options[@]}" 2>"$build_dir/$target.log"
  else
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$build_dir/cmake/tests/fuzz/${target}_fuzz" "${options[@]}" 2>"$build_dir/$target.log"
  fi
}

report_target() {
  local target="$1" outcome="$2"
  echo "== fuzz $target (${limit[*]})"
  if [[ "$outcome" != 0 ]]; then
    echo "fuzz: $target found a problem; see $build_dir/$target.log and $build_dir/artifacts/$target/" >&2
    tail -40 "$build_dir/$target.log" >&2
    status=1
  fi
  grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$build_dir/$target.log" | sed "s/^/  /" || true
  # A run that sees almost no edges is fuzzing a build without coverage, not finding nothing.
  local edges
  edges="$(grep -Eo "INITED cov: [0-9]+" "$build_dir/$target.log" | grep -Eo "[0-9]+" | head -1 || true)"
  echo "  coverage at start: ${edges:-?} edges"
  if [[ -z "$edges" || "$edges" -lt 100 ]]; then
    echo "fuzz: $target started with ${edges:-no} coverage edges: the code under test is not instrumented (see $build_dir/$target.log)" >&2
    status=1
  fi
}

status=0
if [[ "${IMPORTSPY_FUZZ_PARALLEL:-0}" == 1 ]]; then
  declare -A pids
  for target in "${targets[@]}"; do
    nice -n 10 bash -c "$(declare -f run_target); $(declare -p build_dir repo_root limit atheris_python); run_target $target" &
    pids[$target]=$!
  done
  for target in "${targets[@]}"; do
    outcome=0
    wait "${pids[$target]}" || outcome=$?
    report_target "$target" "$outcome"
  done
else
  for target in "${targets[@]}"; do
    outcome=0
    run_target "$target" || outcome=$?
    report_target "$target" "$outcome"
  done
fi
exit "$status"
