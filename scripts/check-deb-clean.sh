#!/usr/bin/env bash
# Checks that the .deb installs and runs on a clean Debian 12: debootstrap makes a minimal
# bookworm system (variant minbase: essential packages and apt only, none of the build's
# libraries), `apt-get install ./copydesk_*.deb` inside it must pull every runtime library from
# the package's declared dependencies alone, and the installed copydesk must print its version
# and dedup corpora/newsroom exactly as the build's binary does. Root only (debootstrap and
# chroot); debootstrap is installed with apt-get when missing. The system is removed afterwards.
# Usage: scripts/check-deb-clean.sh DEB BUILD_BINARY [MIRROR]
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(realpath "$1")
build_bin=$(realpath "$2")
mirror=${3:-http://deb.debian.org/debian}
fail() { echo "check-deb-clean: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || { echo "check-deb-clean: not root: skipped"; exit 0; }
if ! command -v debootstrap >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null ||
    fail "debootstrap is missing and could not be installed"
fi
root=$(mktemp -d)
cleanup() {
  # A mount left inside would make rm descend into the host's /proc.
  umount "$root/proc" 2>/dev/null || true
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 ||
  { tail -20 "$root.log" >&2; rm -f "$root.log"; fail "debootstrap bookworm failed"; }
rm -f "$root.log"
if chroot "$root" dpkg-query -W -f='${Status}' libicu72 2>/dev/null | grep -q installed; then
  fail "the new system already has libicu72: it is not a clean system"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mkdir -p "$root/tmp/check/corpora"
cp "$deb" "$root/tmp/check/"
cp -r corpora/newsroom "$root/tmp/check/corpora/"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
  DEBIAN_FRONTEND=noninteractive sh -c "$1"; }
in_root "apt-get update -qq && apt-get install -y -qq --no-install-recommends \
  /tmp/check/$(basename "$deb")" >"$root/tmp/install.log" 2>&1 ||
  { tail -20 "$root/tmp/install.log" >&2; fail "apt-get install of the .deb failed"; }
version=$(sed -n 's/^project(copydesk VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
out=$(in_root "copydesk --version")
[[ "$out" == "$version" ]] || fail "copydesk --version printed: $out"
expected=$("$build_bin" dedup --format json corpora/newsroom)
out=$(in_root "cd /tmp/check && copydesk dedup --format json corpora/newsroom")
[[ "$out" == "$expected" ]] || fail "dedup on the clean system differs from the build's"
packages=$(in_root "dpkg-query -W -f='\${Package}\n'" | wc -l)
echo "check-deb-clean: $(basename "$deb") on a clean Debian 12 ($packages packages after install): --version and dedup ok"
