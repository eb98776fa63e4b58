#!/usr/bin/env bash
# PeftGrid machine setup: makes a fresh Debian 12 / Debian 13 / Ubuntu 24.04 machine ready to build,
# test and run PeftGrid. Idempotent: prints each change it makes and does nothing where nothing is
# missing. Needs root (or sudo) only when something must be installed.
#
# What it ensures:
#   1. libstdc++ exporting GLIBCXX_3.4.32 (TorchSharp 0.107's native libLibTorchSharp.so needs it).
#      Debian 12 ships GLIBCXX_3.4.30, so there the script adds the Debian 13 (trixie) suite with a low
#      apt pin and installs only `libstdc++6` from it (this pulls libc6 2.41, verified to work).
#   2. redis-server (Debian package), used by the integration tests and by Redis clustering.
#   3. sentencepiece (spm_train), used by the tests to train a small stand-in for mBART's SentencePiece model.
#   4. chromium (Debian/Ubuntu package at /usr/bin/chromium), driven headless by the dashboard's browser tests (no browser download).
#   5. the .NET 10 SDK on PATH (it is not installed here: the script fails with a clear message).
set -euo pipefail

say() { printf 'eng/setup: %s\n' "$*"; }
die() { printf 'eng/setup: error: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="__none__"; fi
fi
run_root() {
  [ "$SUDO" = "__none__" ] && die "need root to run: $* (run this script as root or install sudo)"
  $SUDO "$@"
}

[ -r /etc/os-release ] || die "cannot read /etc/os-release; supported: Debian 12, Debian 13, Ubuntu 24.04"
. /etc/os-release
case "${ID}:${VERSION_ID:-}" in
  debian:12|debian:13|ubuntu:24.04) ;;
  *) die "unsupported OS '${PRETTY_NAME:-$ID}'; supported: Debian 12, Debian 13, Ubuntu 24.04" ;;
esac

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then
    say "apt-get update"
    run_root apt-get update -qq >/dev/null || die "apt-get update failed"
    apt_updated=1
  fi
}

has_glibcxx() {
  local lib
  for lib in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6; do
    if [ -e "$lib" ] && grep -q 'GLIBCXX_3\.4\.32' "$lib"; then return 0; fi
  done
  return 1
}

# 1. libstdc++ with GLIBCXX_3.4.32
if has_glibcxx; then
  say "libstdc++ has GLIBCXX_3.4.32: nothing to do"
else
  [ "${ID}:${VERSION_ID}" = "debian:12" ] || die "libstdc++ lacks GLIBCXX_3.4.32 on ${PRETTY_NAME}; install a libstdc++6 from GCC 13 or newer"
  if [ ! -e /etc/apt/sources.list.d/peftgrid-trixie.sources ]; then
    say "adding the Debian 13 (trixie) apt suite with pin priority 100 (only libstdc++6 is taken from it)"
    run_root tee /etc/apt/sources.list.d/peftgrid-trixie.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    run_root tee /etc/apt/preferences.d/peftgrid-trixie >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
    apt_updated=0
  fi
  apt_update_once
  say "installing libstdc++6 from trixie (apt-get install -t trixie libstdc++6)"
  run_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t trixie libstdc++6 >/dev/null \
    || die "apt-get install -t trixie libstdc++6 failed"
  has_glibcxx || die "libstdc++6 from trixie installed but GLIBCXX_3.4.32 is still missing"
  say "libstdc++ now has GLIBCXX_3.4.32"
fi

# 2. redis-server
if command -v redis-server >/dev/null 2>&1; then
  say "redis-server present ($(redis-server --version | awk '{print $3}')): nothing to do"
else
  apt_update_once
  say "installing redis-server"
  run_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null || die "apt-get install redis-server failed"
  # The Debian package starts a system service where systemd runs; PeftGrid starts its own on demand.
fi

# 3. sentencepiece (spm_train): the tests train a small SentencePiece model on the shared en-ro text, standing in for
#    mBART's sentence.bpe.model, which is not available here
if command -v spm_train >/dev/null 2>&1; then
  say "sentencepiece present: nothing to do"
else
  apt_update_once
  say "installing sentencepiece"
  run_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sentencepiece >/dev/null || die "apt-get install sentencepiece failed"
fi

# 4. chromium: the dashboard's browser tests (tests/PeftGrid.Dashboard.Tests/Browser) drive /usr/bin/chromium headless through CDP
if [ -x /usr/bin/chromium ]; then
  say "chromium present ($(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')): nothing to do"
else
  apt_update_once
  say "installing chromium"
  run_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || die "apt-get install chromium failed"
  # On Ubuntu the apt package is a transitional one that installs the snap; without snapd there is no /usr/bin/chromium.
  [ -x /usr/bin/chromium ] || die "chromium installed but /usr/bin/chromium is missing (on Ubuntu it is a snap: needs snapd)"
fi

# 5. .NET SDK
if command -v dotnet >/dev/null 2>&1 && dotnet --list-sdks | grep -q '^10\.'; then
  say ".NET SDK $(dotnet --version) present: nothing to do"
else
  die ".NET 10 SDK not found on PATH; install it (https://dot.net) and run this script again"
fi
say "machine ready"
