// A DTLS client session (DtlsSession over the N-API engine, as the agent uses it) on a
// connected Node dgram socket with real timers: what the handshake benchmark times.
import dgram from "node:dgram";
import { performance } from "node:perf_hooks";
import { napiDtlsBinding } from "../../host-sim/dtls-napi.js";
import { DtlsSession } from "../../src/dtls/session.js";
import type { TimerHandle } from "../../src/platform/clock.js";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Microseconds from creating the session (socket bound and connected) to "connected". */
export async function timedHandshake(host: string, port: number, key: string, identity: string): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", r));
  await new Promise<void>((r) => socket.connect(port, host, r));
  const peer = { address: host, port };
  try {
    return await new Promise<number>((resolve, reject) => {
      // A client sends its ClientHello from the constructor: the clock starts just before it.
      const t0 = performance.now();
      const session: DtlsSession<typeof peer> = new DtlsSession({
        binding: napiDtlsBinding,
        clock: { now: () => performance.now() },
        timers: {
          set: (cb, ms) => setTimeout(cb, ms) as unknown as TimerHandle,
          clear: (h) => clearTimeout(h as unknown as NodeJS.Timeout),
        },
        role: "client", credentials: { mode: "psk", key: ascii(key), identity: ascii(identity) }, peer,
        send: (d) => socket.send(d),
        events: {
          onConnected: () => { resolve((performance.now() - t0) * 1000); session.close(); },
          onData: () => {},
          onClosed: (reason, error) => reject(new Error(`handshake failed: ${reason} ${error}`)),
        },
      });
      socket.on("message", (m) => session.receive(new Uint8Array(m.buffer, m.byteOffset, m.length), peer));
    });
  } finally {
    await new Promise<void>((r) => setTimeout(r, 0)); // let the close_notify leave
    socket.close();
  }
}
