// Ports and waiting for the benchmarks (bench/ does not import from test/).
import dgram from "node:dgram";

/** A 127.0.0.1 UDP port that was free a moment ago (and, if `pair`, port+1 too). */
export async function freePort(pair = false): Promise<number> {
  for (;;) {
    const s = dgram.createSocket("udp4");
    await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
    const p = s.address().port;
    await new Promise<void>((r) => s.close(() => r()));
    if (!pair) return p;
    if (p >= 65535) continue;
    const s2 = dgram.createSocket("udp4");
    const ok = await new Promise<boolean>((r) => { s2.once("error", () => r(false)); s2.bind(p + 1, "127.0.0.1", () => r(true)); });
    await new Promise<void>((r) => s2.close(() => r()));
    if (ok) return p;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
