#!/usr/bin/env bash
# Makes a fresh virtual environment of CPython X.Y with the repaired wheel from dist/ and the test tools.
# Usage: scripts/wheel-env.sh X.Y VENV_DIR   (the wheel comes from scripts/build-wheels.sh X.Y)
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$1"
venv="$2"
tag="cp${version/./}"
wheels=("$repo_root"/dist/importspy-*-"$tag"-"$tag"-manylinux*.whl)
if [[ ! -f "${wheels[0]}" ]]; then
  echo "wheel-env: no repaired wheel for CPython $version in dist/; run scripts/build-wheels.sh $version" >&2
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
