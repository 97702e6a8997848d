# Sourced by the scripts that build in a Debian root of their own (build-aarch64.sh, build-wheels-oldglibc.sh);
# each defines `in_root COMMAND...`, which runs a command inside its root.

# Installs into the root those of PACKAGE... that its dpkg does not have yet (none: no apt run at all).
# Usage: install_in_root LABEL PACKAGE...   (LABEL names the calling script in the message)
install_in_root() {
  local label="$1" package
  shift
  local missing=()
  for package in "$@"; do
    in_root dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  echo "$label: installing in $root: ${missing[*]}" >&2
  in_root apt-get update -qq
  in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
