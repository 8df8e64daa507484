// A CoAPS client made of our own parts and nothing of the simulator: CoapEndpoint (exchanges,
// codec, retransmission) over a DtlsSession (N-API engine) on a connected Node dgram socket,
// with real timers. The DTLS GET benchmark times it against the C reference client and npm
// node-coap-client, which are Node- or C-hosted clients in the same sense.
import dgram from "node:dgram";
import { performance } from "node:perf_hooks";
import { webcrypto } from "node:crypto";
import { napiDtlsBinding } from "../../host-sim/dtls-napi.js";
import { CoapEndpoint } from "../../src/coap/endpoint.js";
import { DtlsSession } from "../../src/dtls/session.js";
import type { TimerHandle } from "../../src/platform/clock.js";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

export interface EndpointClient {
  /** n sequential CON GETs of `path`; resolves with GETs per second. */
  gets(n: number, path: string): Promise<number>;
  close(): void;
}

export async function endpointClient(host: string, port: number, key: string, identity: string): Promise<EndpointClient> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", r));
  await new Promise<void>((r) => socket.connect(port, host, r));
  const now = () => performance.now();
  const endpoint = new CoapEndpoint({ random: { fill: (b) => { webcrypto.getRandomValues(b); } } });
  let onResponse: ((ok: boolean) => void) | undefined;
  let connected: (() => void) | undefined;
  let failed: ((e: Error) => void) | undefined;
  let retransmit: NodeJS.Timeout | undefined;
  let armedAt: number | undefined;
  const peer = { address: host, port };
  const session: DtlsSession<typeof peer> = new DtlsSession({
    binding: napiDtlsBinding, clock: { now },
    timers: { set: (cb, ms) => setTimeout(cb, ms) as unknown as TimerHandle, clear: (h) => clearTimeout(h as unknown as NodeJS.Timeout) },
    role: "client", credentials: { mode: "psk", key: ascii(key), identity: ascii(identity) }, peer,
    send: (d) => socket.send(d),
    events: {
      onConnected: () => connected?.(),
      onData: (record) => { endpoint.handleDatagram(now(), record); pump(); },
      onClosed: (reason, error) => failed?.(new Error(`DTLS session closed: ${reason} ${error}`)),
    },
  });
  socket.on("message", (m) => session.receive(new Uint8Array(m.buffer, m.byteOffset, m.length), peer));

  // Ships what the endpoint wants sent, hands out its events, and keeps its retransmission
  // timer armed at its next deadline.
  function pump(): void {
    for (let t = endpoint.pollTransmit(); t !== undefined; t = endpoint.pollTransmit()) session.send(t.bytes);
    for (let e = endpoint.pollEvent(); e !== undefined; e = endpoint.pollEvent()) {
      if (e.kind === "response") onResponse?.(e.code === 0x45 && e.payload.length > 0);
      else if (e.kind === "requestFailed") onResponse?.(false);
    }
    const deadline = endpoint.pollTimeout();
    if (deadline === armedAt) return;
    if (retransmit !== undefined) clearTimeout(retransmit);
    retransmit = undefined;
    armedAt = deadline;
    if (deadline !== undefined) {
      retransmit = setTimeout(() => { retransmit = undefined; armedAt = undefined; endpoint.handleTimeout(now()); pump(); }, Math.max(0, deadline - now()));
    }
  }

  await new Promise<void>((resolve, reject) => {
    connected = resolve;
    failed = reject;
    if (session.state === "connected") resolve();
  });
  return {
    gets(n, path) {
      return new Promise((resolve, reject) => {
        failed = reject;
        let left = n;
        const t0 = performance.now();
        const get = () => { endpoint.request(now(), { method: "GET", path, confirmable: true }); pump(); };
        onResponse = (ok) => {
          if (!ok) { reject(new Error("GET failed")); return; }
          if (--left === 0) resolve(n / ((performance.now() - t0) / 1000));
          else get();
        };
        get();
      });
    },
    close() {
      if (retransmit !== undefined) clearTimeout(retransmit);
      failed = undefined;
      session.close();
      setTimeout(() => socket.close(), 0);
    },
  };
}
