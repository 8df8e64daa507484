// CoapEndpoint: a sans-IO CoAP endpoint (RFC 7252, 7959) with OpenThread's behaviour
// (spec coaps-cli.md §3.11, §5, §6, §7). It owns no socket and no timer.
//
// API (quinn-style: handle* for input, poll* for output, every input takes `now` in ms):
//   const ep = new CoapEndpoint({ random, maxMessageSize: 900 });
//   ep.registerResource("test-resource", { block2?: (num, size, peer) => ({ bytes, more }) });
//   ep.registerResource("sensor", { observable: true, maxAge?: 60, linkAttributes?: ['rt="x"'] });
//   ep.unregisterResource("test-resource", now?);  // with now, its observers get a last 4.04
//   ep.notifyObservers(now, "sensor", { code, payload?, options? }, { confirmable? })  → observers reached
//   const obs = ep.observe(now, { path: "sensor", confirmable?, peer? });  // GET with Observe=0
//   ep.cancelObservation(now, obs, "deregister" | "forget");
//   const id = ep.request(now, { method: "GET", path: "a/b", confirmable: true,
//                                payload?, peer?, blockSize?, blockSource? });
//   ep.handleDatagram(now, bytes, peer?)   // one decrypted CoAP datagram; never throws
//   ep.handleTimeout(now)                  // early calls are no-ops
//   ep.abortAll(peer?)                     // the session went down: each pending request and
//                                          // observation fails with Abort, its observers go
//   ep.pollTransmit()  → { peer, bytes } | undefined      (drain after every call above)
//   ep.pollTimeout()   → absolute ms | undefined          (arm one timer for it)
//   ep.pollEvent()     → EndpointEvent | undefined        (drain; see endpoint-types.ts)
// Events: "request" (a registered resource was asked; answer with event.respond({ code,
// payload?, options? }) now or later), "responseSent" (`coaps response sent`), "response"
// (final response of request `requestId`, any code), "requestFailed" ("ResponseTimeout" |
// "Abort"), "blockSent" / "blockReceived" (the `send block` / `received block` lines),
// "notification" (observation `requestId` got a new state), "observerAdded" / "observerRemoved" /
// "notificationAcked" (server side of RFC 7641, see observe.ts).
//
// Theory of operation. handleDatagram decodes and dispatches on (type, code class), as
// aiocoap's message layer does:
//   - unparseable: a Reset when RFC 7252 §4.2 says so (a CON with a readable header), else dropped;
//   - empty CON (ping): Reset; empty NON: dropped; empty ACK/RST: to the observers (answers to
//     notifications), else to the client exchanges;
//   - request (0.xx) as CON/NON: to the resource server; as ACK/RST: dropped;
//   - response (2.xx–5.xx): ACK/RST matched by Message ID, CON/NON by token (spec §7.3);
//   - reserved classes 1, 6, 7: Reset for a CON, else dropped.
// Message IDs come from one node-wide counter (random start, +1 per new CON/NON message);
// ACKs and RSTs reuse the ID they answer. The client half lives in exchanges.ts, the server
// half in server.ts (duplicates: dedup.ts; Block1 reassembly: blockwise.ts).
import { decodeMessage } from "./decode.js";
import { encodeMessage } from "./encode.js";
import { CoapParseError, parseErrorAction } from "./errors.js";
import type { CoapMessage } from "./message.js";
import { emptyMessage } from "./message.js";
import { CoapType } from "./numbers.js";
import { ClientExchanges } from "./exchanges.js";
import { ResourceServer } from "./server.js";
import type { EndpointContext } from "./endpoint-context.js";
import type {
  CoapEndpointOptions, EndpointEvent, NotifyOptions, ObserveOptions, PeerKey, RequestId, RequestOptions, ResourceOptions,
  ResponseSpec, Transmit,
} from "./endpoint-types.js";
import { DEFAULT_CONFIRMABLE_EVERY, DEFAULT_MAX_OBSERVERS } from "./observe.js";
import { randomUint16 } from "../platform/random.js";
import type { RandomSource } from "../platform/random.js";
import type { ByteAllocator } from "../bytes/alloc.js";

export type * from "./endpoint-types.js";

export class CoapEndpoint {
  readonly #random: RandomSource;
  readonly #maxMessageSize: number;
  readonly #allocate: ByteAllocator | undefined;
  #messageId: number;
  #transmits: Transmit[] = [];
  #events: EndpointEvent[] = [];
  readonly #client: ClientExchanges;
  readonly #server: ResourceServer;

  constructor(options: CoapEndpointOptions) {
    this.#random = options.random;
    this.#maxMessageSize = options.maxMessageSize ?? 900;
    this.#allocate = options.allocate;
    this.#messageId = randomUint16(options.random);
    const ctx: EndpointContext = {
      random: this.#random,
      pathEncoding: options.pathEncoding ?? "utf8",
      maxMessageSize: this.#maxMessageSize,
      nextMessageId: () => { const id = this.#messageId; this.#messageId = (id + 1) & 0xffff; return id; },
      send: (peer, msg) => this.#send(peer, msg),
      resend: (peer, bytes) => { this.#transmits.push({ peer, bytes }); },
      emit: (event) => { this.#events.push(event); },
    };
    this.#client = new ClientExchanges(ctx, options.maxReassemblySize ?? 65536);
    this.#server = new ResourceServer(ctx, {
      maxReassemblySize: options.maxReassemblySize ?? 65536,
      wellKnownCore: options.wellKnownCore ?? false,
      observe: {
        confirmableEvery: options.notificationConfirmableEvery ?? DEFAULT_CONFIRMABLE_EVERY,
        firstSequence: options.firstObserveSequence ?? 0,
        maxObservers: options.maxObservers ?? DEFAULT_MAX_OBSERVERS,
      },
    });
  }

  registerResource(path: string, options?: ResourceOptions): void {
    this.#server.register(path, options);
  }

  /**
   * Removes a resource. Its observers get a final 4.04 notification when `now` is given
   * (RFC 7641 §3.2); without it they are dropped silently and learn of it only when their
   * Max-Age runs out and they re-register (§3.3.1), to a 4.04.
   */
  unregisterResource(path: string, now?: number): boolean {
    return this.#server.unregister(path, now);
  }

  /**
   * Sends the new state of observable resource `path` to each of its observers and returns how
   * many there are. A 2.xx response carries the next Observe value; any other code ends the
   * observations (RFC 7641 §4.2). NON or CON as `notificationConfirmableEvery` says (§4.5).
   */
  notifyObservers(now: number, path: string, response: ResponseSpec, options: NotifyOptions = {}): number {
    return this.#server.observers.notify(now, path, response, options.confirmable === true);
  }

  /** Current observers of `path` (or of every resource). */
  observerCount(path?: string): number {
    return this.#server.observers.count(path);
  }

  /**
   * Observes `path` (RFC 7641 §3.1: a GET with Observe=0) and returns the observation's id.
   * Events: "notification" for each state, then "response" or "requestFailed" when it ends.
   */
  observe(now: number, options: ObserveOptions): RequestId {
    return this.#client.start(now, {
      method: "GET", path: options.path, confirmable: options.confirmable ?? true,
      ...(options.peer !== undefined ? { peer: options.peer } : {}),
    }, true);
  }

  /**
   * Ends observation `id`. "deregister" (default, §3.6) sends a GET with Observe=1 and the same
   * token; its answer comes as the observation's final "response". "forget" drops it at once
   * with no event; the next notification is answered with a Reset (§3.6). False when `id` is
   * not an observation in progress.
   */
  cancelObservation(now: number, id: RequestId, how: "deregister" | "forget" = "deregister"): boolean {
    return this.#client.cancelObservation(now, id, how);
  }

  /** Sends a request and returns its id; a NON PUT/POST/DELETE gets no further events. */
  request(now: number, options: RequestOptions): RequestId {
    return this.#client.start(now, options);
  }

  handleDatagram(now: number, bytes: Uint8Array, peer: PeerKey = ""): void {
    let msg: CoapMessage;
    try {
      msg = decodeMessage(bytes);
    } catch (err) {
      if (err instanceof CoapParseError && parseErrorAction(err) === "reset") this.#send(peer, emptyMessage(CoapType.RST, err.messageId!));
      return;
    }
    const cls = msg.code >> 5;
    if (msg.code === 0) {
      if (msg.type === CoapType.CON) this.#send(peer, emptyMessage(CoapType.RST, msg.messageId));
      else if (msg.type === CoapType.ACK || msg.type === CoapType.RST) {
        // One Message ID counter for both halves: an ID answers a notification or a request, never both.
        if (!this.#server.observers.handleAckOrReset(now, peer, msg)) this.#client.handleAckOrReset(now, peer, msg);
      }
    } else if (cls === 0) {
      if (msg.type === CoapType.CON || msg.type === CoapType.NON) this.#server.handleRequest(now, peer, msg);
    } else if (cls >= 2 && cls <= 5) {
      if (msg.type === CoapType.ACK || msg.type === CoapType.RST) this.#client.handleAckOrReset(now, peer, msg);
      else this.#client.handleSeparateResponse(now, peer, msg);
    } else if (msg.type === CoapType.CON) {
      this.#send(peer, emptyMessage(CoapType.RST, msg.messageId));
    }
  }

  handleTimeout(now: number): void {
    this.#client.handleTimeout(now);
    this.#server.observers.handleTimeout(now);
  }

  /** The session went down: pending requests end with Abort; server state for the peer is dropped. */
  abortAll(peer?: PeerKey): void {
    this.#client.abortAll(peer);
    this.#server.clear(peer);
  }

  pollTransmit(): Transmit | undefined {
    return this.#transmits.shift();
  }

  pollTimeout(): number | undefined {
    const client = this.#client.pollTimeout();
    const observers = this.#server.observers.pollTimeout();
    if (client === undefined) return observers;
    return observers === undefined ? client : Math.min(client, observers);
  }

  pollEvent(): EndpointEvent | undefined {
    return this.#events.shift();
  }

  /** Outstanding requests that still wait for an answer, and observations in progress. */
  get pendingRequests(): number {
    return this.#client.pending;
  }

  #send(peer: PeerKey, msg: CoapMessage): Uint8Array | undefined {
    const bytes = encodeMessage(msg, Infinity, this.#allocate);
    if (bytes.length > this.#maxMessageSize) return undefined; // spec §8.5: dropped silently
    this.#transmits.push({ peer, bytes });
    return bytes;
  }
}
