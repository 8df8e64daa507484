// (a) PSK handshake latency on loopback against coap-server-openssl: our Node-hosted engine
// (DtlsSession over N-API, real dgram socket) vs the C reference client over the same engine.
// Both time from engine creation (socket already bound and connected) to "connected".
// Target: ours <= 1.5x the C reference. Run: npx tsx bench/dtls/handshake.bench.ts
import { performance } from "node:perf_hooks";
import { UdpDtls } from "../../test/dtls/helpers/udp-driver.js";
import { psk } from "../../test/dtls/helpers/pair.js";
import { buildReference, runReference, startCoapServer, median, verdict, openPlainCoap } from "./common.js";

const COUNT = Number(process.env.DTLS_BENCH_HANDSHAKES ?? 300);
const exe = buildReference();
const server = await startCoapServer();
try {
  // Warm-up for both (JIT, server caches).
  runReference(exe, "handshake", server.port, 20);
  const ours = async (n: number) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = await UdpDtls.connect("127.0.0.1", server.port, psk("secretPSK", "Client_identity"));
      times.push(c.connectedAt - c.startedAt);
      c.close();
    }
    return median(times) * 1000;
  };
  await ours(20);
  // Node's own I/O floor: a PSK handshake with a cookie is three round trips, so time three
  // plain-CoAP round trips through dgram to the same server's CoAP port.
  const plainRoundTrip = async (n: number) => {
    const plain = await openPlainCoap(server.port);
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await plain.get(i);
      times.push(performance.now() - t0);
    }
    plain.close();
    return median(times) * 1000;
  };
  // Interleave rounds so machine load hits both alike.
  const cRounds: number[] = [], nodeRounds: number[] = [], plainRounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    cRounds.push(runReference(exe, "handshake", server.port, COUNT / 5));
    nodeRounds.push(await ours(COUNT / 5));
    plainRounds.push(3 * (await plainRoundTrip(COUNT / 5)));
  }
  const c = median(cRounds), node = median(nodeRounds), floor = median(plainRounds);
  const ratio = node / c;
  console.log(`PSK handshake vs coap-server-openssl, median of ${COUNT} each:`);
  console.log(`  C reference (same engine, poll loop): ${c.toFixed(0)} us`);
  console.log(`  ours (Node, N-API, DtlsSession):     ${node.toFixed(0)} us`);
  console.log(`  (Node dgram floor, 3 plain CoAP round trips without DTLS: ${floor.toFixed(0)} us)`);
  console.log(`  ratio ours / C = ${ratio.toFixed(2)}x (target <= 1.5x: ${verdict(ratio <= 1.5)})`);
} finally {
  server.stop();
}
