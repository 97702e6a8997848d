#!/usr/bin/env bash
# Makes a fresh virtual environment of CPython X.Y with a repaired wheel from dist/ and the test tools.
# Usage: scripts/wheel-env.sh X.Y VENV_DIR [WHEEL]
#   WHEEL: X.Y (default; the cp3XY-cp3XY wheel) or abi3 (the cp312-abi3 wheel, for CPython 3.12 and newer),
#   as scripts/build-wheels.sh WHEEL built it, from dist/ (or from IMPORTSPY_WHEEL_DIR: dist/oldglibc for
#   scripts/build-wheels-oldglibc.sh's).
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$1"
venv="$2"
kind="${3:-$version}"
if [[ "$kind" == abi3 ]]; then
  tag="cp312-abi3"
else
  tag="cp${kind/./}-cp${kind/./}"
fi
wheel_dir="${IMPORTSPY_WHEEL_DIR:-$repo_root/dist}"
# This machine's wheel: dist/ may also hold the aarch64 one (scripts/build-aarch64.sh).
wheels=("$wheel_dir"/importspy-*-"$tag"-manylinux*_"$(uname -m)".whl)
if [[ ! -f "${wheels[0]}" ]]; then
  echo "wheel-env: no repaired $tag wheel in $wheel_dir; run scripts/build-wheels.sh $kind" >&2
  exit 1
fi
rm -rf "$venv"
python="$("$repo_root/scripts/find-python.sh" "$version")"
# uv (PyPI, in the tools venv) makes the environment and installs into it: the same packages pip would
# install, linked from uv's cache instead of unpacked again, and compiled to bytecode as pip does: about
# 4 s instead of 18 s per environment, six times per test run. pip is seeded into the environment, since
# tests install with it.
tools="$repo_root/.venv-tools"
[[ -x "$tools/bin/python" ]] || python3 -m venv "$tools"
"$tools/bin/python" -I -c "import uv" 2>/dev/null ||
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check "uv>=0.5"
uv="$("$tools/bin/python" -I -c "import uv; print(uv.find_uv_bin())")"
log="$(mktemp)"
# The test tools are the `test` extra of pyproject.toml; the package itself only from the wheel.
if ! { "$uv" venv --quiet --seed --python "$python" "$venv" && "$uv" pip install --compile-bytecode --python "$venv/bin/python" "${wheels[0]}[test]"; } >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
