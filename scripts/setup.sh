#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine: system packages, npm packages, the native
# DTLS addon and the XS worker. Both README commands and .ci/run call it.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(build-essential python3 libmbedtls-dev libcoap3-bin openssl tmux valgrind tshark chromium)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # tshark asks whether non-root users may capture: answer no, non-interactively.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm ci when node_modules is missing or older than the lockfile. A symlinked node_modules is
# an install shared with other checkouts (a fresh clone's lockfile is always newer than it):
# npm ci would empty the link's target under them, so it is left to its owner.
if [ -L node_modules ]; then
  if [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "setup: node_modules is a symlink (a shared install): not running npm ci through it"
  fi
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci (builds the DTLS addon and the XS worker; about a minute)"
  npm ci --no-audit --no-fund --loglevel=error
fi
# A clone whose node_modules predates binding.gyp still needs the addon.
if [ -f binding.gyp ] && [ ! -f build/Release/dtls_napi.node ]; then
  node scripts/build-native.mjs
fi
