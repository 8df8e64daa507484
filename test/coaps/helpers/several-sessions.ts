// `coaps sessions 8` on node 1 with nine clients (nodes 2..10) connecting at the same virtual
// instant: eight get a session each and are served, the ninth is ignored as a busy
// single-session server ignores a second client (t14). Shared by the Node and XS tests; the
// node starter decides which engine runs the server's firmware.
import { createSim, type Sim } from "../../../host-sim/harness.js";
import type { NodeStarter } from "../../../host-sim/firmware.js";
import type { ScriptedConsole } from "../../../host-sim/console.js";

export const SERVER = "fdde:ad00:beef:0:0:0:0:1";
export const CLIENT_IDS = [2, 3, 4, 5, 6, 7, 8, 9, 10];
export const addressOf = (id: number): string => `fdde:ad00:beef:0:0:0:0:${id.toString(16)}`;

/** Types each line and expects exactly `result` (plus the prompt) right away. */
export function type(con: ScriptedConsole, line: string, result = "Done\r\n"): void {
  con.send(line);
  con.expect(`${line}\r\n${result}> `, 0);
}

/** Everything a console printed since the last read, once the clock ran `ms` more. */
export function unreadAfter(sim: Sim, con: ScriptedConsole, ms: number): string {
  sim.advance(ms);
  const text = con.unread();
  if (text.length > 0) con.expect(text, 0);
  return text;
}

export interface CrowdRun {
  readonly sim: Sim;
  readonly server: ScriptedConsole;
  /** Client node ids whose console printed `coaps connected`, in id order. */
  readonly connected: number[];
  /** What the server printed while the nine clients connected. */
  readonly serverLog: string;
}

/** Node 1 serves with `coaps sessions <n>`; nine clients connect to it at once. */
export async function crowd(n: number, serverStarter?: NodeStarter): Promise<CrowdRun> {
  const sim = await createSim({
    seed: 7, nodes: [1, ...CLIENT_IDS],
    ...(serverStarter !== undefined ? { starterFor: (id: number) => (id === 1 ? serverStarter : undefined) } : {}),
  });
  const server = sim.console(1);
  if (n !== 1) type(server, `coaps sessions ${n}`);
  type(server, "coaps psk secret123 id1");
  type(server, "coaps start");
  type(server, "coaps resource res");
  type(server, "coaps set hello");
  for (const id of CLIENT_IDS) {
    const c = sim.console(id);
    type(c, "coaps psk secret123 id1");
    type(c, "coaps start");
  }
  // Every connect is typed before the clock moves: the nine ClientHellos arrive together.
  for (const id of CLIENT_IDS) type(sim.console(id), `coaps connect ${SERVER}`);
  sim.advance(3000);
  const connected = CLIENT_IDS.filter((id) => sim.console(id).unread().includes("coaps connected\r\n"));
  for (const id of CLIENT_IDS) { const text = sim.console(id).unread(); if (text) sim.console(id).expect(text, 0); }
  return { sim, server, connected, serverLog: unreadAfter(sim, server, 0) };
}
