// A DTLS client session (DtlsSession over the N-API engine, as the agent uses it) on a
// connected Node dgram socket with real timers: what the handshake benchmark times.
import dgram from "node:dgram";
import { performance } from "node:perf_hooks";
import { napiDtlsBinding } from "../../host-sim/dtls-napi.js";
import { DtlsSession } from "../../src/dtls/session.js";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Microseconds from creating the session (socket bound and connected) to "connected". */
export async function timedHandshake(host: string, port: number, key: string, identity: string): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", r));
  await new Promise<void>((r) => socket.connect(port, host, r));
  const peer = { address: host, port };
  // Made before the clock starts, as the C reference's are constants.
  const credentials = { mode: "psk" as const, key: ascii(key), identity: ascii(identity) };
  let timer: NodeJS.Timeout | undefined;
  let armedAt = 0;
  let lastSent: Promise<void> = Promise.resolve();
  const sendLast = (bytes: Uint8Array) => { lastSent = new Promise<void>((r) => socket.send(bytes, () => r())); };
  try {
    return await new Promise<number>((resolve, reject) => {
      // A client queues its ClientHello in the constructor: the clock starts just before it.
      const t0 = performance.now();
      const session = new DtlsSession<typeof peer>(t0, {
        binding: napiDtlsBinding, role: "client", credentials, peer,
      });
      // Sends what the session queued, reacts to its events, re-arms its retransmission timer.
      const pump = (): void => {
        for (let t = session.pollTransmit(); t !== undefined; t = session.pollTransmit()) socket.send(t.bytes);
        for (let e = session.pollEvent(); e !== undefined; e = session.pollEvent()) {
          if (e.kind === "connected") {
            resolve((performance.now() - t0) * 1000);
            session.close(performance.now());
            for (let t = session.pollTransmit(); t !== undefined; t = session.pollTransmit()) sendLast(t.bytes);
            return;
          }
          if (e.kind === "closed") { reject(new Error(`handshake failed: ${e.reason} ${e.error}`)); return; }
        }
        // As the agent does (src/coaps/agent.ts #arm): a timer at or before the deadline stays
        // (an early firing is harmless and re-arms), so a flight does not clear and set one.
        const deadline = session.pollTimeout();
        if (deadline === undefined || (timer !== undefined && armedAt <= deadline)) return;
        if (timer !== undefined) clearTimeout(timer);
        armedAt = deadline;
        timer = setTimeout(onTimer, Math.max(0, deadline - performance.now()));
      };
      const onTimer = (): void => { timer = undefined; session.handleTimeout(performance.now()); pump(); };
      socket.on("message", (m) => { session.handleDatagram(performance.now(), peer, new Uint8Array(m.buffer, m.byteOffset, m.length)); pump(); });
      pump();
    });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    // Closed once the close_notify has left: as soon as its send completes, not a timer tick
    // later (a 1 ms sleep between handshakes lets other processes take the caches, which the
    // C reference, going straight on to its next handshake, never pays).
    await lastSent;
    socket.close();
  }
}
