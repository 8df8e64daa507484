#!/usr/bin/env bash
# Checks the DTLS engine against one Mbed TLS installation (docs/dtls.md, "mbedTLS versions"):
#   1. compiles the engine (native/dtls_*.c) and the cycle driver warning-free (-Wall -Wextra -Werror)
#   2. runs PSK and certificate create/handshake/data/close cycles under valgrind and requires
#      no error and no leak of any kind (still-reachable included)
#   3. measures heap allocations per application record: one session carrying N records each
#      way against one carrying none, so handshake and set-up costs cancel out.
#
# Usage: scripts/check-mbedtls-version.sh <install-prefix> [psk-cycles] [x509-cycles]
#   <install-prefix>  where `cmake --install` put include/ and lib/ (or /usr for Debian's 2.28)
#   MBEDTLS_CFLAGS    (environment) the config defines the library was built with, so the
#                     engine sees the same structure layouts, e.g.
#                     MBEDTLS_CFLAGS='-DTF_PSA_CRYPTO_USER_CONFIG_FILE="/path/exclusive-buffers.h"'
#
# Mbed TLS 3.6 and 4.0 are not Debian 12 packages and CI reaches no other source, so this is a
# by-hand check; docs/dtls.md says how the prefixes it was run against were built.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${1:?usage: $0 <install-prefix> [psk-cycles] [x509-cycles]}"
psk_cycles="${2:-200}"
x509_cycles="${3:-5}"
records=1000

inc="$prefix/include"
[ -f "$inc/mbedtls/build_info.h" ] || [ -f "$inc/mbedtls/version.h" ] || { echo "no Mbed TLS headers under $inc" >&2; exit 2; }
read -r -a cflags <<<"${MBEDTLS_CFLAGS:-}"
version=$(printf '#include "mbedtls/version.h"\nMBEDTLS_VERSION_STRING\n' | gcc -E -P "${cflags[@]}" -I"$inc" -x c - | tail -1 | tr -d '"')
major=${version%%.*}

# Static libraries from the prefix, in link order; 4.x splits crypto into TF-PSA-Crypto.
libdir="$prefix/lib"
[ -d "$libdir" ] || libdir="$prefix/lib/x86_64-linux-gnu"
libs=()
for l in mbedtls mbedx509 tfpsacrypto mbedcrypto builtin everest p256m; do
  if [ "$l" = mbedcrypto ] && [ -f "$libdir/libtfpsacrypto.a" ]; then continue; fi # 4.x: a copy of tfpsacrypto
  if [ -f "$libdir/lib$l.a" ]; then libs+=("$libdir/lib$l.a")
  elif [ "$prefix" = /usr ] && [ -f "/usr/lib/x86_64-linux-gnu/lib$l.so" ]; then libs+=("-l$l"); fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
exe="$work/engine_cycles"
gcc -std=c99 -Wall -Wextra -Werror -O1 -g "${cflags[@]}" -I"$inc" -I"$root/native" \
  "$root/test/dtls/c/engine_cycles.c" "$root"/native/dtls_*.c "${libs[@]}" -o "$exe"
echo "Mbed TLS $version: engine compiled warning-free"

creds=("$root/native/credentials/leaf.pem" "$root/native/credentials/leaf-key.pem" "$root/native/credentials/ca.pem")
if ! valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --error-exitcode=1 \
    "$exe" "$psk_cycles" "$x509_cycles" "${creds[@]}" >"$work/cycles.out" 2>"$work/cycles.err" || [ -s "$work/cycles.err" ]; then
  cat "$work/cycles.err" >&2
  echo "Mbed TLS $version: FAIL: valgrind reported errors or unfreed memory" >&2
  exit 1
fi
echo "Mbed TLS $version: $(cat "$work/cycles.out"), valgrind clean (no errors, nothing unfreed)"

heap() { # <records> -> "<allocs> <bytes>"
  valgrind "$exe" records "$1" 2>&1 >/dev/null | sed -n 's/.*total heap usage: \([0-9,]*\) allocs, [0-9,]* frees, \([0-9,]*\) bytes allocated.*/\1 \2/p' | tr -d ','
}
read -r a0 b0 <<<"$(heap 0)"
read -r a1 b1 <<<"$(heap "$records")"
n=$((2 * records)) # records each way
awk -v v="$version" -v a0="$a0" -v a1="$a1" -v b0="$b0" -v b1="$b1" -v n="$n" 'BEGIN {
  printf "Mbed TLS %s: %.2f allocations, %.0f bytes allocated per application record (%d records: %d -> %d allocations)\n",
    v, (a1 - a0) / n, (b1 - b0) / n, n, a0, a1 }'
