#!/usr/bin/env bash
# Builds the documentation site (mkdocs, material theme) from docs/ into build-docs/site/, strictly: a
# broken link, a page missing from the navigation or a bad setting fails the build.
# The docs tools live in a virtual environment of their own, .venv-docs/ (from PyPI, installed once).
# Usage: scripts/docs.sh [serve]   → `serve` previews the site on http://127.0.0.1:8000 instead.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo_root/.venv-docs"
if [[ ! -x "$venv/bin/mkdocs" ]] || ! "$venv/bin/python" -c "import material" 2>/dev/null; then
  python3 -m venv "$venv"
  log="$(mktemp)"
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check "mkdocs>=1.6,<2" "mkdocs-material>=9.5,<10" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
fi
cd "$repo_root"
if [[ "${1:-}" == serve ]]; then
  exec "$venv/bin/mkdocs" serve
fi
# Not --quiet: it hides the warnings that --strict counts, and a broken link would pass.
export NO_MKDOCS_2_WARNING=1
log="$(mktemp)"
status=0
"$venv/bin/mkdocs" build --strict --site-dir "$repo_root/build-docs/site" >"$log" 2>&1 || status=$?
grep -v '^INFO ' "$log" >&2 || true
rm -f "$log"
if ((status)); then
  echo "docs: mkdocs build --strict failed (above: each warning names the page and the link)" >&2
  exit "$status"
fi
echo "docs: site built in build-docs/site/ (mkdocs build --strict)"
