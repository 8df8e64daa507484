// Simulator scaling: P node pairs, each doing 200 request/response exchanges on virtual time.
//   plain:  raw datagrams through the platform UdpFactory on one SimNetwork (1 ms links)
//   coaps:  the real firmware on every node (src/app.ts: shell + CoAPS agent + N-API DTLS);
//           each client types `coaps get r` 200 times after a PSK handshake
// Printed: wall time per size, time per pair relative to 5 pairs (1.0 = perfectly linear), and
// the named peer measured in the same run: the same plain exchanges over real Node dgram sockets
// on loopback. Target: 50 pairs x 200 exchanges under 10 s, growing linearly.
// Every size of both simulations and the loopback peer run interleaved in rounds (bench/harness.ts).
// Run: node --expose-gc --import tsx bench/sim/exchanges.bench.ts [--quick]
import { createSocket, type Socket } from "node:dgram";
import { VirtualClock } from "../../host-sim/virtual-clock.js";
import { SimNetwork } from "../../host-sim/sim-network.js";
import { simUdpFactory } from "../../host-sim/sim-udp.js";
import { createSim } from "../../host-sim/harness.js";
import { defaultNodeAddress } from "../../host-sim/ipv6.js";
import { type Contender, interleave, ratios, report, spread, verdict } from "../harness.js";

const EXCHANGES = 200;
const quick = process.argv.includes("--quick");
const SIZES = quick ? [5, 10] : [5, 10, 20, 50];
const TOP = SIZES[SIZES.length - 1]!;

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

async function main(): Promise<void> {
  // Every size of both simulations, and the loopback peer, interleaved in the same rounds.
  const contenders: Contender[] = [
    ...SIZES.map((p) => ({ name: `plain ${p}`, run: () => plainSim(p) })),
    { name: "loopback 5", run: () => plainLoopback(5) },
    ...SIZES.map((p) => ({ name: `coaps ${p}`, run: () => coapsSim(p) })),
  ];
  const r = await interleave(contenders, { rounds: 7 });
  const ms = (name: string) => r.get(name)!;
  const perPairGrowth = (kind: string, p: number) => spread(ratios(ms(`${kind} ${p}`).map((v) => v / p), ms(`${kind} 5`).map((v) => v / 5)));
  report({
    id: "sim",
    title: `Simulator: node pairs x ${EXCHANGES} request/response exchanges on virtual time (wall ms per run)`,
    figures: [
      ...SIZES.map((p) => ({ name: `plain UDP exchanges, ${p} pairs`, unit: "ms", value: spread(ms(`plain ${p}`)) })),
      { name: "named peer: the same plain exchanges over Node dgram on loopback, 5 pairs", unit: "ms", value: spread(ms("loopback 5")) },
      ...SIZES.map((p) => ({ name: `CoAPS (shell + agent + DTLS-PSK), ${p} pairs`, unit: "ms", value: spread(ms(`coaps ${p}`)) })),
      ...SIZES.slice(1).map((p) => ({ name: `CoAPS per-pair cost at ${p} pairs / at 5 pairs`, unit: "×", value: perPairGrowth("coaps", p) })),
    ],
    verdicts: [
      verdict(`sim ${TOP} CoAPS pairs x ${EXCHANGES} GETs`, spread(ms(`coaps ${TOP}`).map((v) => v / 1000)), "<=", 10, " s"),
      verdict(`sim CoAPS per-pair cost ${TOP} / 5 pairs (linear)`, perPairGrowth("coaps", TOP), "<=", 1.5),
    ],
  });
}

main().catch((error: Error) => { console.error(error.stack ?? error.message); process.exit(1); });
