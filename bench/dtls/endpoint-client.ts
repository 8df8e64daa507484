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
import { pooledRandomSource } from "../../src/platform/random.js";
import { slabAllocator } from "../../src/bytes/alloc.js";

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
  // The allocator a Node host gives the agent (Platform.allocBytes, as the simulator does).
  const endpoint = new CoapEndpoint({ random: pooledRandomSource({ fill: (b) => { webcrypto.getRandomValues(b); } }), allocate: slabAllocator() });
  const peer = { address: host, port };
  const session = new DtlsSession<typeof peer>(now(), {
    binding: napiDtlsBinding, role: "client", credentials: { mode: "psk", key: ascii(key), identity: ascii(identity) }, peer,
  });
  let onResponse: ((ok: boolean) => void) | undefined;
  let connected: (() => void) | undefined;
  let failed: ((e: Error) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let armedAt: number | undefined;

  // Moves everything both sans-IO layers want done: endpoint messages into the session, the
  // session's datagrams onto the socket, its records into the endpoint, events to the caller,
  // and one timer at the earlier of their deadlines.
  function pump(): void {
    for (;;) {
      for (let t = endpoint.pollTransmit(); t !== undefined; t = endpoint.pollTransmit()) session.send(now(), t.bytes);
      for (let t = session.pollTransmit(); t !== undefined; t = session.pollTransmit()) socket.send(t.bytes);
      let records = 0;
      for (let e = session.pollEvent(); e !== undefined; e = session.pollEvent()) {
        if (e.kind === "connected") connected?.();
        else if (e.kind === "data") { endpoint.handleDatagram(now(), e.bytes); records++; }
        else if (e.kind === "closed") failed?.(new Error(`DTLS session closed: ${e.reason} ${e.error}`));
      }
      for (let e = endpoint.pollEvent(); e !== undefined; e = endpoint.pollEvent()) {
        if (e.kind === "response") onResponse?.(e.code === 0x45 && e.payload.length > 0);
        else if (e.kind === "requestFailed") onResponse?.(false);
      }
      if (records === 0) break;
    }
    // As the agent does (src/coaps/agent.ts #arm): a timer at or before the earliest deadline
    // is left alone (an early firing is harmless and re-arms), so a stream of GETs, each moving
    // the retransmission deadline, does not clear and set a timer for each one.
    const a = endpoint.pollTimeout(), b = session.pollTimeout();
    const deadline = a === undefined ? b : b === undefined ? a : Math.min(a, b);
    if (deadline === undefined) return;
    if (timer !== undefined && armedAt! <= deadline) return;
    if (timer !== undefined) clearTimeout(timer);
    armedAt = deadline;
    timer = setTimeout(onTimer, Math.max(0, deadline - now()));
  }
  function onTimer(): void {
    timer = undefined; armedAt = undefined;
    endpoint.handleTimeout(now()); session.handleTimeout(now()); pump();
  }
  socket.on("message", (m) => { session.handleDatagram(now(), peer, new Uint8Array(m.buffer, m.byteOffset, m.length)); pump(); });

  await new Promise<void>((resolve, reject) => {
    connected = resolve;
    failed = reject;
    pump();
  });
  return {
    gets(n, path) {
      return new Promise((resolve, reject) => {
        failed = reject;
        let left = n;
        const t0 = performance.now();
        // Each GET is sent from inside the previous response's event, as a device loop would.
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
      if (timer !== undefined) clearTimeout(timer);
      failed = undefined;
      session.close(now());
      for (let t = session.pollTransmit(); t !== undefined; t = session.pollTransmit()) socket.send(t.bytes);
      setTimeout(() => socket.close(), 0);
    },
  };
}
