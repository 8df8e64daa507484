#!/usr/bin/env bash
# Runs the Moddable SDK's own compiler (xsc) and linker (xsl) over the firmware exactly as an
# ESP32 build does, and fails on any warning they give about this project's modules:
#   - xsc "cannot optimize native!": a Native(...) method that is not a bare native call;
#   - xsl "not frozen" / "no const": an object or closure binding reached from a preloaded module
#     that cannot stay in flash, so the device copies it to RAM at boot.
# CI cannot run this (it has no Moddable SDK); test/device/native-shape.test.ts and
# test/device/preload-frozen.test.ts check the same properties without the SDK.
#
# Usage: scripts/check-xsl.sh <moddable-dir> [platform]      (platform: esp32 unless given)
# <moddable-dir> is a Moddable SDK checkout whose Linux tools are built
# (cd build/makefiles/lin && make, or at least the xsc, xsid, xsl and tools makefiles).
# Nothing is compiled for the board: ESP-IDF is not needed. mcconfig insists that IDF_PATH's
# include directories exist and make reads the IDF version from its git tag, so when IDF_PATH
# is unset an empty stand-in (tagged v6.0) is made in a temporary directory.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 <moddable-dir> [platform]" >&2
  exit 2
fi
MODDABLE=$(cd "$1" && pwd)
PLATFORM=${2:-esp32}
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=$MODDABLE/build/bin/lin/release
for tool in xsc xsid xsl mcconfig; do
  if [ ! -x "$BIN/$tool" ]; then
    echo "$BIN/$tool missing: build the Moddable tools first (build/makefiles/lin)" >&2
    exit 2
  fi
done
if [ ! -x "$REPO/node_modules/.bin/tsc" ]; then
  echo "$REPO/node_modules/.bin/tsc missing: run npm ci" >&2
  exit 2
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ -z "${IDF_PATH:-}" ]; then
  IDF_PATH=$WORK/idf
  for dir in port/include mbedtls/include port/psa_driver/include mbedtls/tf-psa-crypto/include \
    mbedtls/tf-psa-crypto/drivers/builtin/include; do
    mkdir -p "$IDF_PATH/components/mbedtls/$dir"
  done
  git -C "$IDF_PATH" init -q
  git -C "$IDF_PATH" -c user.name=check-xsl -c user.email=check-xsl@invalid commit -q --allow-empty -m "stand-in"
  git -C "$IDF_PATH" -c user.name=check-xsl -c user.email=check-xsl@invalid tag -a v6.0 -m "stand-in"
fi
export MODDABLE IDF_PATH
export PATH=$BIN:$REPO/node_modules/.bin:$PATH

mkdir -p "$WORK/out"
echo "# Moddable SDK $(cat "$MODDABLE/tools/VERSION" 2>/dev/null || echo '(no tools/VERSION)') at $MODDABLE, platform $PLATFORM"
(cd "$REPO" && mcconfig -p "$PLATFORM" -o "$WORK/out")
# tmp/<platform>[/<subplatform>]/release/<name>/makefile: the depth varies by platform.
MAKEFILE=$(find "$WORK/out/tmp" -name makefile -path '*/release/*' | head -n 1)
if [ -z "$MAKEFILE" ]; then
  echo "mcconfig wrote no makefile under $WORK/out/tmp" >&2
  exit 1
fi

# The makefile's own rules (tsc per module, xsc, xsid), then its xsl command line, without the
# ESP-IDF steps that the full target (mc.xs.c) depends on.
printf 'xslcheck: $(MODULES)\n\txsl -b $(MODULES_DIR) -o $(TMP_DIR) $(PRELOADS) $(STRIPS) $(CREATION) $(MODULES)\n' > "$WORK/xslcheck.mk"
status=0
(cd "$(dirname "$MAKEFILE")" && make -f makefile -f "$WORK/xslcheck.mk" MAKEFLAGS_JOBS=--jobs=2 xslcheck) > "$WORK/log" 2>&1 || status=$?

# Our modules' xsc warnings name a file under src/ (JavaScript) or tsc's output of src/.
ours=$(grep -E ': warning: ' "$WORK/log" | grep -F "$REPO/src/" || true)
sdk=$(grep -E ': warning: ' "$WORK/log" | grep -vF "$REPO/src/" || true)
# xsl names the module first ("### warning: coap/index: ..."); ours are those the makefile
# builds from src/. An xsl error always fails.
names=$(grep -E '^\$\(MODULES_DIR\)/[^:]*\.xsb: .*'"$REPO"'/src/' "$MAKEFILE" | sed -E 's#^\$\(MODULES_DIR\)/([^:]*)\.xsb:.*#\1#' | sort -u)
if [ -z "$names" ]; then
  echo "found none of this project's modules in $MAKEFILE" >&2
  exit 1
fi
linker=""
sdklinker=""
while IFS= read -r line; do
  module=$(printf '%s\n' "$line" | sed -E 's/^### (warning|error): ([^:]*):.*/\2/')
  if [[ $line == "### error"* ]] || grep -qxF "$module" <<< "$names"; then
    linker+="$line"$'\n'
  else
    sdklinker+="$line"$'\n'
  fi
done < <(grep -E '^### (warning|error)' "$WORK/log" || true)
linker=${linker%$'\n'}
sdklinker=${sdklinker%$'\n'}
summary=$(grep -E '^### [0-9]+ instances' "$WORK/log" || true)

[ -n "$sdk" ] && printf '# xsc warnings in the SDK'"'"'s own modules (not checked):\n%s\n' "$sdk"
[ -n "$sdklinker" ] && printf '# xsl warnings for the SDK'"'"'s own modules (not checked):\n%s\n' "$sdklinker"
[ -n "$summary" ] && echo "$summary"
if [ $status -ne 0 ]; then
  grep -vE '^# (xsc|xsid|tsc) ' "$WORK/log" | tail -n 30 >&2
  echo "FAIL: the build stopped before xsl finished (make exit $status)" >&2
  exit 1
fi
if [ -n "$ours" ] || [ -n "$linker" ]; then
  [ -n "$ours" ] && printf '%s\n' "$ours"
  [ -n "$linker" ] && printf '%s\n' "$linker"
  echo "FAIL: xsc/xsl warnings for this project's modules (above)" >&2
  exit 1
fi
echo "OK: xsc and xsl report nothing for this project's modules"
