// A whole simulation inside one XS machine (host-sim/xs/in-process/): the simulator and both
// nodes' firmware interpreted by XS, DTLS through the device's own xsmc glue
// (native/xs_dtls.c) linked into the runner. It must print, byte for byte, what the same
// simulation prints on Node with the N-API engine; it must survive a bad request; and it
// must free every engine (valgrind).
import test from "ava";
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { createSim } from "../../host-sim/harness.js";
import { xsSimRunner } from "../../host-sim/xs/in-process/build.js";
import { InProcessXsSim, inProcessBundle } from "../../host-sim/xs/in-process/machine.js";
import type { InProcessRequest } from "../../host-sim/xs/in-process/protocol.js";

const S = "fdde:ad00:beef:0:9903:14b:27e0:5744", C = "fdde:ad00:beef:0:9e68:576f:714c:f395";
const NODES = [{ id: 1, addresses: [S] }, { id: 2, addresses: [C] }];
type Step = { node: number; line: string } | { wait: number };

const server = (credentials: string[]): Step[] =>
  [...credentials, "coaps start", "coaps resource test-resource", "coaps set Hello"].map((line) => ({ node: 1, line }));
const client = (credentials: string[]): Step[] => [...credentials, "coaps start"].map((line) => ({ node: 2, line }));
const exchange: Step[] = [
  { node: 2, line: "coaps get test-resource con" }, { wait: 100 },
  { node: 2, line: "coaps get test-resource" }, { wait: 100 },
  { node: 2, line: "coaps put test-resource con hello" }, { wait: 100 },
  { node: 2, line: "coaps post test-resource non-con hello" }, { wait: 100 },
  { node: 2, line: "coaps get nothere con" }, { wait: 100 },
  { node: 2, line: "coaps isconnected" },
  { node: 2, line: "coaps disconnect" }, { wait: 3000 },
  { node: 1, line: "coaps isconnected" },
];
const psk = ["coaps psk secretPSK id1"];

const SESSIONS: Record<string, Step[]> = {
  "PSK, connect at t=0": [...server(psk), ...client(psk), { node: 2, line: `coaps connect ${S}` }, { wait: 2000 }, ...exchange],
  // Late: the engines' clocks start long after the nodes did (the bug class of issue 10).
  "PSK, connect at t=20 s": [...server(psk), ...client(psk), { wait: 20_000 }, { node: 2, line: `coaps connect ${S}` }, { wait: 2000 }, ...exchange],
  "X.509 (ECDHE-ECDSA)": [...server(["coaps x509"]), ...client(["coaps x509"]), { node: 2, line: `coaps connect ${S}` }, { wait: 2000 }, ...exchange],
  "a wrong PSK: the handshake fails and the client gives up": [
    ...server(psk), ...client(["coaps psk otherPSK id1"]), { node: 2, line: `coaps connect ${S}` }, { wait: 130_000 },
    { node: 2, line: "coaps isconnactive" }, { node: 1, line: "coaps isconnactive" },
  ],
};

async function onNode(steps: Step[]): Promise<string[]> {
  const sim = await createSim({ seed: 7, nodes: NODES });
  try {
    for (const step of steps) {
      if ("wait" in step) sim.advance(step.wait);
      else sim.console(step.node).send(step.line);
    }
    return [sim.console(1).transcript(), sim.console(2).transcript()];
  } finally {
    sim.close();
  }
}

async function onXs(xs: InProcessXsSim, steps: Step[]): Promise<string[]> {
  await xs.call({ op: "start", seed: 7, nodes: NODES });
  try {
    for (const step of steps) {
      const request: InProcessRequest = "wait" in step ? { op: "advance", ms: step.wait } : { op: "send", ...step };
      await xs.call(request);
    }
    return [await xs.call<string>({ op: "transcript", node: 1 }), await xs.call<string>({ op: "transcript", node: 2 })];
  } finally {
    await xs.call({ op: "stop" });
  }
}

for (const [name, steps] of Object.entries(SESSIONS)) {
  test(`${name}: the simulation on XS prints what it prints on Node`, async (t) => {
    const xs = await InProcessXsSim.open();
    t.teardown(() => xs.close());
    const [expected, actual] = [await onNode(steps), await onXs(xs, steps)];
    t.true(expected[1]!.includes(name.startsWith("a wrong") ? "coaps disconnected" : "coaps response from"), "the reference run did something");
    t.is(actual[0], expected[0], "server console");
    t.is(actual[1], expected[1], "client console");
    t.is(await xs.close(), 0);
  });
}

test("a request the simulation rejects fails that call only; the machine goes on", async (t) => {
  const xs = await InProcessXsSim.open();
  t.teardown(() => xs.close());
  await t.throwsAsync(xs.call({ op: "send", node: 1, line: "coaps start" }), { message: /on XS: Error: no simulation/ });
  await xs.call({ op: "start", seed: 1, nodes: NODES });
  await t.throwsAsync(xs.call({ op: "send", node: 9, line: "help" }), { message: /no node 9/ });
  await t.throwsAsync(xs.call({ op: "expect", node: 1, text: "never printed", withinMs: 50 }), { message: /ExpectTimeout|expected never printed/ });
  await xs.call({ op: "send", node: 1, line: "coaps start" });
  t.is(await xs.call({ op: "expect", node: 1, text: "Done\r\n", withinMs: 0 }), "Done\r\n");
  await t.throwsAsync(xs.call({ op: "profile", start: true }), { message: /no profiler/ });
});

test("every DTLS engine is freed and no memory error occurs (valgrind, session left open at exit)", async (t) => {
  const runner = await xsSimRunner();
  const lines: InProcessRequest[] = [
    { op: "start", seed: 3, nodes: NODES },
    ...[...server(psk), ...client(psk), { node: 2, line: `coaps connect ${S}` }].map((s) => ({ op: "send" as const, ...(s as { node: number; line: string }) })),
    { op: "advance", ms: 2000 },
    { op: "repeat", node: 2, line: "coaps get test-resource con", marker: "coaps response from", count: 20, withinMs: 1000 },
  ];
  const input = join(await import("node:os").then((os) => os.tmpdir()), `xs-sim-valgrind-${process.pid}.txt`);
  writeFileSync(input, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const { stdout } = await promisify(execFile)("sh", ["-c",
    `valgrind --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite -q ${runner} ${inProcessBundle()} < ${input}`],
  { timeout: 120_000, maxBuffer: 1 << 24 });
  const answers = stdout.trim().split("\n");
  t.is(answers.length, lines.length);
  t.true(answers.every((a) => a.startsWith(".")), stdout);
  t.is(answers.at(-1), ".20");
});
