// The xsmc DTLS glue when converting an argument runs JS: a valueOf that frees the engine, or
// creates one on the same object, in the middle of the call. Built like xs-glue.test.ts (our
// glue linked with @agoric/xsnap's XS objects) and run under valgrind, so a use after free or
// a leaked engine fails the run.
import test from "ava";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildXsGlueHarness, runGlueScript } from "./xs-glue/build-harness.js";

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
    const harness = await buildXsGlueHarness(dir);
    observed = JSON.parse((await runGlueScript(harness, dir, "reentrant.js"))[0]!) as Observed;
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
