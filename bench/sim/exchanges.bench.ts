// Simulator scaling: P node pairs, each doing 200 request/response exchanges on virtual time.
//   plain:  raw datagrams through the platform UdpFactory on one SimNetwork (1 ms links)
//   coaps:  the real firmware on every node (src/app.ts: shell + CoAPS agent + N-API DTLS);
//           each client types `coaps get r` 200 times after a PSK handshake
// Printed: wall time per size, time per pair relative to 5 pairs (1.0 = perfectly linear), and
// the named peer measured in the same run: the same plain exchanges over real Node dgram sockets
// on loopback. Target (issue 4): 50 pairs x 200 exchanges under 10 s, growing linearly.
// Run: npx tsx bench/sim/exchanges.bench.ts [--quick]
import { createSocket, type Socket } from "node:dgram";
import { VirtualClock } from "../../host-sim/virtual-clock.js";
import { SimNetwork } from "../../host-sim/sim-network.js";
import { simUdpFactory } from "../../host-sim/sim-udp.js";
import { createSim } from "../../host-sim/harness.js";
import { defaultNodeAddress } from "../../host-sim/ipv6.js";

const EXCHANGES = 200;
const quick = process.argv.includes("--quick");
const SIZES = quick ? [5, 10] : [5, 10, 20, 50];

function plainSim(pairs: number): number {
  const t0 = performance.now();
  const clock = new VirtualClock();
  const net = new SimNetwork({ clock, seed: 1, link: { delayMs: 1 } });
  let done = 0;
  for (let p = 0; p < pairs; p++) {
    const c = net.addNode(2 * p + 1), s = net.addNode(2 * p + 2);
    const server = simUdpFactory(s)({ port: 5683, onReadable: () => {
      for (let d = server.read(); d; d = server.read()) server.write(d.bytes, d.address, d.port);
    } });
    let count = 0;
    const request = new Uint8Array(32);
    const client = simUdpFactory(c)({ port: 0, onReadable: () => {
      for (let d = client.read(); d; d = client.read()) {
        if (++count < EXCHANGES) client.write(request, s.address, 5683); else done++;
      }
    } });
    client.write(request, s.address, 5683);
  }
  clock.runUntil(() => done === pairs, 3_600_000);
  if (done !== pairs) throw new Error(`plain: only ${done}/${pairs} pairs finished`);
  return performance.now() - t0;
}

async function plainLoopback(pairs: number): Promise<number> {
  const t0 = performance.now();
  const sockets: Socket[] = [];
  const bound = (s: Socket) => new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
  const finished: Promise<void>[] = [];
  for (let p = 0; p < pairs; p++) {
    const server = createSocket("udp4"), client = createSocket("udp4");
    sockets.push(server, client);
    await bound(server); await bound(client);
    server.on("message", (m, r) => server.send(m, r.port, r.address));
    const port = server.address().port;
    const request = Buffer.alloc(32);
    finished.push(new Promise<void>((resolve) => {
      let count = 0;
      client.on("message", () => { if (++count < EXCHANGES) client.send(request, port, "127.0.0.1"); else resolve(); });
    }));
    client.send(request, port, "127.0.0.1");
  }
  await Promise.all(finished);
  for (const s of sockets) s.close();
  return performance.now() - t0;
}

async function coapsSim(pairs: number): Promise<number> {
  const t0 = performance.now();
  const sim = await createSim({ seed: 1, link: { delayMs: 1 } });
  const clients: number[] = [];
  for (let p = 0; p < pairs; p++) {
    const c = 2 * p + 1, s = 2 * p + 2;
    sim.addNode(c); sim.addNode(s);
    for (const line of ["coaps psk key id", "coaps start", "coaps resource r"]) sim.console(s).send(line);
    for (const line of ["coaps psk key id", "coaps start", `coaps connect ${defaultNodeAddress(s)}`]) sim.console(c).send(line);
    clients.push(c);
  }
  sim.advance(100);
  for (const c of clients) sim.console(c).expect("coaps connected\r\n");
  for (let i = 0; i < EXCHANGES; i++) {
    for (const c of clients) sim.console(c).send("coaps get r");
    sim.advance(5);
  }
  for (const c of clients) {
    const n = (sim.console(c).transcript().match(/coaps response from/g) ?? []).length;
    if (n !== EXCHANGES) throw new Error(`coaps: node ${c} got ${n}/${EXCHANGES} responses`);
  }
  sim.close();
  return performance.now() - t0;
}

function row(label: string, pairs: number, ms: number, base: number | undefined): string {
  const perPair = ms / pairs;
  const growth = base === undefined ? 1 : perPair / base;
  return `${label.padEnd(8)} ${String(pairs).padStart(5)} pairs  ${ms.toFixed(0).padStart(7)} ms  ` +
    `${(perPair).toFixed(2).padStart(8)} ms/pair  per-pair vs 5 pairs: ${growth.toFixed(2)}`;
}

async function best(runs: number, f: () => number | Promise<number>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, await f());
  return min;
}

async function main(): Promise<void> {
  // Warm-up, so the JIT does not make the first size look slow (the runs then take the best of 3).
  plainSim(20);
  await coapsSim(5);
  console.log(`${EXCHANGES} request/response exchanges per pair\n`);
  let base: number | undefined;
  const plain: Record<number, number> = {};
  for (const p of SIZES) { const ms = await best(5, () => plainSim(p)); plain[p] = ms; base ??= ms / p; console.log(row("plain", p, ms, base)); }
  const peer = await best(3, () => plainLoopback(5));
  console.log(`\nnamed peer: Node dgram on loopback, 5 pairs: ${peer.toFixed(0)} ms; simulator/loopback = ${(plain[5]! / peer).toFixed(2)}\n`);
  base = undefined;
  let largest = 0;
  for (const p of SIZES) { const ms = await best(p >= 50 ? 1 : 2, () => coapsSim(p)); base ??= ms / p; largest = ms; console.log(row("coaps", p, ms, base)); }
  const top = SIZES[SIZES.length - 1]!;
  console.log(`\ntarget: ${top} pairs of CoAPS in ${(largest / 1000).toFixed(2)} s (target < 10 s for 50 pairs)`);
}

main().catch((error: Error) => { console.error(error.stack ?? error.message); process.exit(1); });
