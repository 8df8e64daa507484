// Sequential CoAP CON GETs per second in one DTLS-PSK session against coap-server-openssl, in
// interleaved rounds, GET /time each:
//   ours: our CoapEndpoint (exchanges, codec, retransmission) over our DtlsSession (N-API
//         engine) on a Node dgram socket (bench/dtls/endpoint-client.ts), a Node-hosted client
//         as node-coap-client is one;
//   the C reference client over the same engine (bench/dtls/c/ref_client.c);
//   npm node-coap-client 2.1.0 (node-dtls-client).
// Side figures: a whole CoapSecureAgent node in the simulator's real-UDP mode (agent + endpoint
// + DtlsSession + the simulator's real-time driver and dual-stack sockets), and the same GET as
// plain CoAP through Node's dgram (no DTLS), the ceiling for any Node client.
// Targets: ours >= 0.5x C and >= 5x node-coap-client (medians of per-round ratios).
// Run: node --expose-gc --import tsx bench/dtls/gets.bench.ts   (DTLS_BENCH_GETS per contender and round)
import { performance } from "node:perf_hooks";
import { agentClient } from "../agent/node-agent.js";
import { interleave, ratios, report, spread, verdict } from "../harness.js";
import { freePort } from "../net.js";
import { buildReference, loadNodeCoapClient, openPlainCoap, runReference, startCoapServer } from "./common.js";
import { endpointClient } from "./endpoint-client.js";

const PER_ROUND = Number(process.env["DTLS_BENCH_GETS"] ?? 600);
const exe = buildReference();
const server = await startCoapServer();
const CoapClient = await loadNodeCoapClient();
const url = `coaps://127.0.0.1:${server.port}/time`;
CoapClient.setSecurityParams("127.0.0.1", { psk: { Client_identity: "secretPSK" } });
await CoapClient.request(url, "get"); // its handshake, outside the timing
const ours = await endpointClient("127.0.0.1", server.port, "secretPSK", "Client_identity");
const agent = await agentClient(await freePort(), server.port, "time");
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
  // JIT warm-up: the JS stacks need some thousands of GETs to reach their steady rate.
  await ours.gets(8000, "time");
  await agent.gets(8000);
  const r = await interleave([
    { name: "ours", run: () => ours.gets(PER_ROUND, "time") },
    { name: "agent", run: () => agent.gets(PER_ROUND) },
    // The C client is ~2x faster: 2x the GETs keeps its rounds about as long as ours.
    { name: "C", run: () => runReference(exe, "gets", server.port, 2 * PER_ROUND) },
    // node-coap-client is ~5x slower: a fifth of the GETs keeps its rounds as long as ours.
    { name: "node-coap-client", run: () => nodeCoapClientGets(Math.max(20, Math.round(PER_ROUND / 5))) },
    { name: "plain", run: () => plainGets(PER_ROUND) },
  ], { rounds: 11, warmup: 2 });
  const o = r.get("ours")!, c = r.get("C")!, n = r.get("node-coap-client")!;
  report({
    id: "dtls-gets",
    title: `Sequential CON GETs/s in one DTLS-PSK session vs coap-server-openssl (${PER_ROUND} GETs per round)`,
    figures: [
      { name: "ours: CoapEndpoint + codec over DtlsSession (N-API) on a dgram socket", unit: "GETs/s", value: spread(o) },
      { name: "C reference client (same engine, poll loop)", unit: "GETs/s", value: spread(c) },
      { name: "npm node-coap-client 2.1.0", unit: "GETs/s", value: spread(n) },
      { name: "a whole CoapSecureAgent node, simulator real-UDP mode (side figure)", unit: "GETs/s", value: spread(r.get("agent")!) },
      { name: "Node dgram ceiling: plain CoAP GET, no DTLS", unit: "GETs/s", value: spread(r.get("plain")!) },
    ],
    verdicts: [
      verdict("DTLS GETs ours / C", spread(ratios(o, c)), ">=", 0.5),
      verdict("DTLS GETs ours / node-coap-client", spread(ratios(o, n)), ">=", 5),
    ],
  });
} finally {
  ours.close();
  agent.close();
  plain.close();
  CoapClient.reset();
  server.stop();
}
