// native/xs_dtls.c on the real XS engine: the glue is linked with the XS objects that
// @agoric/xsnap builds on install, the DTLS engine and Debian's mbedTLS, and driven from JS
// the way src/platform/moddable/dtls-native.ts drives it (xs-glue/glue.js), under valgrind.
import test from "ava";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const xs = join(root, "node_modules/@agoric/xsnap/moddable/xs");
const xsnap = join(root, "node_modules/@agoric/xsnap/xsnap-native/xsnap");
const objects = join(xsnap, "build/tmp/lin/release/xsnap-worker");
// The defines xsnap-worker was compiled with (makefiles/lin/xsnap-worker.mk): xs.h's view of
// the machine must match the engine's.
const XSNAP_DEFINES = ["-DINCLUDE_XSPLATFORM", '-DXSPLATFORM="xsnapPlatform.h"', "-DmxLockdown=1", "-DmxMetering=1",
  "-DmxDebug=1", "-DmxNoConsole=1", "-DmxBoundsCheck=1", "-DmxParse=1", "-DmxRun=1", "-DmxSloppy=1", "-DmxSnapshot=1"];

interface Observed {
  initial: [string, string, number];
  connected: [string, string];
  suite: [number, number];
  received: string | null;
  readEmpty: boolean;
  badReceiver: string;
  otherHostObject: string;
  badWrite: string;
  afterClose: [string, string, string];
  afterFree: [string, string, string];
  wrongPsk: [string, string, string, string];
  badCreate: string;
}

let observed: Observed | undefined;
let failure = "";

test.before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "coaps-xs-glue-"));
  try {
    if (!existsSync(objects)) throw new Error(`no XS objects at ${objects}: npm ci builds them`);
    writeFileSync(join(dir, "mc.xs.h"), "/* xs_dtls.c uses no property ids */\n");
    const include = [dir, join(root, "native/ci-stubs"), join(xs, "includes"), join(xs, "platforms"), join(xs, "sources"), join(xsnap, "sources"), join(root, "native")].map((d) => `-I${d}`);
    const sources = ["test/device/xs-glue/harness.c", "native/xs_dtls.c", "native/hwrandom.c", "native/xs_dtls_engine.c"];
    await Promise.all(sources.map((s, i) =>
      run("gcc", ["-c", "-O1", "-g", "-std=gnu99", "-fno-common", ...XSNAP_DEFINES, ...include, join(root, s), "-o", join(dir, `${i}.o`)])));
    const xsObjects = readdirSync(objects).filter((f) => f.endsWith(".o") && f !== "xsnap-worker.o").map((f) => join(objects, f));
    const harness = join(dir, "harness");
    await run("gcc", ["-o", harness, ...sources.map((_, i) => join(dir, `${i}.o`)), ...xsObjects,
      "-lmbedtls", "-lmbedx509", "-lmbedcrypto", "-ldl", "-lm", "-lpthread"]);
    const { stdout } = await run("valgrind", ["--error-exitcode=9", "--leak-check=full", "--errors-for-leak-kinds=definite", "-q",
      harness, join(root, "test/device/xs-glue/glue.js")], { timeout: 60_000 });
    observed = JSON.parse(stdout.trim().split("\n").pop()!) as Observed;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    failure = `${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const seen = (t: { fail(m: string): void }): Observed | undefined => {
  if (!observed) t.fail(`the XS harness did not run cleanly (valgrind included):\n${failure}`);
  return observed;
};

test("through the xsmc glue on XS, two engines complete a PSK handshake on TLS_PSK_WITH_AES_128_CCM_8 and pass a record", (t) => {
  const o = seen(t);
  if (!o) return;
  t.deepEqual(o.initial, ["handshaking", "listening", 0]);
  t.deepEqual(o.connected, ["connected", "connected"]);
  t.deepEqual(o.suite, [0xc0a8, 0xc0a8]);
  t.is(o.received, "GET /test-resource");
  t.true(o.readEmpty);
});

test("engine failures surface as errors named like DtlsErrorName: wrong PSK is BadRecordMac on both sides", (t) => {
  const o = seen(t);
  if (!o) return;
  t.deepEqual(o.wrongPsk, ["failed", "BadRecordMac", "failed", "BadRecordMac"]);
  t.regex(o.badWrite, /^Error: .*InvalidInput$/);
  t.regex(o.badCreate, /^Error: .*InvalidInput$/);
  t.deepEqual(o.afterClose, ["closed", "closed", "PeerClosed"]);
});

test("the glue checks its receiver, free() is repeatable, and any call after free() throws 'closed'", (t) => {
  const o = seen(t);
  if (!o) return;
  t.regex(o.badReceiver, /no host object/);
  t.regex(o.otherHostObject, /invalid/);
  t.is(o.afterFree.length, 3);
  for (const r of o.afterFree) t.regex(r, /^Error: .*closed$/);
});

test("engines never freed by the script are released by the destructor at machine teardown, with no leak or memory error", (t) => {
  // valgrind ran the whole script with --error-exitcode: reaching here with observations
  // means no invalid access and no definitely lost block.
  t.truthy(seen(t));
});
