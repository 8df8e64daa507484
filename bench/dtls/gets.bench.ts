// Sequential CoAP CON GETs per second in one DTLS-PSK session against coap-server-openssl, in
// interleaved rounds:
//   ours: a CoapSecureAgent node (agent -> CoapEndpoint + codec -> DtlsSession -> N-API engine ->
//         a real loopback UDP socket), the product's own client path, GET /time;
//   the C reference client over the same engine (bench/dtls/c/ref_client.c), GET /time;
//   npm node-coap-client 2.1.0 (node-dtls-client), GET coaps://.../time.
// Side figure: the same GET as plain CoAP through Node's dgram (no DTLS), the ceiling for any
// Node client. Targets (issue 3): ours >= 0.5x C and >= 5x node-coap-client (per-round medians).
// Run: node --expose-gc --import tsx bench/dtls/gets.bench.ts   (DTLS_BENCH_GETS per contender and round)
import { performance } from "node:perf_hooks";
import { agentClient } from "../agent/node-agent.js";
import { interleave, ratios, report, spread, verdict } from "../harness.js";
import { freePort } from "../net.js";
import { buildReference, loadNodeCoapClient, openPlainCoap, runReference, startCoapServer } from "./common.js";

const PER_ROUND = Number(process.env["DTLS_BENCH_GETS"] ?? 600);
const exe = buildReference();
const server = await startCoapServer();
const CoapClient = await loadNodeCoapClient();
const url = `coaps://127.0.0.1:${server.port}/time`;
CoapClient.setSecurityParams("127.0.0.1", { psk: { Client_identity: "secretPSK" } });
await CoapClient.request(url, "get"); // its handshake, outside the timing
const ours = await agentClient(await freePort(), server.port, "time");
const plain = await openPlainCoap(server.port);

async function nodeCoapClientGets(n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await CoapClient.request(url, "get");
    if (r.code.toString() !== "2.05") throw new Error(`node-coap-client got ${r.code.toString()}`);
  }
  return n / ((performance.now() - t0) / 1000);
}

async function plainGets(n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await plain.get(i);
  return n / ((performance.now() - t0) / 1000);
}

try {
  await ours.gets(8000); // JIT warm-up: the JS stack needs some thousands of GETs to reach its steady rate
  const r = await interleave([
    { name: "ours", run: () => ours.gets(PER_ROUND) },
    // The C client is ~2x faster: 2x the GETs keeps its rounds about as long as ours.
    { name: "C", run: () => runReference(exe, "gets", server.port, 2 * PER_ROUND) },
    // node-coap-client is ~10x slower: a tenth of the GETs keeps its rounds as long as the others'.
    { name: "node-coap-client", run: () => nodeCoapClientGets(Math.max(20, Math.round(PER_ROUND / 10))) },
    { name: "plain", run: () => plainGets(PER_ROUND) },
  ], { rounds: 11, warmup: 2 });
  const o = r.get("ours")!, c = r.get("C")!, n = r.get("node-coap-client")!;
  report({
    id: "dtls-gets",
    title: `Sequential CON GETs/s in one DTLS-PSK session vs coap-server-openssl (${PER_ROUND} GETs per round)`,
    figures: [
      { name: "ours: CoapSecureAgent client (endpoint + codec + DtlsSession + N-API, real UDP)", unit: "GETs/s", value: spread(o) },
      { name: "C reference client (same engine, poll loop)", unit: "GETs/s", value: spread(c) },
      { name: "npm node-coap-client 2.1.0", unit: "GETs/s", value: spread(n) },
      { name: "Node dgram ceiling: plain CoAP GET, no DTLS", unit: "GETs/s", value: spread(r.get("plain")!) },
    ],
    verdicts: [
      verdict("DTLS GETs ours / C", spread(ratios(o, c)), ">=", 0.5),
      verdict("DTLS GETs ours / node-coap-client", spread(ratios(o, n)), ">=", 5),
    ],
  });
} finally {
  ours.close();
  plain.close();
  CoapClient.reset();
  server.stop();
}
