// One simulated node with a CoapSecureAgent on a real loopback UDP port, in real time: the
// benchmark runs the server node in a worker thread and the client node in the main thread,
// as two nodes in two terminals would run.
import { createSim } from "../../host-sim/harness.js";
import { openRealUdp, type RealUdp } from "../../host-sim/real-udp.js";
import { CoapSecureAgent } from "../../src/coaps/agent.js";

export const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

export interface AgentNode { agent: CoapSecureAgent; inject(fn: () => void): void; close(): void }

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
