// The firmware on XS against the firmware on Node, measured in the same run:
//   1. sequential CON GETs per second between two simulated nodes (src/app.ts: shell + CoAPS
//      agent + DTLS-PSK session), on the simulator's virtual clock (so only engine time
//      counts); the client types `coaps get test-resource con` and waits for the response
//      line, like a user would. Three contenders, interleaved in rounds:
//        node     the simulation and both nodes on Node (V8), DTLS through the N-API engine;
//        xs       the same simulation, simulator and both nodes, inside one XS machine
//                 (host-sim/xs/in-process/: XS built as a board builds it, DTLS through the
//                 device's own xsmc glue linked in, as on a board). Engine against engine:
//                 the target's measure;
//        xs-lane  each node in its own xsnap-worker (`--engine xs`), its natives served by
//                 the Node simulator over issueCommand: 7 process round trips per GET, which
//                 cost more than the interpretation itself (docs/xs-lane.md). A side figure.
//      Side figure, the same comparison without the simulator: the firmware alone, two nodes on
//      the thinnest platform that runs them (bench/xs/bare-pair.ts), on Node and inside one XS
//      machine (bare-entry.ts). It says how much of the gap is the simulator's (run on XS in
//      the headline's xs contender) and how much the firmware's own.
//   2. the XS heap high-water mark of the server while connected and serving (xs-lane, whose
//      worker takes heap snapshots): live slots and chunks after a collection, sampled along
//      the run, minus the machine with the firmware's modules loaded (on the device they are
//      preloaded into flash), converted to a 32-bit MCU (16-byte slots; the host has 32).
//   3. the GETs/s comparison again over real loopback UDP on real time (the simulator's --real
//      mode, like bench/agent): socket IO and the event loop cost both engines alike there.
// The headline is (1), the figure hardest to meet: the xs / node ratio taken per interleaved
// round on virtual time, where only engine time counts.
// Targets: XS >= 0.2x Node on virtual time; heap of shell + agent + one session <= 48 KB.
// Run: node --expose-gc --import tsx bench/xs/gets.bench.ts   (XS_BENCH_GETS: GETs per engine and round)
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createSim, type Sim } from "../../host-sim/harness.js";
import { openRealUdp, type RealUdp } from "../../host-sim/real-udp.js";
import { formatHeap, heapDelta, mcuBytes, type XsHeapUse } from "../../host-sim/xs/heap.js";
import { napiDtlsBinding } from "../../host-sim/dtls-napi.js";
import { InProcessXsSim, inProcessBundle } from "../../host-sim/xs/in-process/machine.js";
import type { InProcessRequest } from "../../host-sim/xs/in-process/protocol.js";
import { type EngineName, loadFirmwareModule, type RunningNode, runtimeFor } from "../../host-sim/xs/runtime.js";
import { type Figure, interleave, type Spread, ratios, report, spread, verdict } from "../harness.js";
import { freePort } from "../net.js";
import { connectedBarePair } from "./bare-pair.js";
import { responseCounter } from "./responses.js";

const PER_ROUND = Number(process.env["XS_BENCH_GETS"] ?? 500);
const HEAP_TARGET_BYTES = 48 * 1024;
const S = "fdde:ad00:beef:0:9903:14b:27e0:5744", C = "fdde:ad00:beef:0:9e68:576f:714c:f395";
const firmware = await loadFirmwareModule();

interface Pair { sim: Sim; nodes: Map<number, RunningNode>; gets(n: number, sample?: () => void): number }

async function connectedPair(engine: EngineName): Promise<Pair> {
  const runtime = runtimeFor(firmware, engine);
  const nodes = new Map<number, RunningNode>();
  const sim = await createSim({
    seed: 3, nodes: [{ id: 1, addresses: [S] }, { id: 2, addresses: [C] }], firmware: "none",
    starterFor: (id) => ({ start: (platform, options, name) => { const r = runtime.start(platform, options, name); nodes.set(id, r); return r; } }),
  });
  const [s, c] = [sim.console(1), sim.console(2)];
  for (const line of ["coaps psk secretPSK id1", "coaps start", "coaps resource test-resource", "coaps set Hello"]) { s.send(line); s.expect("Done\r\n", 10); }
  for (const line of ["coaps psk secretPSK id1", "coaps start", `coaps connect ${S}`]) { c.send(line); c.expect("Done\r\n", 10); }
  c.expect("coaps connected\r\n", 5000);
  const responses = responseCounter(sim.node(2).wire);
  return {
    sim, nodes,
    gets(n, sample) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const before = responses.count;
        c.send("coaps get test-resource con");
        if (!sim.runUntil(() => responses.count > before, 10_000)) throw new Error(`${engine}: GET ${i} got no response:\n${c.transcript().slice(-300)}`);
        if (sample !== undefined && i % 100 === 99) sample();
      }
      return n / ((performance.now() - t0) / 1000);
    },
  };
}

/** The same pair and set-up, the whole simulation inside one XS machine. */
async function inProcessPair(): Promise<{ xs: InProcessXsSim; gets(n: number): Promise<number> }> {
  const xs = await InProcessXsSim.open();
  await xs.call({ op: "start", seed: 3, nodes: [{ id: 1, addresses: [S] }, { id: 2, addresses: [C] }] });
  const typed = async (node: number, line: string) => {
    await xs.call({ op: "send", node, line });
    await xs.call({ op: "expect", node, text: "Done\r\n", withinMs: 10 });
  };
  for (const line of ["coaps psk secretPSK id1", "coaps start", "coaps resource test-resource", "coaps set Hello"]) await typed(1, line);
  for (const line of ["coaps psk secretPSK id1", "coaps start", `coaps connect ${S}`]) await typed(2, line);
  await xs.call({ op: "expect", node: 2, text: "coaps connected\r\n", withinMs: 5000 });
  return {
    xs,
    async gets(n) {
      const t0 = performance.now();
      const seen = await xs.call<number>({ op: "repeat", node: 2, line: "coaps get test-resource con", marker: "coaps response from", count: n, withinMs: 10_000 });
      const rate = n / ((performance.now() - t0) / 1000);
      if (seen !== n) throw new Error(`xs: ${seen} responses to ${n} GETs`);
      return rate;
    },
  };
}

/** The firmware alone (bare-pair.ts), on Node and in one XS machine; GETs/s timed by each engine itself. */
async function barePairs(): Promise<{ node(n: number): number; xs(n: number): Promise<number>; close(): Promise<unknown> }> {
  const node = connectedBarePair(napiDtlsBinding);
  const machine = await InProcessXsSim.open({ bundle: inProcessBundle(fileURLToPath(new URL("./bare-entry.ts", import.meta.url))) });
  return {
    node(n) { const t0 = performance.now(); node.gets(n); return n / ((performance.now() - t0) / 1000); },
    async xs(n) { return n / ((await machine.call<number>({ op: "gets", count: n } as unknown as InProcessRequest)) / 1000); },
    close: () => machine.close(),
  };
}

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
/** utime + stime of a process from /proc, in ms (clock ticks of 10 ms). */
const workerCpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "latin1").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
/** The same pair over real loopback sockets on real time (the simulator's --real mode). */
async function realPair(engine: EngineName): Promise<{ gets(n: number): Promise<number>; close(): void }> {
  const runtime = runtimeFor(firmware, engine);
  const udps = new Map<number, RealUdp>();
  const sim = await createSim({ seed: 3, realTime: true, firmware: "none", starterFor: () => runtime, udpFor: (id) => udps.get(id)!.udp });
  const ports = [await freePort(), await freePort()];
  for (const id of [1, 2]) {
    udps.set(id, await openRealUdp({ reserve: [5684], portMap: (p) => (p === 5684 ? ports[id - 1]! : p), inject: (fn) => sim.realTime!.inject(fn) }));
  }
  const close = () => { sim.close(); for (const u of udps.values()) u.close(); };
  try {
    const [s, c] = [sim.addNode(1).console, sim.addNode(2).console];
    const responses = responseCounter(sim.node(2).wire);
    const run = async (con: typeof s, line: string) => { con.send(line); await con.waitFor("Done\r\n", 2000); };
    for (const line of ["coaps psk secretPSK id1", "coaps start", "coaps resource test-resource", "coaps set Hello"]) await run(s, line);
    for (const line of ["coaps psk secretPSK id1", "coaps start", `coaps connect ::1 ${ports[0]}`]) await run(c, line);
    await c.waitFor("coaps connected\r\n", 5000);
    return {
      async gets(n) {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          const response = responses.next(5000);
          c.send("coaps get test-resource con");
          await response;
        }
        return n / ((performance.now() - t0) / 1000);
      },
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}


const onNode = await connectedPair("node");
const onXs = await connectedPair("xs");
const inXs = await inProcessPair();
const bare = await barePairs();
const server = onXs.nodes.get(1)!.xs!, client = onXs.nodes.get(2)!.xs!;
let peak: XsHeapUse = { slots: 0, chunkBytes: 0 };
let peakClient: XsHeapUse = { slots: 0, chunkBytes: 0 };
const sample = () => {
  const s = server.heapUse(), c = client.heapUse();
  const ds = heapDelta(s.now, s.baseline), dc = heapDelta(c.now, c.baseline);
  if (mcuBytes(ds) > mcuBytes(peak)) peak = ds;
  if (mcuBytes(dc) > mcuBytes(peakClient)) peakClient = dc;
};
const figures: Figure[] = [];
const notes: string[] = [];
let virtualRatio: Spread | undefined;
try {
  sample(); // connected, before any request
  // Warm-up: V8's JIT needs a few thousand GETs to reach the Node pair's steady rate.
  onNode.gets(4000);
  onXs.gets(300);
  await inXs.gets(1000);
  bare.node(4000);
  await bare.xs(1000);
  // CPU time per round too (this process, plus both xsnap workers for XS): less sensitive to
  // the machine's load than wall time, though /proc counts workers in 10 ms ticks.
  const nodeCpu: number[] = [], xsCpu: number[] = [], laneCpu: number[] = [];
  const r = await interleave([
    { name: "node", run: () => { const c0 = cpuMs(); const v = onNode.gets(PER_ROUND); nodeCpu.push((cpuMs() - c0) / PER_ROUND); return v; } },
    { name: "xs", run: async () => {
      const cpu = () => cpuMs() + workerCpuMs(inXs.xs.pid);
      const c0 = cpu();
      const v = await inXs.gets(PER_ROUND);
      xsCpu.push((cpu() - c0) / PER_ROUND);
      return v;
    } },
    { name: "xs-lane", run: () => {
      const cpu = () => cpuMs() + workerCpuMs(server.pid) + workerCpuMs(client.pid);
      const c0 = cpu();
      const v = onXs.gets(PER_ROUND);
      laneCpu.push((cpu() - c0) / PER_ROUND);
      return v;
    } },
    { name: "bare-node", run: () => bare.node(PER_ROUND) },
    { name: "bare-xs", run: () => bare.xs(PER_ROUND) },
  ], { rounds: 15 });
  // The warm-up round's CPU figures are dropped like its rates.
  nodeCpu.splice(0, nodeCpu.length - r.get("node")!.length);
  xsCpu.splice(0, xsCpu.length - r.get("xs")!.length);
  laneCpu.splice(0, laneCpu.length - r.get("xs-lane")!.length);
  onXs.gets(300, sample); // heap sampled in a round of its own: snapshots would slow the timed rounds
  virtualRatio = spread(ratios(r.get("xs")!, r.get("node")!));
  figures.push(
    { name: "virtual time: the simulation and both nodes on Node", unit: "GETs/s", value: spread(r.get("node")!) },
    { name: "virtual time: the simulation and both nodes in one XS machine (device DTLS glue in-process)", unit: "GETs/s", value: spread(r.get("xs")!) },
    { name: "virtual time: each node in its own xsnap-worker (natives over issueCommand)", unit: "GETs/s", value: spread(r.get("xs-lane")!) },
    { name: "virtual time: xsnap-worker per node / Node (not the target's measure: 7 process round trips a GET)", unit: "×", value: spread(ratios(r.get("xs-lane")!, r.get("node")!)) },
  );
  figures.push(
    { name: "the firmware alone (bare-pair.ts, no simulator): both nodes on Node", unit: "GETs/s", value: spread(r.get("bare-node")!) },
    { name: "the firmware alone (bare-pair.ts, no simulator): both nodes in one XS machine", unit: "GETs/s", value: spread(r.get("bare-xs")!) },
    { name: "the firmware alone: XS / Node (side figure: the simulator's share left out)", unit: "×", value: spread(ratios(r.get("bare-xs")!, r.get("bare-node")!)) },
  );
  figures.push(
    { name: "virtual time: CPU per GET, on Node", unit: "ms", value: spread(nodeCpu) },
    { name: "virtual time: CPU per GET, in one XS machine (this process + the runner)", unit: "ms", value: spread(xsCpu) },
    { name: "virtual time: CPU per GET, xsnap-worker per node (this process + both workers)", unit: "ms", value: spread(laneCpu) },
    { name: "virtual time: XS / Node in GETs per CPU second, one XS machine (not the target's measure)", unit: "×", value: spread(ratios(nodeCpu, xsCpu)) },
  );
  const base = server.heapUse().baseline;
  notes.push(`XS heap, live after a collection beyond the loaded firmware: server ${formatHeap(peak)}, client ${formatHeap(peakClient)}; ` +
    `loaded firmware + builtins ${formatHeap(base)}; meter high-water server ${server.peakHeapCount}, client ${client.peakHeapCount} slots`);
} finally {
  onNode.sim.close();
  onXs.sim.close();
  await inXs.xs.close();
  await bare.close();
}

// The same comparison over real loopback UDP (real time): socket IO costs both engines alike.
const realNode = await realPair("node"), realXs = await realPair("xs");
try {
  await realNode.gets(50);
  await realXs.gets(50);
  const r = await interleave([
    { name: "node", run: () => realNode.gets(60) },
    { name: "xs", run: () => realXs.gets(60) },
  ], { rounds: 9 });
  const realRatio = spread(ratios(r.get("xs")!, r.get("node")!));
  figures.push(
    { name: "real loopback UDP (--real mode): both nodes on Node", unit: "GETs/s", value: spread(r.get("node")!) },
    { name: "real loopback UDP (--real mode): both nodes on XS", unit: "GETs/s", value: spread(r.get("xs")!) },
    { name: "real loopback UDP: XS / Node (not the target's measure)", unit: "×", value: realRatio },
  );
} finally {
  realNode.close();
  realXs.close();
}
const heapKb = mcuBytes(peak) / 1024;
report({
  id: "xs",
  title: `The firmware on XS vs on Node: sequential CON GETs/s between two simulated nodes (${PER_ROUND} GETs per round)`,
  figures: [...figures, { name: "XS heap of a connected, serving node on a 32-bit MCU", unit: "KB", value: spread([heapKb]) }],
  notes,
  verdicts: [
    verdict("XS / Node GETs on virtual time", virtualRatio!, ">=", 0.2),
    verdict("XS server heap (32-bit MCU)", spread([heapKb]), "<=", HEAP_TARGET_BYTES / 1024, " KB"),
  ],
});
