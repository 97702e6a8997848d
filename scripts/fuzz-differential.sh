#!/usr/bin/env bash
# Long runs of the differential fuzzer (tests/corpus/differential_fuzz.py): the C++ reader against CPython,
# SECONDS per CPython, one CPython after the other (each with the repaired wheel built for it, in
# .venv-test-X.Y/ as scripts/test.sh makes them; made here when missing).
# Usage: scripts/fuzz-differential.sh SECONDS [VERSION...]    e.g. scripts/fuzz-differential.sh 1200 3.12 3.13
# Environment: IMPORTSPY_FINDINGS (where reproducers go; default ~/.cache/importspy/difffuzz-findings, outside
# the repository), IMPORTSPY_DIFFFUZZ_SEED (default: the time, printed so a run can be repeated).
# Exit status 1 when a divergence not listed in tests/corpus/differential_exceptions.toml was found.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:?usage: scripts/fuzz-differential.sh SECONDS [VERSION...]}"
shift
versions=("$@")
((${#versions[@]})) || versions=(3.10 3.11 3.12 3.13)
findings="${IMPORTSPY_FINDINGS:-$HOME/.cache/importspy/difffuzz-findings}"
seed="${IMPORTSPY_DIFFFUZZ_SEED:-$(date +%s)}"

# The reader's test driver, from the normal build.
if [[ ! -f "$repo_root/build/CMakeCache.txt" ]]; then
  "$repo_root/scripts/bootstrap.sh" --packages-only
  cmake -S "$repo_root" -B "$repo_root/build" -G Ninja >/dev/null
fi
cmake --build "$repo_root/build" --target importspy_read_facts >/dev/null
# A copy, so that rebuilding during a long run does not pull the driver from under it.
driver_dir="$(mktemp -d)"
trap 'rm -rf "$driver_dir"' EXIT
cp "$repo_root/build/tests/cpp/importspy_read_facts" "$driver_dir/"
driver="$driver_dir/importspy_read_facts"

status=0
for version in "${versions[@]}"; do
  venv="$repo_root/.venv-test-$version"
  if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import importspy._engine" 2>/dev/null; then
    "$repo_root/scripts/build-wheels.sh" "$version"
    "$repo_root/scripts/wheel-env.sh" "$version" "$venv"
  fi
  echo "== differential fuzzing on CPython $version: ${seconds} s, seed $seed, findings in $findings"
  nice "$venv/bin/python" "$repo_root/tests/corpus/differential_fuzz.py" "$driver" --seconds "$seconds" --seed "$seed" \
    --findings "$findings" || status=1
done
exit "$status"
