// Scenario directives that change the network mid-run (loss, partition, heal), and the
// examples in host-sim/examples/ that use them, byte for byte.
import test from "ava";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseScenario, runScenario, type ScenarioResult } from "../../host-sim/scenario.js";
import type { DatagramEvent } from "../../host-sim/msc/recorder.js";
import { startCoapsApp as echoFirmware } from "./fixtures/echo-firmware.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const example = (name: string) => readFileSync(`${root}host-sim/examples/${name}`, "utf8");

test("loss, partition and heal parse into network directives", (t) => {
  const nodes = "1\n2\n3\n4\n5\n6\n7\n"; // loss and partition name started nodes only
  t.deepEqual(parseScenario(`loss 1 2 0.25\npartition 1 2 | 3\n  heal  \nloss 3 4 1\npartition 5|6 7\n${nodes}`).filter((d) => d.kind !== "type"), [
    { line: 1, kind: "loss", a: 1, b: 2, p: 0.25 },
    { line: 2, kind: "partition", groups: [[1, 2], [3]] },
    { line: 3, kind: "heal" },
    { line: 4, kind: "loss", a: 3, b: 4, p: 1 },
    { line: 5, kind: "partition", groups: [[5], [6, 7]] },
  ]);
});

test("a bad network directive names the file, the line and what is wrong", (t) => {
  const bad = (line: string) => t.throws(() => parseScenario(`# first\n1 coaps start\n${line}\n`, "net.scenario")).message;
  t.is(bad("loss 1 2"), 'net.scenario:3: loss needs "loss <node> <node> <probability 0..1>", got "1 2"');
  t.is(bad("loss 1 1 0.5"), "net.scenario:3: loss needs two different nodes, got 1 twice");
  t.is(bad("loss 1 2 1.5"), 'net.scenario:3: loss probability must be a number in 0..1, got "1.5"');
  t.is(bad("loss 1 2 -0"), 'net.scenario:3: loss probability must be a number in 0..1, got "-0"');
  t.is(bad("loss 1 2 half"), 'net.scenario:3: loss probability must be a number in 0..1, got "half"');
  t.is(bad("loss 1 33 0"), "net.scenario:3: node 33: node ids are 1-32");
  t.is(bad("partition 1 2"), 'net.scenario:3: partition needs two groups of node ids separated by "|", e.g. "partition 1 2 | 3"');
  t.is(bad("partition 1 | 2 | 3"), 'net.scenario:3: partition needs two groups of node ids separated by "|", e.g. "partition 1 2 | 3"');
  t.is(bad("partition | 2"), 'net.scenario:3: partition needs two groups of node ids separated by "|", e.g. "partition 1 2 | 3"');
  t.is(bad("partition 1 2 | 2"), "net.scenario:3: partition: node 2 is on both sides");
  t.is(bad("partition 1 | x"), "net.scenario:3: node x: node ids are 1-32");
  t.is(bad("heal 1"), 'net.scenario:3: heal takes no arguments, got "1"');
  t.regex(bad("lose 1 2 1"), /^net\.scenario:3: expected "<node> <text>", "wait <ms>", "loss <n> <m> <p>", "partition <ids> \| <ids>", "heal" or "# comment"/);
});

const EXCHANGE = (extra: string) => `2 udp open 9
3 udp open 9
1 udp open 7
${extra}
1 udp send {addr 2} 9 to-two
1 udp send {addr 3} 9 to-three
2 udp send {addr 1} 7 from-two
wait 10
`;

const heard = (out: string | undefined) => (out ?? "").split("\r\n").filter((l) => l.includes("udp from")).map((l) => l.replace(/^> /, ""));

test("partition cuts both ways between the groups only; heal restores it", async (t) => {
  const cut = await runScenario(EXCHANGE("partition 1 | 2"), { firmware: echoFirmware });
  t.deepEqual(heard(cut.consoles.get(2)), []);
  t.deepEqual(heard(cut.consoles.get(1)), []);
  t.deepEqual(heard(cut.consoles.get(3)), ["udp from fdde:ad00:beef:0:0:0:0:1 7: to-three"]);
  const healed = await runScenario(EXCHANGE("partition 1 | 2 3\nheal"), { firmware: echoFirmware });
  t.deepEqual(heard(healed.consoles.get(2)), ["udp from fdde:ad00:beef:0:0:0:0:1 7: to-two"]);
  t.deepEqual(heard(healed.consoles.get(3)), ["udp from fdde:ad00:beef:0:0:0:0:1 7: to-three"]);
  t.deepEqual(heard(healed.consoles.get(1)), ["udp from fdde:ad00:beef:0:0:0:0:2 9: from-two"]);
});

test("a partition also drops what is already in flight on the cut link", async (t) => {
  const r = await runScenario("2 udp open 9\n1 udp open 7\n1 udp send {addr 2} 9 late\nwait 5\npartition 2 | 1\nwait 20\n",
    { firmware: echoFirmware, link: { delayMs: 10 } });
  t.deepEqual(heard(r.consoles.get(2)), []);
});

test("loss applies to the one link, both ways, and outlives heal", async (t) => {
  const r = await runScenario(EXCHANGE("loss 2 1 1"), { firmware: echoFirmware });
  t.deepEqual(heard(r.consoles.get(2)), []);
  t.deepEqual(heard(r.consoles.get(1)), []);
  t.deepEqual(heard(r.consoles.get(3)), ["udp from fdde:ad00:beef:0:0:0:0:1 7: to-three"]);
  const after = await runScenario(EXCHANGE("loss 1 2 1\nheal"), { firmware: echoFirmware });
  t.deepEqual(heard(after.consoles.get(2)), []);
  const lifted = await runScenario(EXCHANGE("loss 1 2 1\nloss 1 2 0"), { firmware: echoFirmware });
  t.deepEqual(heard(lifted.consoles.get(2)), ["udp from fdde:ad00:beef:0:0:0:0:1 7: to-two"]);
});

const PARTITION_OUTPUT =
  "=== node 1 ===\n" +
  "> coaps psk secret123 id1\r\nDone\r\n> coaps start\r\nDone\r\n> coaps resource test-resource\r\nDone\r\n" +
  "> coaps set before\r\nDone\r\n> coaps connected\r\n" +
  "coaps request from fdde:ad00:beef:0:0:0:0:2 GET\r\ncoaps response sent\r\n" +
  "coaps set after\r\nDone\r\n> " +
  "coaps request from fdde:ad00:beef:0:0:0:0:2 GET\r\ncoaps response sent\r\n" +
  "coaps disconnected\r\n\n" +
  "=== node 2 ===\n" +
  "> coaps psk secret123 id1\r\nDone\r\n> coaps start\r\nDone\r\n> coaps connect fdde:ad00:beef:0:0:0:0:1\r\nDone\r\n" +
  "> coaps connected\r\ncoaps get test-resource con\r\nDone\r\n" +
  "> coaps response from fdde:ad00:beef:0:0:0:0:1 with payload: 6265666f7265\r\n" +
  "coaps get test-resource con\r\nDone\r\n" +
  "> coaps receive response error 28: ResponseTimeout\r\n" +
  "coaps get test-resource con\r\nDone\r\n" +
  "> coaps response from fdde:ad00:beef:0:0:0:0:1 with payload: 6166746572\r\n" +
  "coaps disconnect\r\nDone\r\n> coaps disconnected\r\n\n";

/** Five tries of the cut-off GET (the first and four retransmissions, same MID), all dropped by the partition. */
function assertCut(t: import("ava").ExecutionContext, r: ScenarioResult): void {
  const gets = r.chart!.events.filter((e): e is DatagramEvent => e.type === "datagram" && / GET /.test(e.label));
  const cut = gets.filter((e) => e.outcomes.some((o) => o.kind === "dropped" && o.reason === "partition"));
  t.is(cut.length, 5);
  t.true(cut.every((e) => e.label === cut[0]!.label));
  t.deepEqual(gets.map((e) => e.outcomes.map((o) => (o.kind === "dropped" ? o.reason : o.kind)).join()),
    ["delivered", "partition", "partition", "partition", "partition", "partition", "delivered"]);
  t.deepEqual(r.chart!.events.filter((e) => e.type === "network").map((e) => e.type === "network" && e.text), ["partition 1 | 2", "heal"]);
}

test("examples/partition.scenario: the cut link ends the client's CON GET in ResponseTimeout, heal brings answers back", async (t) => {
  const r = await runScenario(example("partition.scenario"), { chart: {} }, "partition.scenario");
  t.is(r.output, PARTITION_OUTPUT);
  assertCut(t, r);
});

test("examples/partition.scenario on the XS engine prints the same", async (t) => {
  const { starterForEngines } = await import("../../host-sim/xs/engine-option.js");
  const r = await runScenario(example("partition.scenario"), { firmware: "none", starterFor: await starterForEngines("xs"), chart: {} }, "partition.scenario");
  t.is(r.output, PARTITION_OUTPUT);
  assertCut(t, r);
});

const RETRANSMIT_OUTPUT =
  "=== node 1 ===\n" +
  "> coaps psk secret123 id1\r\nDone\r\n> coaps start\r\nDone\r\n> coaps resource test-resource\r\nDone\r\n" +
  "> coaps connected\r\n" +
  "coaps request from fdde:ad00:beef:0:0:0:0:2 PUT with payload: 68656c6c6f\r\ncoaps response sent\r\n" +
  "coaps request from fdde:ad00:beef:0:0:0:0:2 GET\r\ncoaps response sent\r\n\n" +
  "=== node 2 ===\n" +
  "> coaps psk secret123 id1\r\nDone\r\n> coaps start\r\nDone\r\n> coaps connect fdde:ad00:beef:0:0:0:0:1\r\nDone\r\n" +
  "> coaps connected\r\ncoaps put test-resource con hello\r\nDone\r\n" +
  "> coaps response from fdde:ad00:beef:0:0:0:0:1\r\n" +
  "coaps get test-resource con\r\nDone\r\n" +
  "> coaps response from fdde:ad00:beef:0:0:0:0:1 with payload: 30\r\n\n";

/** The console cannot show it, the chart does: the first CON PUT is lost, the same message (same MID) is sent again 2-3 s later and delivered. */
function assertRetransmitted(t: import("ava").ExecutionContext, r: ScenarioResult): void {
  const puts = r.chart!.events.filter((e): e is DatagramEvent => e.type === "datagram" && / PUT /.test(e.label));
  t.is(puts.length, 2);
  const [first, second] = puts as [DatagramEvent, DatagramEvent];
  t.regex(first.label, /^CON PUT MID \d+ tok [0-9a-f]{4} \/test-resource · 5 B$/);
  t.is(second.label, first.label);
  t.deepEqual(first.outcomes.map((o) => o.kind === "dropped" ? o.reason : o.kind), ["loss"]);
  t.deepEqual(second.outcomes.map((o) => o.kind), ["delivered"]);
  t.true(second.time - first.time >= 2000 && second.time - first.time <= 3000, `retransmitted after ${second.time - first.time} ms`);
}

test("examples/retransmit.scenario: the lost CON PUT is answered once its retransmission gets through", async (t) => {
  const r = await runScenario(example("retransmit.scenario"), { chart: {} }, "retransmit.scenario");
  t.is(r.output, RETRANSMIT_OUTPUT);
  assertRetransmitted(t, r);
});

test("examples/retransmit.scenario on the XS engine prints the same and charts the same retransmission", async (t) => {
  const { starterForEngines } = await import("../../host-sim/xs/engine-option.js");
  const r = await runScenario(example("retransmit.scenario"), { firmware: "none", starterFor: await starterForEngines("xs"), chart: {} }, "retransmit.scenario");
  t.is(r.output, RETRANSMIT_OUTPUT);
  t.is(r.reports.length, 2);
  assertRetransmitted(t, r);
});
