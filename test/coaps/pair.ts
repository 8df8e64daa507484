// Two (or three) simulated nodes running the firmware, for agent behaviour tests.
import { createSim, type Sim } from "../../host-sim/harness.js";
import type { ScriptedConsole } from "../../host-sim/console.js";

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
