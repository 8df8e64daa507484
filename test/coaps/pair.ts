// Two (or three) simulated nodes running the firmware, for agent behaviour tests.
import { createSim, type Sim } from "../../host-sim/harness.js";
import type { ScriptedConsole } from "../../host-sim/console.js";
import { startCoapsApp } from "../../src/app.js";
import { ROGUE_CA_PEM, ROGUE_CERT_PEM, ROGUE_KEY_PEM } from "../dtls/helpers/credentials.js";

export const S_ADDR = "fdde:ad00:beef:0:0:0:0:1";
export const C_ADDR = "fdde:ad00:beef:0:0:0:0:2";

/** `c` is node 2's console, or node 1's again in a one-node simulation. */
export interface Pair { sim: Sim; s: ScriptedConsole; c: ScriptedConsole }

/** Node 1 (server S) and node 2 (client C) with default addresses and a virtual IPv4 each. */
export async function pair(count = 2): Promise<Pair> {
  const nodes = Array.from({ length: count }, (_, i) => ({ id: i + 1, ipv4: true }));
  const sim = await createSim({ seed: 3, nodes });
  return { sim, s: sim.console(1), c: sim.console(count > 1 ? 2 : 1) };
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** `coaps x509` material from a CA the built-in one does not trust (test/dtls/fixtures). */
export const ROGUE_X509 = { certificate: latin1(ROGUE_CERT_PEM), privateKey: latin1(ROGUE_KEY_PEM), caChain: latin1(ROGUE_CA_PEM) };

/** Like pair(), but node `rogueId` runs `coaps x509` with ROGUE_X509 instead of the built-in credentials. */
export async function roguePair(rogueId: 1 | 2): Promise<Pair> {
  const sim = await createSim({
    seed: 5, nodes: [1, 2],
    starterFor: (id) => (id === rogueId ? { start: (platform) => startCoapsApp(platform, { x509: ROGUE_X509 }) } : undefined),
  });
  return { sim, s: sim.console(1), c: sim.console(2) };
}

/** Types each line and expects its result line right away. */
export function run(con: ScriptedConsole, ...lines: string[]): void {
  for (const line of lines) {
    con.send(line);
    con.expect(/(Done|Error \d+: \w+)\r\n(> )?/, 0);
  }
}

/** S: psk + start + resource `r`; C: psk + start + connect to S (or `target`); both connected. */
export async function connectedPair(target = S_ADDR, count = 2): Promise<Pair> {
  const p = await pair(count);
  run(p.s, "coaps psk key id", "coaps start", "coaps resource r");
  run(p.c, "coaps psk key id", "coaps start", `coaps connect ${target}`);
  p.c.expect("coaps connected\r\n", 1000);
  p.s.expect("coaps connected\r\n", 1000);
  return p;
}

/** Output since the last read, once the clock ran `ms` more; marks it read. */
export function after(p: Pair, con: ScriptedConsole, ms: number): string {
  p.sim.advance(ms);
  const text = con.unread();
  if (text.length > 0) con.expect(text, 0);
  return text;
}
