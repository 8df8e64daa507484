// PSK handshake latency on loopback against coap-server-openssl: our engine hosted by Node
// (DtlsSession over N-API on a dgram socket, as the agent uses it) vs the C reference client
// over the same engine (bench/dtls/c/ref_client.c, poll loop), in interleaved rounds. Both time
// from engine creation (socket bound and connected) to "connected". Side figure: three plain
// CoAP round trips through Node's dgram (a PSK handshake with a cookie is three round trips).
// Target: ours <= 1.5x the C reference, median of per-round ratios.
// Run: node --expose-gc --import tsx bench/dtls/handshake.bench.ts   (DTLS_BENCH_HANDSHAKES per contender and round)
import { performance } from "node:perf_hooks";
import { interleave, ratios, report, spread, verdict } from "../harness.js";
import { buildReference, openPlainCoap, runReference, startCoapServer } from "./common.js";
import { timedHandshake } from "./udp-client.js";

const PER_ROUND = Number(process.env["DTLS_BENCH_HANDSHAKES"] ?? 40);
const medianOf = (xs: number[]) => spread(xs).median;
const exe = buildReference();
const server = await startCoapServer();
try {
  const ours = async () => {
    const times: number[] = [];
    for (let i = 0; i < PER_ROUND; i++) times.push(await timedHandshake("127.0.0.1", server.port, "secretPSK", "Client_identity"));
    return medianOf(times);
  };
  const plain = async () => {
    const p = await openPlainCoap(server.port);
    const times: number[] = [];
    for (let i = 0; i < PER_ROUND; i++) {
      const t0 = performance.now();
      await p.get(i);
      times.push((performance.now() - t0) * 1000);
    }
    p.close();
    return 3 * medianOf(times);
  };
  const r = await interleave([
    { name: "C", run: () => runReference(exe, "handshake", server.port, PER_ROUND) },
    { name: "ours", run: ours },
    { name: "plain", run: plain },
  ], { rounds: 15 });
  const c = r.get("C")!, o = r.get("ours")!;
  report({
    id: "dtls-handshake",
    title: `DTLS-PSK handshake vs coap-server-openssl on loopback (median of ${PER_ROUND} per contender and round)`,
    figures: [
      { name: "ours (Node, DtlsSession over N-API)", unit: "µs", value: spread(o) },
      { name: "C reference client (same engine, poll loop)", unit: "µs", value: spread(c) },
      { name: "Node dgram floor: 3 plain CoAP round trips", unit: "µs", value: spread(r.get("plain")!) },
    ],
    verdicts: [verdict("handshake ours / C", spread(ratios(o, c)), "<=", 1.5)],
  });
} finally {
  server.stop();
}
