// Sequential CON GETs per second between two of our nodes, each in its own process (a server
// node spawned with bench/agent/node-agent.ts, the client node in this process), through the
// whole stack on both ends (CoapSecureAgent -> CoapEndpoint -> DtlsSession -> N-API engine ->
// real loopback UDP), against the C pair measured in the same interleaved rounds: the C
// reference client (bench/dtls, same engine) and coap-server-openssl, also two processes.
// So both sides are client process + server process over loopback; ours has our stack at both
// ends, the C pair has native code at both ends.
// Target: ours >= 0.3x the C pair, median of per-round ratios.
// Run: node --expose-gc --import tsx bench/agent/gets.bench.ts   (AGENT_BENCH_GETS per contender and round)
import { interleave, ratios, report, spread, verdict } from "../harness.js";
import { buildReference, runReference, startCoapServer } from "../dtls/common.js";
import { freePort } from "../net.js";
import { agentClient, spawnAgentServer } from "./node-agent.js";

const PER_ROUND = Number(process.env["AGENT_BENCH_GETS"] ?? 1000);
const exe = buildReference();
const cServer = await startCoapServer();
const serverPort = await freePort();
const ourServer = await spawnAgentServer(serverPort, "r");
try {
  const ours = await agentClient(await freePort(), serverPort, "r");
  try {
    runReference(exe, "gets", cServer.port, 500);
    await ours.gets(8000); // JIT warm-up of both nodes
    const r = await interleave([
      { name: "ours", run: () => ours.gets(PER_ROUND) },
      // The C pair is ~3x faster: 3x the GETs keeps its rounds about as long as ours, so a
      // scheduling hiccup weighs the same in both.
      { name: "C", run: () => runReference(exe, "gets", cServer.port, 3 * PER_ROUND) },
    ], { rounds: 11 });
    const o = r.get("ours")!, c = r.get("C")!;
    report({
      id: "agent-gets",
      title: `Sequential CON GETs/s, client and server in two processes over loopback DTLS-PSK (${PER_ROUND} GETs per round)`,
      figures: [
        { name: "ours: agent node -> agent node (whole stack at both ends)", unit: "GETs/s", value: spread(o) },
        { name: "C pair: C reference client (same engine) -> coap-server-openssl", unit: "GETs/s", value: spread(c) },
      ],
      verdicts: [verdict("agent GETs ours / C pair", spread(ratios(o, c)), ">=", 0.3)],
    });
  } finally {
    ours.close();
  }
} finally {
  ourServer.stop();
  cServer.stop();
}
