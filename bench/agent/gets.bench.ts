// Sequential CON GETs per second between two simulated nodes over real loopback sockets
// (both in this process, as the simulator runs them),
// through the whole stack (CoapSecureAgent → CoapEndpoint → DtlsSession → C engine → UDP),
// against the C reference client of bench/dtls (same engine, against coap-server-openssl)
// measured in the same run. Target: ours >= 0.3x the C reference.
// Run: npx tsx bench/agent/gets.bench.ts   (AGENT_BENCH_GETS sets the count, default 9000)
import { performance } from "node:perf_hooks";
import { agentNode, bytes } from "./node-agent.js";
import type { AgentEvent } from "../../src/coaps/types.js";
import { buildReference, median, runReference, startCoapServer, verdict } from "../dtls/common.js";
import { freePort } from "../../test/dtls/helpers/peers.js";

const COUNT = Number(process.env.AGENT_BENCH_GETS ?? 9000);

async function agentPair() {
  const serverPort = await freePort(), clientPort = await freePort();
  const server = await agentNode(serverPort), client = await agentNode(clientPort);
  server.inject(() => {
    server.agent.setPsk(bytes("secretPSK"), bytes("id"));
    server.agent.start(true, 0);
    server.agent.setResourceUri("r");
  });
  // Each response sends the next request from inside the event, as a device loop would.
  let onEvent: (e: AgentEvent) => void = () => {};
  client.agent.onEvent((e) => onEvent(e));
  const connected = new Promise<AgentEvent>((r) => { onEvent = r; });
  client.inject(() => {
    client.agent.setPsk(bytes("secretPSK"), bytes("id"));
    client.agent.start(true, 0);
    client.agent.connect("127.0.0.1", serverPort);
  });
  if ((await connected).kind !== "connected") throw new Error("agents did not connect");
  const get = (): void => { client.agent.sendRequest({ method: "GET", uriPath: "r", confirmable: true }); };
  return {
    gets(n: number): Promise<number> {
      return new Promise((resolve, reject) => {
        let left = n;
        const t0 = performance.now();
        onEvent = (e) => {
          if (e.kind !== "response" || e.payload[0] !== 0x30) { reject(new Error(`unexpected ${e.kind}`)); return; }
          if (--left === 0) resolve(n / ((performance.now() - t0) / 1000));
          else get();
        };
        client.inject(get);
      });
    },
    close(): void {
      client.close();
      server.close();
    },
  };
}

const exe = buildReference();
const server = await startCoapServer();
const pair = await agentPair();
try {
  runReference(exe, "gets", server.port, 500);
  await pair.gets(15_000); // JIT warm-up: the JS stack reaches its steady rate after ~20,000 GETs
  const cRounds: number[] = [], ourRounds: number[] = [];
  for (let round = 0; round < 3; round++) {
    cRounds.push(runReference(exe, "gets", server.port, Math.floor(COUNT / 3)));
    ourRounds.push(await pair.gets(Math.floor(COUNT / 3)));
  }
  const c = median(cRounds), ours = median(ourRounds);
  console.log("Sequential CON GETs in one DTLS-PSK session over loopback:");
  console.log(`  C reference client (bench/dtls, same engine) vs coap-server-openssl: ${c.toFixed(0)} GETs/s`);
  console.log(`  two simulated nodes, whole stack (agent → endpoint → DTLS → UDP):     ${ours.toFixed(0)} GETs/s`);
  console.log(`  ours / C = ${(ours / c).toFixed(2)}x (target >= 0.3x: ${verdict(ours / c >= 0.3)})`);
} finally {
  pair.close();
  server.stop();
}
