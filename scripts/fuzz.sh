#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in build-fuzz/ and runs each over its seed corpus.
# Usage: scripts/fuzz.sh [SECONDS]        each target for SECONDS (default 3600: the issue's one-hour run)
#        scripts/fuzz.sh --runs N         each target for N executions (the test command uses this)
# IMPORTSPY_FUZZ_TARGETS="reader version" picks targets (default: all); IMPORTSPY_FUZZ_PARALLEL=1 runs the
# chosen targets at the same time (niced), so that a one-hour run of every target takes one hour of wall time.
# New inputs go to build-fuzz/corpus/<target>/ (the seeds in tests/fuzz/<target>/ are never written);
# a crash leaves build-fuzz/artifacts/<target>/crash-* and makes the script fail. The atheris harness of the
# Python API (tests/fuzz/python_api.py) runs too when atheris is installed in .venv/.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$repo_root/build-fuzz"
limit=(-max_total_time="${1:-3600}")
read -r -a targets <<<"${IMPORTSPY_FUZZ_TARGETS:-contract_loader annotation version facts_json reader}"
if [[ "${1:-}" == --runs ]]; then
  limit=(-runs="${2:?--runs needs a number}")
fi

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

CXX=clang++ "$repo_root/scripts/bootstrap.sh" "$build_dir" -DCMAKE_CXX_COMPILER=clang++ -DIMPORTSPY_FUZZ=ON -DIMPORTSPY_BUILD_TESTS=OFF \
  -DIMPORTSPY_BUILD_BENCH=OFF -DIMPORTSPY_BUILD_TOOLS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

# One target over its corpus; its log is build-fuzz/<target>.log. Returns non-zero on a finding.
run_target() {
  local target="$1" corpus="$build_dir/corpus/$1" artifacts="$build_dir/artifacts/$1"
  mkdir -p "$corpus" "$artifacts"
  # -timeout: an input taking over 10 s is a hang; -rss_limit_mb: one over 2 GB is a memory blow-up.
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build_dir/tests/fuzz/${target}_fuzz" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" "$repo_root/tests/fuzz/$target" 2>"$build_dir/$target.log"
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
}

status=0
if [[ "${IMPORTSPY_FUZZ_PARALLEL:-0}" == 1 ]]; then
  declare -A pids
  for target in "${targets[@]}"; do
    nice -n 10 bash -c "$(declare -f run_target); $(declare -p build_dir repo_root limit); run_target $target" &
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
# The Python API through atheris, when it is installed in .venv/ (`.venv/bin/python -m pip install atheris`).
python="$repo_root/.venv/bin/python"
if [[ -x "$python" ]] && "$python" -c "import atheris, importspy" 2>/dev/null; then
  corpus="$build_dir/corpus/python_api"
  artifacts="$build_dir/artifacts/python_api"
  mkdir -p "$corpus" "$artifacts"
  echo "== fuzz python_api (atheris, ${limit[*]})"
  if ! "$python" "$repo_root/tests/fuzz/python_api.py" "${limit[@]}" -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts/" \
      "$corpus" "$repo_root/tests/fuzz/python_api" 2>"$build_dir/python_api.log"; then
    echo "fuzz: python_api found a problem; see $build_dir/python_api.log and $artifacts/" >&2
    tail -40 "$build_dir/python_api.log" >&2
    status=1
  fi
  grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$build_dir/python_api.log" | sed "s/^/  /" || true
fi
exit "$status"
