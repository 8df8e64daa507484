// One simulated node running a CoapSecureAgent in real time, its UDP on a real loopback port
// (the simulator's --real mode), for the GET benchmarks:
//   - agentClient(): a client node in the calling process, connected to any CoAPS server, that
//     sends sequential CON GETs (each from inside the previous response's event, as a device
//     loop would) through the whole stack: agent -> CoapEndpoint + codec -> DtlsSession ->
//     N-API engine -> UDP;
//   - run as a script, a server node in its own process:
//       node --import tsx bench/agent/node-agent.ts serve <port> <resource>
//     prints "ready" once listening and serves until its stdin closes.
import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createSim } from "../../host-sim/harness.js";
import { openRealUdp, type RealUdp } from "../../host-sim/real-udp.js";
import { CoapSecureAgent } from "../../src/coaps/agent.js";
import type { AgentEvent } from "../../src/coaps/types.js";

export const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
export const PSK = { key: "secretPSK", identity: "Client_identity" };

export interface AgentNode { agent: CoapSecureAgent; inject(fn: () => void): void; close(): void }

/** A node whose agent binds `realPort` on loopback for the firmware's port 5684. */
export async function agentNode(realPort: number): Promise<AgentNode> {
  let udp: RealUdp | undefined;
  let agent: CoapSecureAgent | undefined;
  const sim = await createSim({
    seed: realPort, realTime: true, udpFor: () => udp!.udp,
    firmware: (platform) => { agent = new CoapSecureAgent(platform); return { close: () => agent!.close() }; },
  });
  udp = await openRealUdp({ reserve: [5684], portMap: (x) => (x === 5684 ? realPort : x), inject: (fn) => sim.realTime!.inject(fn) });
  sim.addNode(1);
  return { agent: agent!, inject: (fn) => sim.realTime!.inject(fn), close: () => { sim.close(); udp!.close(); } };
}

export interface AgentClient {
  /** n sequential CON GETs; resolves with GETs per second. */
  gets(n: number): Promise<number>;
  close(): void;
}

/** A connected client node: PSK handshake with 127.0.0.1:serverPort done before it resolves. */
export async function agentClient(localPort: number, serverPort: number, uriPath: string): Promise<AgentClient> {
  const node = await agentNode(localPort);
  let onEvent: (e: AgentEvent) => void = () => {};
  node.agent.onEvent((e) => onEvent(e));
  const connected = new Promise<AgentEvent>((r) => { onEvent = r; });
  node.inject(() => {
    node.agent.setPsk(bytes(PSK.key), bytes(PSK.identity));
    node.agent.start(true, 0);
    node.agent.connect("127.0.0.1", serverPort);
  });
  const first = await Promise.race([connected, new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000))]);
  if (first?.kind !== "connected") { node.close(); throw new Error(`agent did not connect to port ${serverPort} (${first?.kind ?? "timeout"})`); }
  const get = (): void => { node.agent.sendRequest({ method: "GET", uriPath, confirmable: true }); };
  return {
    gets(n) {
      return new Promise((resolve, reject) => {
        let left = n;
        const t0 = performance.now();
        onEvent = (e) => {
          if (e.kind !== "response" || e.payload.length === 0) { reject(new Error(`unexpected ${e.kind} event`)); return; }
          if (--left === 0) resolve(n / ((performance.now() - t0) / 1000));
          else get();
        };
        node.inject(get);
      });
    },
    close: () => node.close(),
  };
}

/** Starts a server node in its own Node process; resolves once it listens. */
export async function spawnAgentServer(port: number, resource: string): Promise<{ stop(): void }> {
  const self = fileURLToPath(import.meta.url);
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", self, "serve", String(port), resource], { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("agent server did not start")), 30_000);
    child.stdout!.on("data", (d: Buffer) => { if (d.toString().includes("ready")) { clearTimeout(timer); resolve(); } });
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`agent server exited (${code})`)); });
  });
  return { stop: () => { child.stdin!.end(); if (child.pid !== undefined && child.exitCode === null) child.kill("SIGTERM"); } };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === "serve") {
  const node = await agentNode(Number(process.argv[3]));
  node.inject(() => {
    node.agent.setPsk(bytes(PSK.key), bytes(PSK.identity));
    node.agent.start(true, 0);
    node.agent.setResourceUri(process.argv[4] ?? "r");
    node.agent.setContent(bytes("0123456789"));
  });
  process.stdout.write("ready\n");
  process.stdin.resume();
  process.stdin.on("end", () => { node.close(); process.exit(0); });
}
