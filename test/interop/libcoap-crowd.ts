// Eight coap-client-openssl processes started at once against one node with `coaps sessions 8`
// (real loopback DTLS, real time): shared by the Node test and the XS test. Peers are stopped by PID.
import type { ScriptedConsole } from "../../host-sim/console.js";
import { command, finished, startPeer } from "./peers.js";

export const CLIENTS = 8;
export const count = (text: string, line: string): number => text.split(line).length - 1;

/** Sets the node up, runs the eight clients to their end; returns what each client printed. */
export async function libcoapCrowd(con: ScriptedConsole, port: number): Promise<string[]> {
  for (const line of ["coaps sessions 8", "coaps psk secret123 id1", "coaps start", "coaps resource res", "coaps set hello"]) {
    await command(con, line);
  }
  if (/Error/.test(con.transcript())) throw new Error(`set-up failed:\n${con.transcript()}`);
  const peers: ReturnType<typeof startPeer>[] = [];
  const closed: Promise<unknown>[] = [];
  try {
    for (let i = 0; i < CLIENTS; i++) {
      const peer = startPeer("coap-client-openssl", ["-m", "get", "-k", "secret123", "-u", "id1", "-B", "10", `coaps://[::1]:${port}/res`]);
      peers.push(peer);
      // "exit" can come before the last stdout bytes are read: "close" is after both pipes ended.
      closed.push(new Promise((r) => peer.proc.on("close", r)));
    }
    await Promise.all(peers.map((p) => finished(p, 20_000)));
    await Promise.all(closed);
    await con.waitFor(new RegExp(`(?:[\\s\\S]*?coaps response sent\r\n){${CLIENTS}}`), 5000);
    return peers.map((p) => p.output());
  } finally {
    for (const p of peers) p.stop();
  }
}

/** True when the console printed every `coaps connected` before its first `coaps disconnected`. */
export function heldAtOnce(text: string): boolean {
  const firstEnd = text.indexOf("coaps disconnected\r\n");
  return count(firstEnd < 0 ? text : text.slice(0, firstEnd), "coaps connected\r\n") === CLIENTS;
}
