// Virtual-time harness for CoapEndpoint tests: a seeded RandomSource, queue drains, and a
// client/server pair on one clock with a lossy in-memory link (quinn's Pair, h11's ConnectionPair).
import { CoapEndpoint, type CoapEndpointOptions, type EndpointEvent, type Transmit } from "../../../src/coap/endpoint.js";
import type { RandomSource } from "../../../src/platform/random.js";
import { decodeMessage } from "../../../src/coap/decode.js";
import type { CoapMessage } from "../../../src/coap/message.js";

export function seededRandom(seed = 1): RandomSource {
  let s = seed >>> 0 || 1;
  return { fill(bytes: Uint8Array) { for (let i = 0; i < bytes.length; i++) { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; bytes[i] = s & 0xff; } } };
}

export function endpoint(seed = 1, options: Partial<CoapEndpointOptions> = {}): CoapEndpoint {
  return new CoapEndpoint({ random: seededRandom(seed), ...options });
}

export function transmits(ep: CoapEndpoint): Transmit[] {
  const out: Transmit[] = [];
  for (let t = ep.pollTransmit(); t !== undefined; t = ep.pollTransmit()) out.push(t);
  return out;
}

export function sent(ep: CoapEndpoint): CoapMessage[] {
  return transmits(ep).map((t) => decodeMessage(t.bytes));
}

export function events(ep: CoapEndpoint): EndpointEvent[] {
  const out: EndpointEvent[] = [];
  for (let e = ep.pollEvent(); e !== undefined; e = ep.pollEvent()) out.push(e);
  return out;
}

export interface Pair {
  readonly client: CoapEndpoint;
  readonly server: CoapEndpoint;
  now: number;
  /** Every datagram that crossed the link, in order, with its direction. */
  readonly log: { at: number; from: "client" | "server"; msg: CoapMessage }[];
  /** Decides per datagram whether it is lost. */
  drop: (from: "client" | "server", msg: CoapMessage) => boolean;
  /** Events of each side, in order, as the driver pulled them. */
  readonly clientEvents: EndpointEvent[];
  readonly serverEvents: EndpointEvent[];
  /** Called for each server event (e.g. to respond); default answers requests with 2.05 "ok". */
  onServerEvent: (e: EndpointEvent) => void;
}

export function pair(seed = 7, options: Partial<CoapEndpointOptions> = {}): Pair {
  const p: Pair = {
    client: endpoint(seed, options), server: endpoint(seed + 1000, options), now: 0, log: [],
    drop: () => false, clientEvents: [], serverEvents: [],
    onServerEvent: (e) => { if (e.kind === "request") e.respond({ code: 0x45, payload: Uint8Array.of(0x6f, 0x6b) }); },
  };
  return p;
}

/** Moves datagrams and events until both sides are idle at `p.now`. */
export function settle(p: Pair): void {
  for (let guard = 0; guard < 10_000; guard++) {
    let moved = false;
    for (const [from, src, dst] of [["client", p.client, p.server], ["server", p.server, p.client]] as const) {
      for (const t of transmits(src)) {
        moved = true;
        const msg = decodeMessage(t.bytes);
        p.log.push({ at: p.now, from, msg });
        if (!p.drop(from, msg)) dst.handleDatagram(p.now, t.bytes);
      }
    }
    for (let e = p.client.pollEvent(); e !== undefined; e = p.client.pollEvent()) { moved = true; p.clientEvents.push(e); }
    for (let e = p.server.pollEvent(); e !== undefined; e = p.server.pollEvent()) { moved = true; p.serverEvents.push(e); p.onServerEvent(e); }
    if (!moved) return;
  }
  throw new Error("settle: still busy after 10000 rounds");
}

/** Runs timers and the link on virtual time until nothing is scheduled or `limitMs` passes. */
export function run(p: Pair, limitMs = 1_000_000): void {
  const end = p.now + limitMs;
  settle(p);
  for (let step = 0; step < 10_000; step++) {
    const next = [p.client.pollTimeout(), p.server.pollTimeout()].filter((t): t is number => t !== undefined);
    if (next.length === 0) return;
    const at = Math.min(...next);
    if (at > end) return;
    p.now = Math.max(p.now, at);
    p.client.handleTimeout(p.now);
    p.server.handleTimeout(p.now);
    settle(p);
  }
  throw new Error("run: still busy after 10000 steps");
}
