// The boot banner's "DTLS: Mbed TLS x.y.z": native/mbedtls_version.h reports the version of the
// library actually linked (not only the headers'), the XS glue compiles for every platform that
// links Mbed TLS, and the N-API addon answers the same text on the host.
import test from "ava";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { napiMbedtlsVersion } from "../../host-sim/dtls-napi.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const native = join(root, "native");

/** MBEDTLS_VERSION_STRING of the installed headers (version.h on 2.x, build_info.h on 3.x+). */
function installedHeaderVersion(): string {
  for (const h of ["/usr/include/mbedtls/build_info.h", "/usr/include/mbedtls/version.h"]) {
    try {
      const m = /#define\s+MBEDTLS_VERSION_STRING\s+"([\d.]+)"/.exec(readFileSync(h, "utf8"));
      if (m) return m[1]!;
    } catch { /* not this layout */ }
  }
  throw new Error("no Mbed TLS headers in /usr/include");
}

const PROGRAM = `#include "mbedtls_version.h"
int main(void) {
  char t[MBEDTLS_VERSION_TEXT_MAX];
  mbedtls_version_describe(t, sizeof t); puts(t);
  mbedtls_version_format(0x04000000UL, 0x04000000UL, t, sizeof t); puts(t);
  mbedtls_version_format(0x021C0300UL, 0x04000000UL, t, sizeof t); puts(t);
  mbedtls_version_format(0xFFFFFF00UL, 0x03060500UL, t, sizeof t); puts(t);
  return 0;
}
`;

/** Builds and runs PROGRAM, linked with Debian's library or with a stand-in library of another version. */
async function runProgram(library: "debian" | "1.2.3" = "debian"): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "coaps-mbedtls-version-"));
  try {
    writeFileSync(join(dir, "v.c"), PROGRAM);
    writeFileSync(join(dir, "other.c"), "unsigned int mbedtls_version_get_number(void);\nunsigned int mbedtls_version_get_number(void) { return 0x01020300u; }\n");
    const link = library === "debian" ? ["-lmbedcrypto"] : [join(dir, "other.c")];
    await run("gcc", ["-std=c99", "-Wall", "-Wextra", "-Werror", `-I${native}`, join(dir, "v.c"), "-o", join(dir, "v"), ...link]);
    const { stdout } = await run(join(dir, "v"));
    return stdout.trimEnd().split("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the library linked reports its own version; a mismatch with the headers is spelled out", async (t) => {
  const [linked, same, mismatch, widest] = await runProgram();
  t.is(linked, `Mbed TLS ${installedHeaderVersion()}`);
  t.is(same, "Mbed TLS 4.0.0");
  t.is(mismatch, "Mbed TLS 2.28.3 (compiled against 4.0.0 headers)");
  t.is(widest, "Mbed TLS 255.255.255 (compiled against 3.6.5 headers)");
});

test("the version is the linked library's answer, not the headers': another library shows as a mismatch", async (t) => {
  const [linked] = await runProgram("1.2.3");
  t.is(linked, `Mbed TLS 1.2.3 (compiled against ${installedHeaderVersion()} headers)`);
});

test("the N-API addon answers the same text the device prints", async (t) => {
  const [linked] = await runProgram();
  t.is(napiMbedtlsVersion(), linked);
});

test("the XS glue compiles warning-free for esp32 and lin (the platforms that link Mbed TLS)", async (t) => {
  const xsIncludes = join(root, "node_modules/@agoric/xsnap/moddable/xs/includes");
  for (const defines of [["-DESP32=1"], []]) {
    const args = ["-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-std=c99", ...defines,
      `-I${join(native, "ci-stubs")}`, `-I${xsIncludes}`, `-I${native}`, join(native, "xs_mbedtls_version.c")];
    await t.notThrowsAsync(run("gcc", args, { cwd: root }), defines.join(" ") || "lin");
  }
});

test("the manifest builds the glue and its module wherever a board prints the version", (t) => {
  const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8")) as {
    platforms: Record<string, { modules?: Record<string, string | string[]> }>;
  };
  for (const name of ["esp32", "esp32/esp32s3_cdc", "esp32/esp32c3_cdc", "esp32/esp32c6_cdc", "lin"]) {
    const modules = manifest.platforms[name]?.modules ?? {};
    t.is(modules["platform/moddable/mbedtls-version"], "./src/platform/moddable/mbedtls-version", name);
    t.true(([] as string[]).concat(modules["*"] ?? []).includes("./native/xs_mbedtls_version.c"), name);
  }
});
