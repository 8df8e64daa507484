// The firmware on XS against the firmware on Node, measured in the same run:
//   1. sequential CON GETs per second between two simulated nodes (src/app.ts: shell + CoAPS
//      agent + DTLS-PSK session through the N-API engine), both nodes on XS vs both on Node,
//      on the simulator's virtual clock (so only engine time counts); the client types
//      `coaps get test-resource con` and waits for the response line, like a user would;
//   2. the XS heap high-water mark of the server while connected and serving: live slots and
//      chunks after a collection (heap snapshot), sampled along the run, minus the machine
//      with the firmware's modules loaded (on the device they are preloaded into flash),
//      converted to a 32-bit MCU (16-byte slots; the host worker has 32-byte slots).
//   3. the GETs/s comparison again over real loopback UDP on real time (the simulator's --real
//      mode, like bench/agent): socket IO and the event loop cost both engines alike there.
// Targets (issue 6): XS >= 0.2x Node throughput; heap of shell + agent + one session <= 48 KB.
// Run: npx tsx bench/xs/gets.bench.ts   (XS_BENCH_GETS sets the timed GETs per engine, default 700)
import { readFileSync } from "node:fs";
import { createSim, type Sim } from "../../host-sim/harness.js";
import { openRealUdp, type RealUdp } from "../../host-sim/real-udp.js";
import { freeUdpPort } from "../../test/interop/peers.js";
import { formatHeap, heapDelta, mcuBytes, type XsHeapUse } from "../../host-sim/xs/heap.js";
import { type EngineName, loadFirmwareModule, type RunningNode, runtimeFor } from "../../host-sim/xs/runtime.js";

const GETS = Number(process.env["XS_BENCH_GETS"] ?? 700);
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
  let seen = c.transcript().length;
  return {
    sim, nodes,
    gets(n, sample) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        c.send("coaps get test-resource con");
        const found = () => c.transcript().indexOf("coaps response from", seen);
        if (!sim.runUntil(() => found() >= 0, 10_000)) throw new Error(`${engine}: GET ${i} got no response:\n${c.transcript().slice(-300)}`);
        seen = found() + 1;
        if (sample !== undefined && i % 100 === 99) sample();
      }
      return n / ((performance.now() - t0) / 1000);
    },
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
  const ports = [await freeUdpPort(), await freeUdpPort()];
  for (const id of [1, 2]) {
    udps.set(id, await openRealUdp({ reserve: [5684], portMap: (p) => (p === 5684 ? ports[id - 1]! : p), inject: (fn) => sim.realTime!.inject(fn) }));
  }
  const close = () => { sim.close(); for (const u of udps.values()) u.close(); };
  try {
    const [s, c] = [sim.addNode(1).console, sim.addNode(2).console];
    const run = async (con: typeof s, line: string) => { con.send(line); await con.waitFor("Done\r\n", 2000); };
    for (const line of ["coaps psk secretPSK id1", "coaps start", "coaps resource test-resource", "coaps set Hello"]) await run(s, line);
    for (const line of ["coaps psk secretPSK id1", "coaps start", `coaps connect ::1 ${ports[0]}`]) await run(c, line);
    await c.waitFor("coaps connected\r\n", 5000);
    return {
      async gets(n) {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) { c.send("coaps get test-resource con"); await c.waitFor("coaps response from", 5000); }
        return n / ((performance.now() - t0) / 1000);
      },
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const onNode = await connectedPair("node");
const onXs = await connectedPair("xs");
const server = onXs.nodes.get(1)!.xs!, client = onXs.nodes.get(2)!.xs!;
let peak: XsHeapUse = { slots: 0, chunkBytes: 0 };
let peakClient: XsHeapUse = { slots: 0, chunkBytes: 0 };
const sample = () => {
  const s = server.heapUse(), c = client.heapUse();
  const ds = heapDelta(s.now, s.baseline), dc = heapDelta(c.now, c.baseline);
  if (mcuBytes(ds) > mcuBytes(peak)) peak = ds;
  if (mcuBytes(dc) > mcuBytes(peakClient)) peakClient = dc;
};
try {
  sample(); // connected, before any request
  onNode.gets(100);
  onXs.gets(100);
  // Rounds alternate engines, and the ratio is taken per round: the machine's load drifts, and
  // the XS lane (two processes per node pair, a context switch per native) feels it more.
  const rounds = 7, per = Math.ceil(GETS / rounds);
  const nodeRounds: number[] = [], xsRounds: number[] = [], ratios: number[] = [];
  let nodeCpu = 0, xsCpu = 0;
  for (let round = 0; round < rounds; round++) {
    let c0 = cpuMs();
    const n = onNode.gets(per);
    nodeCpu += cpuMs() - c0;
    c0 = cpuMs() + workerCpuMs(server.pid) + workerCpuMs(client.pid);
    const x = onXs.gets(per);
    xsCpu += cpuMs() + workerCpuMs(server.pid) + workerCpuMs(client.pid) - c0;
    nodeRounds.push(n); xsRounds.push(x); ratios.push(x / n);
  }
  onXs.gets(300, sample); // heap sampled in a round of its own: snapshots would slow the timed rounds
  const node = median(nodeRounds), xs = median(xsRounds), ratio = median(ratios);
  const base = server.heapUse().baseline;
  console.log("Sequential CON GETs in one DTLS-PSK session, two simulated nodes, shell + agent + DTLS (virtual time):");
  console.log(`  both nodes on Node: ${node.toFixed(0)} GETs/s`);
  console.log(`  both nodes on XS (xsnap-worker, natives over issueCommand): ${xs.toFixed(0)} GETs/s`);
  console.log(`  XS / Node = ${ratio.toFixed(2)}x, median of ${rounds} paired rounds (target >= 0.2x: ${ratio >= 0.2 ? "met" : "MISSED"})`);
  console.log(`  CPU per GET (all processes): Node ${(nodeCpu / (rounds * per)).toFixed(2)} ms, XS ${(xsCpu / (rounds * per)).toFixed(2)} ms` +
    ` (CPU ratio ${(nodeCpu / xsCpu).toFixed(2)}x; wall time also pays a context switch per native)`);
  console.log("XS heap, live after a collection, beyond the loaded firmware (preloaded into flash on a device):");
  console.log(`  server, connected and serving, high-water: ${formatHeap(peak)}`);
  console.log(`  client, connected and requesting, high-water: ${formatHeap(peakClient)}`);
  console.log(`  loaded firmware + XS builtins (flash on a device): ${formatHeap(base)}`);
  console.log(`  XS meter high-water (uncollected garbage included): server ${server.peakHeapCount} slots, client ${client.peakHeapCount} slots`);
  const ok = mcuBytes(peak) <= HEAP_TARGET_BYTES;
  console.log(`  server heap on a 32-bit MCU: ${kb(mcuBytes(peak))} (target <= 48 KB for shell + agent + one session: ${ok ? "met" : "MISSED"})`);
} finally {
  onNode.sim.close();
  onXs.sim.close();
}

// The same comparison over real loopback UDP (real time): socket IO costs both engines alike.
const realNode = await realPair("node"), realXs = await realPair("xs");
try {
  await realNode.gets(50);
  await realXs.gets(50);
  const ratios: number[] = [], nodeRates: number[] = [], xsRates: number[] = [];
  for (let round = 0; round < 5; round++) {
    const n = await realNode.gets(60), x = await realXs.gets(60);
    nodeRates.push(n); xsRates.push(x); ratios.push(x / n);
  }
  const ratio = median(ratios);
  console.log("The same over real loopback UDP sockets (real time, --real mode):");
  console.log(`  both nodes on Node: ${median(nodeRates).toFixed(0)} GETs/s; both on XS: ${median(xsRates).toFixed(0)} GETs/s`);
  console.log(`  XS / Node = ${ratio.toFixed(2)}x, median of 5 paired rounds (target >= 0.2x: ${ratio >= 0.2 ? "met" : "MISSED"})`);
} finally {
  realNode.close();
  realXs.close();
}
