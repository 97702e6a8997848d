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
wheels=("$wheel_dir"/importspy-*-"$tag"-manylinux*.whl)
if [[ ! -f "${wheels[0]}" ]]; then
  echo "wheel-env: no repaired $tag wheel in $wheel_dir; run scripts/build-wheels.sh $kind" >&2
  exit 1
fi
rm -rf "$venv"
"$("$repo_root/scripts/find-python.sh" "$version")" -m venv "$venv"
log="$(mktemp)"
# The test tools are the `test` extra of pyproject.toml; the package itself only from the wheel.
if ! "$venv/bin/python" -m pip install --disable-pip-version-check "${wheels[0]}[test]" >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
