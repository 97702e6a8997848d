#!/usr/bin/env bash
# Prints the path of a CPython X.Y interpreter: the newest pyenv X.Y.*, else pythonX.Y on PATH.
# Usage: scripts/find-python.sh 3.12
set -euo pipefail
version="$1"
# pyenv's real interpreters first (its shims on PATH may refuse a version not selected by `pyenv global`).
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
candidates=()
for dir in "$pyenv_root"/versions/"$version".*; do
  [[ "$dir" =~ /$version\.[0-9]+$ && -x "$dir/bin/python$version" ]] && candidates+=("$dir/bin/python$version")
done
if ((${#candidates[@]} == 0)) && command -v "python$version" >/dev/null 2>&1 && "python$version" -c "" 2>/dev/null; then
  command -v "python$version"
  exit 0
fi
if ((${#candidates[@]} == 0)); then
  echo "find-python: no CPython $version found (looked for python$version on PATH and in $pyenv_root/versions)" >&2
  exit 1
fi
printf '%s\n' "${candidates[@]}" | sort -V | tail -n 1
