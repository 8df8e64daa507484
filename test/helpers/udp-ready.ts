// Readiness probe for third-party UDP peers (coap-server, openssl s_server …): instead of a
// fixed sleep after spawning one, poll the kernel's socket tables until the peer's process
// holds a UDP socket bound to the port, the moment it can receive a datagram. Reading
// /proc/net/udp{,6} sends nothing to the peer, so it cannot disturb a DTLS handshake.
import { readFileSync, readdirSync, readlinkSync } from "node:fs";

/** Inodes of the sockets bound to local UDP `port` (IPv4 and IPv6, any address). */
export function udpSocketInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["/proc/net/udp", "/proc/net/udp6"]) {
    let text: string;
    try { text = readFileSync(table, "latin1"); } catch { continue; } // no IPv6 on this machine
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
      if (fields.length < 10 || fields[1]!.split(":")[1] !== hexPort) continue;
      inodes.add(fields[9]!);
    }
  }
  return inodes;
}

/** Socket inodes the process `pid` holds open. */
function socketsOf(pid: number): Set<string> {
  const out = new Set<string>();
  let fds: string[];
  try { fds = readdirSync(`/proc/${pid}/fd`); } catch { return out; }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(m[1]!);
    } catch { /* closed meanwhile */ }
  }
  return out;
}

/** Whether UDP `port` is bound, by process `pid` when given. */
export function udpPortBound(port: number, pid?: number): boolean {
  const bound = udpSocketInodes(port);
  if (bound.size === 0) return false;
  if (pid === undefined) return true;
  const mine = socketsOf(pid);
  for (const inode of bound) if (mine.has(inode)) return true;
  return false;
}

/**
 * Resolves once process `pid` (or anyone, without a pid) has UDP `port` bound; rejects after
 * `withinMs` of wall time, or as soon as `exited()` says the peer is gone.
 */
export async function waitForUdpPort(port: number, options: { pid?: number; withinMs?: number; exited?: () => boolean } = {}): Promise<void> {
  const { pid, withinMs = 10_000, exited } = options;
  const deadline = Date.now() + withinMs;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    if (udpPortBound(port, pid)) return;
    if (exited?.()) throw new Error(`UDP port ${port}: the peer (pid ${pid ?? "?"}) exited before binding it`);
    if (Date.now() > deadline) throw new Error(`UDP port ${port} not bound${pid === undefined ? "" : ` by pid ${pid}`} within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, delay));
  }
}
