import test from "ava";
import { workerAlive } from "../../host-sim/xs/xsnap-driver.js";
import { XsFirmwareError } from "../../host-sim/xs/xs-node.js";
import type { EngineName } from "../../host-sim/xs/runtime.js";
import { LANE_SCRIPT, LaneRun } from "./helpers/lane-run.js";

function transcripts(engines: { a: EngineName; b: EngineName }): { a: string; b: string; run: LaneRun } {
  const run = new LaneRun();
  try {
    run.add("a", engines.a);
    run.add("b", engines.b);
    for (const [node, line, ms] of LANE_SCRIPT) run.type(node, line, ms);
    return { a: run.nodes.get("a")!.console.transcript, b: run.nodes.get("b")!.console.transcript, run };
  } catch (error) {
    run.close();
    throw error;
  }
}

const onNode = transcripts({ a: "node", b: "node" });
onNode.run.close();

test("the lane firmware prints byte-identical transcripts on XS and on Node", (t) => {
  const onXs = transcripts({ a: "xs", b: "xs" });
  t.teardown(() => onXs.run.close());
  t.is(onXs.a, onNode.a);
  t.is(onXs.b, onNode.b);
  // Guard against two empty transcripts agreeing: each native kind left its mark.
  for (const mark of ["woke at 1250", "rx [b]:5683 \"ping 1\" at 1", "dtls connected None suite=49320",
    "out=[enc(secret-data)]", "error: Error: not connected", "cancelled\r\n",
    // A feed that queued what fitted and then threw: its output shows at once, without another call.
    "error: QueueFull: feed: QueueFull\r\n> dtls connected None suite=49320 deadline=undefined out=[answer] in=[plain(fitted)]"]) t.true(onXs.a.includes(mark), mark);
  t.true(onXs.b.includes("rx [a]:5683 \"pong 1\" at 1"));
});

test("an XS node and a Node node talk to each other in one run", (t) => {
  const mixed = transcripts({ a: "xs", b: "node" });
  t.teardown(() => mixed.run.close());
  t.is(mixed.run.nodes.get("a")!.running.engine, "xs");
  t.is(mixed.run.nodes.get("b")!.running.engine, "node");
  t.is(mixed.a, onNode.a);
  t.is(mixed.b, onNode.b);
});

test("on XS an awaited timer resumes inside that timer's delivery, on virtual time", (t) => {
  const run = new LaneRun();
  t.teardown(() => run.close());
  const a = run.add("a", "xs");
  run.type("a", "chain 3 100", 400);
  t.regex(a.console.transcript, /step 1 at 1100\r\nstep 2 at 1200\r\nstep 3 at 1300\r\n/);
});

test("each XS node reports its heap use at the end of a run", (t) => {
  const run = new LaneRun();
  t.teardown(() => run.close());
  const a = run.add("a", "xs");
  run.type("a", "bind 5683");
  const report = a.running.report() ?? "";
  t.regex(report, /^node a on XS \(pid \d+\): firmware heap \d+ slots \+ -?\d+ chunk bytes/);
  const use = a.running.xs!.heapUse();
  t.true(use.now.slots > use.baseline.slots, "the started firmware holds slots beyond the loaded code");
  t.true(a.running.xs!.peakHeapCount >= use.now.slots);
});

test("an uncaught error inside XS fails with the XS message and stack, and no worker is left", (t) => {
  const run = new LaneRun();
  t.teardown(() => run.close());
  const a = run.add("a", "xs");
  const pid = a.running.xs!.pid;
  const error = t.throws(() => run.type("a", "throw now"), { instanceOf: XsFirmwareError });
  t.is(error?.xsName, "RangeError");
  t.is(error?.xsMessage, "asked to throw now");
  t.regex(error?.message ?? "", /RangeError: asked to throw now\n at run \(#\d+:\d+\)/);
  run.close();
  t.false(workerAlive(pid));
});

test("an unhandled rejection inside XS fails the delivery that caused it", (t) => {
  const run = new LaneRun();
  t.teardown(() => run.close());
  run.add("a", "xs");
  const error = t.throws(() => run.type("a", "reject soon"), { instanceOf: XsFirmwareError });
  t.regex(error?.message ?? "", /asked to reject soon/);
});

test("a throw in a timer callback inside XS surfaces from the clock that fired it", (t) => {
  const run = new LaneRun();
  t.teardown(() => run.close());
  run.add("a", "xs");
  run.type("a", "timer-throw late 50");
  const error = t.throws(() => run.clock.advance(100), { instanceOf: XsFirmwareError });
  t.is(error?.xsName, "TypeError");
  t.is(error?.xsMessage, "timer threw late");
  t.is(run.clock.now(), 1050, "the clock stopped at the failing timer");
});
