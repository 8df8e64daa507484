// ServerSlot: one of the up to n accepted DTLS peers of `coaps sessions <n>` (n > 1), sans-IO
// like the core that owns it. It holds the peer's DtlsSession, the peer, its own 2 s guard and
// its own CoAP endpoint (message IDs, duplicate detection and Block2 state are per peer); the
// resource's path, content and block counter are the node's and shared. Every state change is
// a row of the slot table in session-machine.ts.
//
// The slot keeps its CoapResource when it is freed and reuses it for the next peer, so a node
// that once held n peers holds n endpoints: that is the per-session heap cost that
// bench/xs/sessions-heap.bench.ts measures.

import type { RandomSource } from "../platform/random.js";
import type { DtlsSession, DtlsSessionEvent } from "../dtls/index.js";
import type { BlockCounter } from "./block-counter.js";
import { CoapResource } from "./coap-resource.js";
import { slotTransition, type SlotAction, type SlotEvent, type SlotState } from "./session-machine.js";
import { OtError } from "./ot-error.js";
import { sendRecord } from "./send-error.js";
import type { AgentEvent, RequestSpec } from "./types.js";
import type { ByteAllocator } from "../bytes/alloc.js";

export interface SlotPeer { readonly address: string; readonly port: number }

/** What a slot needs from the core: the shared output queues, the node's settings. */
export interface ServerSlotHost {
  readonly random: RandomSource;
  readonly blocks: BlockCounter;
  readonly guardMs: number;
  transmit(address: string, port: number, bytes: Uint8Array): void;
  emit(event: AgentEvent): void;
  useAttempt(): void;
  /** The node's resource path (undefined before `coaps resource <uri>`) and content. */
  resourceUri(): string | undefined;
  content(): Uint8Array;
  /** Observe: every n-th notification to an observer goes CON (undefined: the default). */
  readonly notificationConfirmableEvery: number | undefined;
  /** Where encoded messages' bytes come from (undefined: one ArrayBuffer each). */
  readonly allocate: ByteAllocator | undefined;
}

export class ServerSlot {
  readonly #host: ServerSlotHost;
  #state: SlotState = "free";
  #session: DtlsSession<SlotPeer> | undefined;
  #peer: SlotPeer | undefined;
  #guardUntil: number | undefined;
  #coap: CoapResource | undefined;
  /** Order of acceptance: requests typed on the console go to the oldest connected peer. */
  acceptedSeq = 0;

  constructor(host: ServerSlotHost) {
    this.#host = host;
  }

  get state(): SlotState { return this.#state; }
  get busy(): boolean { return this.#state !== "free"; }

  /** True when datagrams from `peer` are this slot's (also during its guard, to ignore them). */
  holds(peer: SlotPeer): boolean {
    const p = this.#peer;
    return this.#state !== "free" && p !== undefined && p.address === peer.address && p.port === peer.port;
  }

  /** The listener's session accepted `peer`: it moves in, and its queued output is drained. */
  accept(now: number, session: DtlsSession<SlotPeer>, peer: SlotPeer, seq: number): void {
    this.#dispatch(now, "accepted", { session, peer });
    this.acceptedSeq = seq;
    this.#drain(now);
  }

  handleDatagram(now: number, from: SlotPeer, bytes: Uint8Array, id: Uint8Array): void {
    const session = this.#session;
    if (session === undefined || this.#state === "disconnecting") return; // §8.4, per peer
    session.handleDatagram(now, from, bytes, id);
    this.#drain(now);
  }

  handleTimeout(now: number): void {
    if (this.#guardUntil !== undefined && now >= this.#guardUntil) this.#dispatch(now, "guardExpired");
    this.#session?.handleTimeout(now);
    this.#drain(now);
    this.#coap?.handleTimeout(now);
    this.#drain(now);
  }

  pollTimeout(): number | undefined {
    return earliest(earliest(this.#guardUntil, this.#session?.pollTimeout()), this.#coap?.pollTimeout());
  }

  disconnect(now: number): void { this.#dispatch(now, "disconnect"); this.#drain(now); }
  shutdown(now: number): void { this.#dispatch(now, "shutdown"); this.#drain(now); }

  /** A console request to this slot's peer; the caller checked that it is connected. */
  request(now: number, spec: RequestSpec): void {
    this.#resource(now).request(now, spec);
    this.#drain(now);
  }

  /** `coaps observe` to this slot's peer; the caller checked that it is connected. */
  observe(now: number, uriPath: string, confirmable: boolean): void {
    this.#resource(now).observe(now, uriPath, confirmable);
    this.#drain(now);
  }

  cancel(now: number, uriPath: string | undefined): OtError {
    const result = this.#resource(now).cancel(now, uriPath);
    this.#drain(now);
    return result;
  }

  /** The node's resource path or content changed: the slot's endpoint follows, and notifies its observers. */
  setResourceUri(now: number, uri: string): void {
    if (this.#coap === undefined) return;
    this.#coap.setUri(now, uri);
    this.#drain(now);
  }

  setContent(now: number, content: Uint8Array): void {
    if (this.#coap === undefined) return;
    this.#coap.setContent(now, content);
    this.#drain(now);
  }

  #dispatch(now: number, event: SlotEvent, payload?: { session: DtlsSession<SlotPeer>; peer: SlotPeer } | DtlsSessionEvent<SlotPeer>): void {
    const t = slotTransition(this.#state, event);
    this.#state = t.next;
    for (const action of t.actions) this.#act(now, action, payload);
  }

  #act(now: number, action: SlotAction, payload: { session: DtlsSession<SlotPeer>; peer: SlotPeer } | DtlsSessionEvent<SlotPeer> | undefined): void {
    switch (action) {
      case "adoptSession":
        if (payload !== undefined && "session" in payload) { this.#session = payload.session; this.#peer = payload.peer; }
        return;
      case "useAttempt": this.#host.useAttempt(); return;
      case "emitConnected": this.#host.emit({ kind: "connected" }); return;
      case "deliverRecord":
        if (payload !== undefined && "kind" in payload && payload.kind === "data") this.#resource(now).handleRecord(now, payload.bytes);
        return;
      case "dropSession": {
        const session = this.#session;
        this.#session = undefined;
        if (session !== undefined) { session.close(now); this.#takeTransmits(session); }
        return;
      }
      case "releaseSession": this.#session = undefined; return;
      case "enterGuard": this.#guardUntil = now + this.#host.guardMs; this.#coap?.pause(); return;
      case "finishGuard":
        this.#guardUntil = undefined;
        this.#coap?.abortAll(now);
        this.#peer = undefined;
        this.#host.emit({ kind: "disconnected" });
        return;
      case "forget":
        this.#guardUntil = undefined;
        this.#peer = undefined;
        this.#coap = undefined; // paused requests of a closing app are dropped with it
        return;
    }
  }

  /** The slot's session: datagrams out, events through the slot table, in order. */
  #drain(now: number): void {
    for (;;) {
      const session = this.#session;
      if (session === undefined) return;
      this.#takeTransmits(session);
      const e = session.pollEvent();
      if (e === undefined) return;
      switch (e.kind) {
        case "accepted": this.#dispatch(now, "accepted", e); break;
        case "connected": this.#dispatch(now, "handshakeDone", e); break;
        case "data": this.#dispatch(now, "record", e); break;
        case "closed": this.#dispatch(now, "sessionEnded", e); break;
      }
    }
  }

  #takeTransmits(session: DtlsSession<SlotPeer>): void {
    for (let t = session.pollTransmit(); t !== undefined; t = session.pollTransmit()) {
      this.#host.transmit(t.to.address, t.to.port, t.bytes);
    }
  }

  /** The slot's CoAP endpoint, made on first use and kept for the slot's next peers. */
  #resource(now: number): CoapResource {
    if (this.#coap !== undefined) return this.#coap;
    const host = this.#host;
    const coap = new CoapResource(host.random, {
      send: (t, bytes) => this.#sendRecord(t, bytes),
      emit: (event) => host.emit(event),
      peer: () => this.#peer?.address ?? "",
    }, host.blocks, host.notificationConfirmableEvery, host.allocate);
    const uri = host.resourceUri();
    if (uri !== undefined) coap.setUri(now, uri);
    coap.setContent(now, host.content()); // a new endpoint: no observer to notify yet
    this.#coap = coap;
    return coap;
  }

  #sendRecord(now: number, bytes: Uint8Array): OtError {
    return sendRecord(this.#session, this.#state === "connected", now, bytes);
  }
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined || a <= b ? a : b;
}
