#!/usr/bin/env bash
# The GitHub Action's install step (action.yml): puts ImportSpy into the job's Python.
#
#   IMPORTSPY_PACKAGE empty (the default): ImportSpy is built from the action's own checkout
#     ($GITHUB_ACTION_PATH, the ref named in `uses: OWNER/importspy@REF`), so the action works whether
#     or not that version is on PyPI. Building compiles the C++ engine (a few minutes on a hosted
#     runner); on Debian and Ubuntu the libraries it links against are installed first when missing.
#   IMPORTSPY_PACKAGE set: what pip installs instead: a requirement (`importspy==1.0.0`), a wheel file
#     (fast: nothing is compiled), or a folder.
#
# Runs `python -m pip` of the job's Python (the one actions/setup-python put first on PATH).
set -euo pipefail

package="${IMPORTSPY_PACKAGE:-}"
if [[ -n "$package" ]]; then
  echo "install-importspy: pip install $package"
  python -m pip install --disable-pip-version-check "$package"
  exit 0
fi

source_tree="${GITHUB_ACTION_PATH:-}"
if [[ -z "$source_tree" || ! -f "$source_tree/pyproject.toml" ]]; then
  echo "install-importspy: GITHUB_ACTION_PATH (\`$source_tree\`) is not the action's checkout; set the \`package\` input to a requirement or a wheel" >&2
  exit 2
fi

# What the engine links against (CMakeLists.txt): the -dev packages of Debian and Ubuntu.
libraries=(libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libsodium-dev libtomlplusplus-dev libgraphviz-dev)
if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for library in "${libraries[@]}"; do
    dpkg-query -W -f='${Status}' "$library" 2>/dev/null | grep -q "install ok installed" || missing+=("$library")
  done
  if ((${#missing[@]})); then
    echo "install-importspy: installing the libraries the engine links against: ${missing[*]}"
    apt_get=(apt-get)
    if [[ $(id -u) -ne 0 ]]; then apt_get=(sudo apt-get); fi
    "${apt_get[@]}" update -qq
    DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq "${missing[@]}"
  fi
else
  echo "install-importspy: not Debian or Ubuntu: the build needs yaml-cpp, libsodium, nlohmann-json, CLI11, toml++ and Graphviz installed (pyproject.toml, [tool.cibuildwheel])" >&2
fi

echo "install-importspy: building ImportSpy from the action's checkout ($source_tree)"
python -m pip install --disable-pip-version-check "$source_tree"
