// The xsmc DTLS glue when converting an argument runs JS: a valueOf that frees the engine, or
// creates one on the same object, in the middle of the call. Built like xs-glue.test.ts (our
// glue linked with @agoric/xsnap's XS objects) and run under valgrind, so a use after free or
// a leaked engine fails the run.
import test from "ava";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const xs = join(root, "node_modules/@agoric/xsnap/moddable/xs");
const xsnap = join(root, "node_modules/@agoric/xsnap/xsnap-native/xsnap");
const objects = join(xsnap, "build/tmp/lin/release/xsnap-worker");
// xs.h's view of the machine must match the one xsnap-worker was compiled with.
const XSNAP_DEFINES = ["-DINCLUDE_XSPLATFORM", '-DXSPLATFORM="xsnapPlatform.h"', "-DmxLockdown=1", "-DmxMetering=1",
  "-DmxDebug=1", "-DmxNoConsole=1", "-DmxBoundsCheck=1", "-DmxParse=1", "-DmxRun=1", "-DmxSloppy=1", "-DmxSnapshot=1"];

interface Observed {
  feed: string;
  handleTimer: string;
  close: string;
  write: string;
  outerCreate: string;
  nestedCreate: string;
  stateAfterNested: string;
  afterFree: string;
}

let observed: Observed | undefined;
let failure = "";

test.before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "coaps-xs-args-"));
  try {
    if (!existsSync(objects)) throw new Error(`no XS objects at ${objects}: npm ci builds them`);
    writeFileSync(join(dir, "mc.xs.h"), '#define xsID_address (fxID(the, "address"))\n#define xsID_port (fxID(the, "port"))\n');
    const include = [dir, join(root, "native/ci-stubs"), join(xs, "includes"), join(xs, "platforms"), join(xs, "sources"), join(xsnap, "sources"), join(root, "native")].map((d) => `-I${d}`);
    const sources = ["test/device/xs-glue/harness.c", "test/device/xs-glue/fake-lwip.c", "native/udp6.c",
      "native/xs_dtls.c", "native/hwrandom.c", "native/xs_dtls_engine.c"];
    await Promise.all(sources.map((s, i) =>
      run("gcc", ["-c", "-O1", "-g", "-std=gnu99", "-fno-common", ...XSNAP_DEFINES, ...include, join(root, s), "-o", join(dir, `${i}.o`)])));
    const xsObjects = readdirSync(objects).filter((f) => f.endsWith(".o") && f !== "xsnap-worker.o").map((f) => join(objects, f));
    const harness = join(dir, "harness");
    await run("gcc", ["-o", harness, ...sources.map((_, i) => join(dir, `${i}.o`)), ...xsObjects,
      "-lmbedtls", "-lmbedx509", "-lmbedcrypto", "-ldl", "-lm", "-lpthread"]);
    const script = join(dir, "reentrant.js");
    writeFileSync(script, readFileSync(join(root, "test/device/xs-glue/reentrant.js"), "utf8"));
    const { stdout } = await run("valgrind", ["--error-exitcode=9", "--leak-check=full", "--errors-for-leak-kinds=definite", "-q",
      harness, script], { timeout: 60_000 });
    observed = JSON.parse(stdout.trim().split("\n").slice(-2)[0]!) as Observed;
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

test("an argument whose valueOf frees the engine makes feed, write, handleTimer and close throw 'closed' instead of touching freed memory", (t) => {
  const o = seen(t);
  if (!o) return;
  for (const r of [o.feed, o.write, o.handleTimer, o.close]) t.regex(r, /^Error: .*closed$/);
});

test("a create nested inside create's argument conversion keeps its engine: the outer call throws 'already created' and nothing leaks", (t) => {
  const o = seen(t);
  if (!o) return;
  t.is(o.nestedCreate, "no throw");
  t.regex(o.outerCreate, /^Error: .*already created$/);
  t.is(o.stateAfterNested, "handshaking");
  t.regex(o.afterFree, /^Error: .*closed$/);
});
