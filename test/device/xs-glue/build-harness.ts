// Builds the C harness that runs our xsmc glue on the real XS engine: the glue, the DTLS engine
// and udp6.c over a fake lwIP, linked with the XS objects @agoric/xsnap builds on install.
// Shared by the glue tests, each of which runs its own scripts under valgrind.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
export const root = fileURLToPath(new URL("../../..", import.meta.url));
const xs = join(root, "node_modules/@agoric/xsnap/moddable/xs");
const xsnap = join(root, "node_modules/@agoric/xsnap/xsnap-native/xsnap");
const objects = join(xsnap, "build/tmp/lin/release/xsnap-worker");
// The defines xsnap-worker was compiled with (makefiles/lin/xsnap-worker.mk): xs.h's view of
// the machine must match the engine's.
const XSNAP_DEFINES = ["-DINCLUDE_XSPLATFORM", '-DXSPLATFORM="xsnapPlatform.h"', "-DmxLockdown=1", "-DmxMetering=1",
  "-DmxDebug=1", "-DmxNoConsole=1", "-DmxBoundsCheck=1", "-DmxParse=1", "-DmxRun=1", "-DmxSloppy=1", "-DmxSnapshot=1"];
const SOURCES = ["test/device/xs-glue/harness.c", "test/device/xs-glue/fake-lwip.c", "native/udp6.c",
  "native/xs_dtls.c", "native/hwrandom.c", "native/xs_dtls_engine.c"];

/** Compiles and links the harness into `dir`; returns its path. */
export async function buildXsGlueHarness(dir: string): Promise<string> {
  if (!existsSync(objects)) throw new Error(`no XS objects at ${objects}: npm ci builds them`);
  // Outside mcconfig, property ids are looked up at run time.
  writeFileSync(join(dir, "mc.xs.h"), ["address", "port", "onReadable", "Uint8Array"].map((id) => `#define xsID_${id} (fxID(the, "${id}"))\n`).join(""));
  const include = [dir, join(root, "native/ci-stubs"), join(xs, "includes"), join(xs, "platforms"), join(xs, "sources"),
    join(xsnap, "sources"), join(root, "native"), join(root, "host-sim/xs/in-process")].map((d) => `-I${d}`);
  await Promise.all(SOURCES.map((s, i) =>
    run("gcc", ["-c", "-O1", "-g", "-std=gnu99", "-fno-common", ...XSNAP_DEFINES, ...include, join(root, s), "-o", join(dir, `${i}.o`)])));
  const xsObjects = readdirSync(objects).filter((f) => f.endsWith(".o") && f !== "xsnap-worker.o").map((f) => join(objects, f));
  const harness = join(dir, "harness");
  await run("gcc", ["-o", harness, ...SOURCES.map((_, i) => join(dir, `${i}.o`)), ...xsObjects,
    "-lmbedtls", "-lmbedx509", "-lmbedcrypto", "-ldl", "-lm", "-lpthread"]);
  return harness;
}

/**
 * Runs test/device/xs-glue/<script> (after `prelude`) in the harness under valgrind, which fails
 * the run on any memory error or definite leak; returns the last two lines of its output.
 */
export async function runGlueScript(harness: string, dir: string, script: string, prelude = ""): Promise<string[]> {
  const path = join(dir, script);
  writeFileSync(path, prelude + readFileSync(join(root, "test/device/xs-glue", script), "utf8"));
  const { stdout } = await run("valgrind", ["--error-exitcode=9", "--leak-check=full", "--errors-for-leak-kinds=definite", "-q",
    harness, path], { timeout: 60_000 });
  return stdout.trim().split("\n").slice(-2);
}
