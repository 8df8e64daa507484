// The CoAP half of the agent: a CoapEndpoint over the one DTLS session, with the CLI's one
// resource (§5), OpenThread's block hooks (§7.4) and its request/response lines (§4).
//
// Extensions (docs/coaps-shell.md "Observe and /.well-known/core"): the resource is observable
// (RFC 7641) and `coaps set` notifies its observers; `observe`/`cancel` run one observation as
// a client; GET /.well-known/core is answered by the endpoint (RFC 6690). The lines they print
// are those of OpenThread's plain `coap` CLI (cli_coap.cpp) with `coaps` for `coap`. None of
// them can appear unless a peer sends Observe or asks for /.well-known/core, so every
// OpenThread transcript stays as it is.
//
// Sans-IO like the endpoint under it: the agent core hands it decrypted records, the time and
// when the session goes down; it hands the host CoAP messages to encrypt and the events to
// print, and reports its next deadline (none while paused: during the 2 s teardown guard
// nothing is sent, and pending requests abort when the guard ends, right before
// `coaps disconnected`).

import type { RandomSource } from "../platform/random.js";
import type { ByteAllocator } from "../bytes/alloc.js";
import { CoapCode, CoapEndpoint, CoapType, getObserve, type BlockChunk, type EndpointEvent, type RequestId } from "../coap/index.js";
import { BlockCounter } from "./block-counter.js";
import { OtError } from "./ot-error.js";
import type { AgentEvent, RequestSpec } from "./types.js";

/** spec §8.5: DTLS record payload limit (no TCAT); bigger CoAP messages are dropped on send. */
export const RECORD_PAYLOAD_LIMIT = 900;

/**
 * Largest Block1 body the resource reassembles; more is answered 4.13 (RFC 7959 §2.9.3).
 * A device gives JS about 150 KB and the body is also printed as hex (twice its size), so
 * the endpoint's library default (64 KB) would let one peer exhaust the heap.
 */
export const REASSEMBLY_LIMIT = 8192;

/** Default of `notificationConfirmableEvery`: every 5th notification is CON (libcoap's COAP_OBS_MAX_NON). */
export const DEFAULT_NOTIFICATION_CONFIRMABLE_EVERY = 5;

export interface CoapResourceHost {
  /**
   * One CoAP message for the session (dropped when it is not connected). OtError.None once DTLS
   * took it, else why the DTLS write failed (send-error.ts).
   */
  send(now: number, bytes: Uint8Array): OtError;
  emit(event: AgentEvent): void;
  /** The session peer's address as printed (§6.2). */
  peer(): string;
}

export class CoapResource {
  readonly #random: RandomSource;
  readonly #host: CoapResourceHost;
  readonly #endpoint: CoapEndpoint;
  /** The node's block count and OpenThread's node-wide block counter (§2.2, §7.4). */
  readonly blocks: BlockCounter;
  #uri: string | undefined;
  #paused = false;
  #content: Uint8Array = new Uint8Array([0x30]);
  /** The one `coaps observe` observation, as in OpenThread's plain `coap` CLI. */
  #observation: { readonly id: RequestId; readonly uri: string } | undefined;
  /** Lines that OpenThread prints after the request line but the endpoint reports before it. */
  #afterRequest: AgentEvent[] = [];
  /** The message DTLS refused last, and why: its responseSent event prints the error instead. */
  #refused: Uint8Array | undefined;
  #refusedError: OtError = OtError.None;

  /**
   * `blocks`: shared by every server slot's resource, as the counter is node-wide.
   * `notificationConfirmableEvery`: every n-th notification to an observer goes CON.
   * `allocate`: where encoded messages' bytes come from (default one ArrayBuffer each).
   */
  constructor(random: RandomSource, host: CoapResourceHost, blocks: BlockCounter = new BlockCounter(),
    notificationConfirmableEvery = DEFAULT_NOTIFICATION_CONFIRMABLE_EVERY, allocate?: ByteAllocator) {
    this.#random = random;
    this.#host = host;
    this.blocks = blocks;
    // Paths are the console's bytes as typed (one char per byte), sent and matched unchanged (§3.7).
    this.#endpoint = new CoapEndpoint({
      random,
      maxMessageSize: RECORD_PAYLOAD_LIMIT,
      maxReassemblySize: REASSEMBLY_LIMIT,
      pathEncoding: "bytes",
      wellKnownCore: true,
      notificationConfirmableEvery,
      ...(allocate !== undefined ? { allocate } : {}),
    });
  }

  /** The resource's URI path, undefined until `coaps resource <uri>` (§3.7). */
  get uri(): string | undefined { return this.#uri; }

  /** What the resource returns to GET (§3.6). */
  get content(): Uint8Array { return this.#content; }

  /**
   * `coaps set`: the new content, sent to every observer of the resource. Not during the
   * teardown guard: nothing can be sent then, and the observers go when it ends.
   */
  setContent(now: number, content: Uint8Array): void {
    this.#content = content;
    if (this.#uri === undefined || this.#paused) return;
    const reached = this.#endpoint.notifyObservers(now, this.#uri, { code: CoapCode.CONTENT, payload: content });
    // One session, so one peer: OpenThread prints this line before each notification it sends.
    for (let i = 0; i < reached; i++) this.#host.emit({ kind: "notificationSent", peer: this.#host.peer() });
    this.#pump(now);
  }

  /**
   * Registers the one resource, or renames it in place: the old path answers 4.04 at once, and
   * its observers get a last 4.04 notification (RFC 7641 §3.2), which ends their observation.
   */
  setUri(now: number, uri: string): void {
    if (this.#uri !== undefined) this.#endpoint.unregisterResource(this.#uri, now);
    this.#uri = uri;
    // No `etag`: OpenThread's resource sends none, so an If-Match with a value can never match
    // (4.12) and only an empty one ("the resource exists") lets the request through. Requests the
    // endpoint refuses (4.02, 5.05, 4.12, like 4.04) never reach #onEvent and print nothing.
    this.#endpoint.registerResource(uri, { block2: (num, size) => this.#nextBlock(num, size), observable: true });
    this.#pump(now);
  }

  /** `coaps observe`: a new observation replaces the old one silently, as in OpenThread (no cancel sent). */
  observe(now: number, uri: string, confirmable: boolean): void {
    if (this.#observation !== undefined) this.#endpoint.cancelObservation(now, this.#observation.id, "forget");
    this.#observation = { id: this.#endpoint.observe(now, { path: uri, confirmable }), uri };
    this.#pump(now);
  }

  /**
   * `coaps cancel`: the GET with Observe=1 goes out and its answer prints as a response line.
   * InvalidState without an observation, InvalidArgs for another URI than the observed one.
   */
  cancel(now: number, uri: string | undefined): OtError {
    const o = this.#observation;
    if (o === undefined) return OtError.InvalidState;
    if (uri !== undefined && uri !== o.uri) return OtError.InvalidArgs;
    this.#observation = undefined;
    this.#endpoint.cancelObservation(now, o.id, "deregister");
    this.#pump(now);
    return OtError.None;
  }

  request(now: number, spec: RequestSpec): void {
    // Absent and undefined are the same to the endpoint: one object, no spreads per request.
    this.#endpoint.request(now, {
      method: spec.method,
      path: spec.uriPath,
      confirmable: spec.confirmable,
      payload: spec.payload,
      blockSize: spec.block,
      blockSource: spec.block === undefined ? undefined : (num: number, size: number) => this.#nextBlock(num, size),
    });
    this.#pump(now);
  }

  handleRecord(now: number, record: Uint8Array): void {
    this.#endpoint.handleDatagram(now, record);
    this.#pump(now);
  }

  /** Retransmissions and timeouts that are due; early calls and calls while paused do nothing. */
  handleTimeout(now: number): void {
    if (this.#paused) return;
    this.#endpoint.handleTimeout(now);
    this.#pump(now);
  }

  /** When handleTimeout is next due; undefined while paused. */
  pollTimeout(): number | undefined {
    return this.#paused ? undefined : this.#endpoint.pollTimeout();
  }

  /** The session is tearing down: no retransmissions or timeouts until abortAll. */
  pause(): void {
    this.#paused = true;
  }

  /** The session is gone: each pending request prints Abort; server state is forgotten. */
  abortAll(now: number): void {
    this.#endpoint.abortAll();
    this.#paused = false;
    this.#pump(now);
  }

  /**
   * OpenThread's block transmit hook (§7.4) as the endpoint's block source, for served Block2
   * blocks and sent Block1 blocks alike. Block 0 always says more=1; it prints at once.
   */
  #nextBlock(num: number, size: number): BlockChunk {
    const { block, more } = this.blocks.next(this.#random, size, (e) => this.#host.emit(e));
    return { bytes: block, more: num === 0 ? true : more };
  }

  /** After every endpoint input: ship its messages and print its events. */
  #pump(now: number): void {
    const ep = this.#endpoint;
    for (let t = ep.pollTransmit(); t !== undefined; t = ep.pollTransmit()) {
      const error = this.#host.send(now, t.bytes);
      if (error !== OtError.None) { this.#refused = t.bytes; this.#refusedError = error; }
    }
    for (let e = ep.pollEvent(); e !== undefined; e = ep.pollEvent()) this.#onEvent(now, e);
    this.#flushAfterRequest();
  }

  #flushAfterRequest(): void {
    const lines = this.#afterRequest;
    if (lines.length === 0) return;
    this.#afterRequest = [];
    for (const e of lines) this.#host.emit(e);
  }

  /** The observation ended (final answer or failure): `coaps cancel` has nothing left to cancel. */
  #ended(requestId: RequestId): void {
    if (this.#observation?.id === requestId) this.#observation = undefined;
  }

  #onEvent(now: number, e: EndpointEvent): void {
    const host = this.#host;
    switch (e.kind) {
      case "request": {
        const observe = e.method === "GET" ? getObserve(e.message.options) : undefined;
        host.emit({
          kind: "request", peer: host.peer(), method: e.method, payload: e.method === "Undefined" ? new Uint8Array(0) : e.payload,
          ...(observe !== undefined ? { observe } : {}),
        });
        this.#flushAfterRequest();
        // spec §5: CON requests and every GET are answered; NON PUT/POST/DELETE and unknown methods are not.
        if (e.method === "GET") e.respond({ code: CoapCode.CONTENT, payload: this.#content });
        else if (e.method !== "Undefined" && e.type === CoapType.CON) e.respond({ code: CoapCode.VALID });
        this.#pump(now);
        return;
      }
      case "responseSent":
        // A response over the record limit is dropped after this line, as OpenThread does (§7.4);
        // one that DTLS refused prints OpenThread's error line instead (§4).
        if (e.bytes !== undefined && e.bytes === this.#refused) {
          this.#refused = undefined;
          host.emit({ kind: "sendResponseError", error: this.#refusedError });
        } else host.emit({ kind: "responseSent" });
        return;
      case "response":
        this.#ended(e.requestId);
        host.emit({ kind: "response", peer: host.peer(), payload: e.payload });
        return;
      case "notification":
        host.emit({ kind: "response", peer: host.peer(), payload: e.payload, observe: e.sequence });
        return;
      case "requestFailed":
        this.#ended(e.requestId);
        host.emit({ kind: "responseError", error: e.reason === "Abort" ? OtError.Abort : OtError.ResponseTimeout });
        return;
      case "observerAdded":
        host.emit({ kind: "subscribed" });
        return;
      case "notificationAcked":
        host.emit({ kind: "notificationAcked", peer: host.peer() });
        return;
      case "observerRemoved":
        // A GET with Observe=1 is reported after the removal it caused; OpenThread prints the
        // request line first. An unacknowledged CON notification ends it as OpenThread's does.
        if (e.reason === "timeout") host.emit({ kind: "notificationFailed", error: OtError.ResponseTimeout });
        if (e.reason === "cancel") this.#afterRequest.push({ kind: "unsubscribed", peer: host.peer() });
        else host.emit({ kind: "unsubscribed", peer: host.peer() });
        return;
      case "blockReceived":
        // Client side only: OpenThread's receive hook prints Num = position / length (§7.4).
        if (e.role === "client") {
          const length = e.bytes.length;
          host.emit({ kind: "receivedBlock", num: length > 0 ? Math.floor((e.num * e.size) / length) : e.num, block: e.bytes });
        }
        return;
      case "blockSent":
        return; // printed by #nextBlock as the block is made
    }
  }
}
