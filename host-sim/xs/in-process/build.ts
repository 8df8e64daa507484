// Builds xs-sim-runner (runner.c): the XS engine from the sources @agoric/xsnap ships, the
// device's DTLS glue (native/xs_dtls.c, native/xs_dtls_engine.c with the engine) and Debian's
// mbedTLS, in one executable. Built on first use into .tmp/xs-sim-runner/<hash of inputs>/,
// so a changed source or flag gives a new build and concurrent builders never share a file.
//
// XS is compiled as a board build compiles it (-O3, no debugger, no metering), not as
// @agoric/xsnap compiles its worker (mxDebug and mxMetering on: breakpoint checks and a meter
// count on every instruction), because this runner is what the XS / Node benchmark measures.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const xsnapPackage = join(root, "node_modules/@agoric/xsnap");
const xs = join(xsnapPackage, "moddable/xs");
const xsnapSources = join(xsnapPackage, "xsnap-native/xsnap/sources");

/**
 * The TextEncoder xsnap-worker installs too. A board's XS converts ASCII natively through
 * ArrayBuffer.fromString, which xsnap's CESU-8 build lacks; src/bytes/text.ts takes either.
 */
const TEXT_ENCODER = join(xsnapPackage, "moddable/modules/data/text/encoder/textencoder.c");
/** The XS engine's translation units (xsnap-worker.mk's list, without the worker and the text/base64 modules). */
const XS_UNITS = ["xsAll", "xsAPI", "xsArguments", "xsArray", "xsAtomics", "xsBigInt", "xsBoolean", "xsCode", "xsCommon",
  "xsDataView", "xsDate", "xsDebug", "xsDefaults", "xsError", "xsFunction", "xsGenerator", "xsGlobal", "xsJSON", "xsLexical",
  "xsLockdown", "xsMapSet", "xsMarshall", "xsMath", "xsMemory", "xsModule", "xsNumber", "xsObject", "xsPlatforms", "xsProfile",
  "xsPromise", "xsProperty", "xsProxy", "xsRegExp", "xsRun", "xsScope", "xsScript", "xsSnapshot", "xsSourceMap", "xsString",
  "xsSymbol", "xsSyntaxical", "xsTree", "xsType", "xsdtoa", "xsre", "xsmc"].map((u) => join(xs, "sources", `${u}.c`))
  .concat(join(xsnapSources, "xsnapPlatform.c"), TEXT_ENCODER);
const OUR_UNITS = ["host-sim/xs/in-process/runner.c", "host-sim/xs/in-process/runner-meter.c", "native/xs_dtls.c", "native/xs_dtls_engine.c", "native/hwrandom.c"]
  .map((u) => join(root, u));
/** xs.h's view of the machine must be the engine's: every unit gets the same defines. */
const DEFINES = ["-DINCLUDE_XSPLATFORM", '-DXSPLATFORM="xsnapPlatform.h"', "-DmxParse=1", "-DmxRun=1", "-DmxSloppy=1",
  "-DmxBoundsCheck=1", "-DmxSnapshot=1", "-DmxNoConsole=1", "-DmxMinusZero=1"];
const FLAGS = ["-O3", "-std=gnu99", "-fno-common", "-w"];
const LIBS = ["-lmbedtls", "-lmbedx509", "-lmbedcrypto", "-ldl", "-lm", "-lpthread"];

/**
 * "measured": what the benchmark measures. "profiling": with XS's sampling profiler
 * (startProfiling/stopProfiling; costs a clock check per call). "metering": with XS's
 * instruction meter (meterNow(); costs an increment per instruction), for counting where the
 * work goes (bench/xs/meter-in-process.ts). Only "measured" is ever timed.
 */
export type RunnerVariant = "measured" | "profiling" | "metering";

const VARIANT_DEFINES: Record<RunnerVariant, readonly string[]> = {
  measured: DEFINES,
  profiling: [...DEFINES, "-DmxProfile=1", "-DmxDebug=1"],
  metering: [...DEFINES, "-DmxMetering=1"],
};

const building = new Map<RunnerVariant, Promise<string>>();

/** Path of the runner, built if this tree's sources have no build of that variant yet. */
export function xsSimRunner(variant: RunnerVariant = "measured"): Promise<string> {
  let b = building.get(variant);
  if (b === undefined) building.set(variant, (b = build(VARIANT_DEFINES[variant])));
  return b;
}

async function build(DEFINES: readonly string[]): Promise<string> {
  if (!existsSync(join(xs, "sources/xsAll.c"))) throw new Error(`no XS sources at ${xs}: run npm ci (it installs @agoric/xsnap)`);
  const hash = createHash("sha256");
  for (const f of [...XS_UNITS, ...OUR_UNITS, join(root, "host-sim/xs/in-process/xs-dtls-natives.h")]) hash.update(readFileSync(f));
  hash.update(JSON.stringify([DEFINES, FLAGS, LIBS]));
  const key = hash.digest("hex").slice(0, 16);
  const dir = join(root, ".tmp/xs-sim-runner", key);
  const runner = join(dir, "xs-sim-runner");
  if (existsSync(runner)) return runner;
  const work = `${dir}.${process.pid}.tmp`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // mcconfig's mc.xs.h makes each xsID_<name> a constant of the preloaded archive; here the
  // runner looks the ids up once at start-up (runner.c, runnerIds) and the glue reads them.
  writeFileSync(join(work, "mc.xs.h"), "extern xsIdentifier xsSimRunnerIdUint8Array;\n#define xsID_Uint8Array xsSimRunnerIdUint8Array\n");
  const include = [work, join(root, "native/ci-stubs"), join(xs, "includes"), join(xs, "platforms"), join(xs, "sources"),
    xsnapSources, join(root, "native"), join(root, "host-sim/xs/in-process")].map((d) => `-I${d}`);
  const units = [...XS_UNITS, ...OUR_UNITS];
  const objects = units.map((_, i) => join(work, `${i}.o`));
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < units.length; i = next++) {
      await run("gcc", ["-c", ...FLAGS, ...DEFINES, ...include, units[i]!, "-o", objects[i]!], { maxBuffer: 1 << 24 });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, cpus().length) }, worker));
  await run("gcc", ["-o", join(work, "xs-sim-runner"), ...objects, ...LIBS]);
  mkdirSync(join(root, ".tmp/xs-sim-runner"), { recursive: true });
  try {
    renameSync(work, dir);
  } catch (error) {
    // Another process finished the same build first: use its copy.
    rmSync(work, { recursive: true, force: true });
    if (!existsSync(runner)) throw error;
  }
  return runner;
}
