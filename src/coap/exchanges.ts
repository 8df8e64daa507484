// Client side of the endpoint: outstanding requests, CON retransmission, response matching
// (spec §7.2, §7.3) and the client half of block-wise transfer (§7.4, RFC 7959).
//
// A response with a critical option the client does not recognise (critical.ts) is rejected,
// RFC 7252 §5.4.1 and §4.2: a piggy-backed one in an ACK and a NON one are silently ignored (the
// request goes on as if nothing came: retransmissions, then ResponseTimeout), a CON one gets a
// Reset.
//
// Each request is one Exchange that lives until its final response, a Reset, a timeout or an
// abort. A block-wise request sends one message per block; each block message gets a fresh
// Message ID and its own retransmission schedule, and keeps the request's token.
//
// An observation (RFC 7641 §3) is an Exchange whose GET carries Observe=0. Every 2.xx answer
// with an Observe option is a notification: it is reported when it is newer than the last one
// (§3.4), and the exchange then waits without a deadline. An answer without Observe, or not
// 2.xx, ends it as a final response. Cancelling sends the same GET with Observe=1 (§3.6) as a
// new message of the exchange; until its answer comes, late notifications are dropped.
import type { CoapMessage } from "./message.js";
import { EMPTY_BYTES, bytesEqual, emptyMessage } from "./message.js";
import { CoapCode, CoapOptionNumber, CoapType, TRANSMISSION } from "./numbers.js";
import { addOption, blockSize, encodePath, getBlock1, getBlock2, getObserve, setBlock1, setBlock2, setObserve, szxOfSize } from "./options.js";
import { OBSERVE_SEQUENCE_MASK, isFresherNotification } from "./observe.js";
import type { BlockSource, PeerKey, RequestId, RequestMethod, RequestOptions } from "./endpoint-types.js";
import type { EndpointContext } from "./endpoint-context.js";
import { RESPONSE_CRITICAL, unrecognisedCritical } from "./critical.js";
import { randomInt } from "../platform/random.js";

const METHOD_CODES: Readonly<Record<RequestMethod, number>> = Object.freeze({ GET: CoapCode.GET, POST: CoapCode.POST, PUT: CoapCode.PUT, DELETE: CoapCode.DELETE });
/** After MAX_RETRANSMIT doublings the last wait ends at (2^(MAX_RETRANSMIT+1) − 1)·T0 = 31·T0. */
const GIVE_UP_FACTOR = (1 << (TRANSMISSION.MAX_RETRANSMIT + 1)) - 1;
/** Block numbers are 20 bits (RFC 7959 §2.2); a peer announcing more past that ends the transfer. */
const MAX_BLOCK_NUM = 0xfffff;

interface Block1State {
  szx: number;
  num: number;
  more: boolean;
  readonly source: BlockSource | undefined;
  readonly body: Uint8Array;
}

interface ObservationState {
  registered: boolean;
  /** Observe value and arrival time of the last notification reported. */
  sequence: number;
  receivedAt: number;
  /** A GET with Observe=1 is on its way. */
  cancelling: boolean;
}

interface Exchange {
  readonly id: RequestId;
  readonly peer: PeerKey;
  readonly code: number;
  readonly confirmable: boolean;
  readonly token: Uint8Array;
  /** The Uri-Path option values, encoded once for every message of the exchange. */
  readonly uriPath: readonly Uint8Array[];
  messageId: number;
  bytes: Uint8Array | undefined;
  acked: boolean;
  retransmits: number;
  interval: number;
  retransmitAt: number;
  deadline: number;
  /** Block-wise GET: the SZX of the next Block2 request. */
  block2Szx: number | undefined;
  block1: Block1State | undefined;
  readonly observe: ObservationState | undefined;
}

export class ClientExchanges {
  readonly #ctx: EndpointContext;
  #exchanges: Exchange[] = [];
  #nextId = 1;
  /** The last request path with its Uri-Path values: a client mostly asks for the same path again. */
  #lastPath: { readonly path: string; readonly values: readonly Uint8Array[] } | undefined;

  constructor(ctx: EndpointContext) {
    this.#ctx = ctx;
  }

  get pending(): number {
    return this.#exchanges.length;
  }

  /** `observe`: a GET that registers an observation (Observe=0). */
  start(now: number, opts: RequestOptions, observe = false): RequestId {
    // A path that cannot be encoded is refused before any token, block or Message ID is used up.
    const uriPath = this.#uriPath(opts.path);
    const id = this.#nextId++;
    const peer = opts.peer ?? "";
    const szx = opts.blockSize === undefined ? undefined : szxOfSize(opts.blockSize);
    if (opts.blockSize !== undefined && szx === undefined) throw new RangeError(`invalid block size ${opts.blockSize}`);
    const code = METHOD_CODES[opts.method];
    const block = szx !== undefined;
    const ex: Exchange = {
      id, peer, code, confirmable: opts.confirmable || block, token: this.#newToken(peer), uriPath,
      messageId: 0, bytes: undefined, acked: false, retransmits: 0, interval: 0, retransmitAt: Infinity, deadline: Infinity,
      block2Szx: block && opts.method === "GET" ? szx : undefined,
      block1: block && opts.method !== "GET" ? { szx: szx!, num: 0, more: false, source: opts.blockSource, body: opts.payload ?? EMPTY_BYTES } : undefined,
      observe: observe ? { registered: false, sequence: 0, receivedAt: 0, cancelling: false } : undefined,
    };
    const payload = ex.block1 ? this.#nextBlock1(ex, ex.block1) : opts.payload ?? EMPTY_BYTES;
    const msg = this.#message(ex, payload);
    if (ex.block2Szx !== undefined) setBlock2(msg.options, { num: 0, more: false, szx: ex.block2Szx });
    // spec §3.11: only CON requests and GETs wait for an answer; NON PUT/POST/DELETE are fire-and-forget.
    const expectsResponse = ex.confirmable || opts.method === "GET";
    this.#transmit(now, ex, msg);
    if (expectsResponse) this.#exchanges.push(ex);
    return id;
  }

  /** ACK or RST, empty or piggy-backed: matched by Message ID, then token (spec §7.3). */
  handleAckOrReset(now: number, peer: PeerKey, msg: CoapMessage): void {
    const ex = this.#byMessageId(peer, msg.messageId);
    if (ex === undefined) return;
    if (msg.type === CoapType.RST) {
      if (msg.code === CoapCode.EMPTY) this.#fail(ex, "Abort");
      return;
    }
    if (msg.code === CoapCode.EMPTY) {
      // An empty ACK stops retransmission; the same deadline still covers the separate response.
      ex.acked = true;
      ex.retransmitAt = Infinity;
      return;
    }
    if (!bytesEqual(msg.token, ex.token)) return;
    if (unrecognisedCritical(msg.options, RESPONSE_CRITICAL) !== undefined) return;
    this.#onResponse(now, ex, msg);
  }

  /**
   * A separate (CON or NON) response, matched by token. A matched CON is acknowledged with an
   * empty ACK; an unmatched CON or NON is answered with a Reset (spec §6.3).
   */
  handleSeparateResponse(now: number, peer: PeerKey, msg: CoapMessage): void {
    const ex = this.#exchanges.find((e) => e.peer === peer && bytesEqual(e.token, msg.token));
    if (ex === undefined) {
      this.#ctx.send(peer, emptyMessage(CoapType.RST, msg.messageId));
      return;
    }
    if (unrecognisedCritical(msg.options, RESPONSE_CRITICAL) !== undefined) {
      if (msg.type === CoapType.CON) this.#ctx.send(peer, emptyMessage(CoapType.RST, msg.messageId));
      return;
    }
    if (msg.type === CoapType.CON) this.#ctx.send(peer, emptyMessage(CoapType.ACK, msg.messageId));
    this.#onResponse(now, ex, msg);
  }

  handleTimeout(now: number): void {
    for (const ex of [...this.#exchanges]) {
      if (now >= ex.deadline) { this.#fail(ex, "ResponseTimeout"); continue; }
      if (now >= ex.retransmitAt) {
        if (ex.bytes !== undefined) this.#ctx.resend(ex.peer, ex.bytes);
        ex.retransmits++;
        ex.interval *= 2;
        ex.retransmitAt = ex.retransmits < TRANSMISSION.MAX_RETRANSMIT ? ex.retransmitAt + ex.interval : Infinity;
      }
    }
  }

  /** See CoapEndpoint.cancelObservation. */
  cancelObservation(now: number, id: RequestId, how: "deregister" | "forget"): boolean {
    const ex = this.#exchanges.find((e) => e.id === id);
    if (ex?.observe === undefined || ex.observe.cancelling) return false;
    if (how === "forget") { this.#remove(ex); return true; }
    ex.observe.cancelling = true;
    this.#transmit(now, ex, this.#message(ex, EMPTY_BYTES));
    return true;
  }

  pollTimeout(): number | undefined {
    let next = Infinity;
    const exchanges = this.#exchanges;
    for (let i = 0; i < exchanges.length; i++) next = Math.min(next, exchanges[i]!.retransmitAt, exchanges[i]!.deadline);
    return next === Infinity ? undefined : next;
  }

  /** Ends every pending request (of one peer, or all) with Abort, in the order they were made. */
  abortAll(peer?: PeerKey): void {
    for (const ex of [...this.#exchanges]) if (peer === undefined || ex.peer === peer) this.#fail(ex, "Abort");
  }

  #onResponse(now: number, ex: Exchange, msg: CoapMessage): void {
    if (ex.observe !== undefined && this.#observeConsumed(now, ex, ex.observe, msg)) return;
    const block2 = ex.block2Szx !== undefined ? getBlock2(msg.options) : undefined;
    if (block2 !== undefined) {
      this.#ctx.emit({ kind: "blockReceived", peer: ex.peer, role: "client", requestId: ex.id, num: block2.num, size: blockSize(block2.szx), more: block2.more, bytes: msg.payload });
      if (block2.more && block2.num + 1 <= MAX_BLOCK_NUM) {
        // RFC 7959 §2.4: ask for the next block at the size the server chose.
        ex.block2Szx = Math.min(ex.block2Szx!, block2.szx);
        const next = this.#message(ex, EMPTY_BYTES);
        setBlock2(next.options, { num: block2.num + 1, more: false, szx: ex.block2Szx });
        this.#transmit(now, ex, next);
        return;
      }
    }
    const b1 = ex.block1;
    if (b1 !== undefined && b1.more && msg.code === CoapCode.CONTINUE) {
      const ack = getBlock1(msg.options);
      if (ack !== undefined && ack.szx < b1.szx && b1.source === undefined) {
        // The server asked for smaller blocks: continue at the same byte offset.
        b1.num = (b1.num + 1) << (b1.szx - ack.szx);
        b1.szx = ack.szx;
      } else {
        b1.num++;
      }
      if (b1.num > MAX_BLOCK_NUM) { this.#fail(ex, "Abort"); return; } // a source that never ends
      this.#transmit(now, ex, this.#message(ex, this.#nextBlock1(ex, b1)));
      return;
    }
    this.#remove(ex);
    this.#ctx.emit({ kind: "response", requestId: ex.id, peer: ex.peer, code: msg.code, payload: msg.payload, message: msg });
  }

  /** True when `msg` was a notification (reported or stale) rather than the observation's end. */
  #observeConsumed(now: number, ex: Exchange, obs: ObservationState, msg: CoapMessage): boolean {
    const observe = getObserve(msg.options);
    const isNotification = msg.code >> 5 === 2 && observe !== undefined;
    // While cancelling, only the deregistration's answer counts: its piggy-backed ACK, or a
    // separate response without Observe.
    if (obs.cancelling) return !(msg.type === CoapType.ACK || !isNotification);
    if (!isNotification) return false;
    const sequence = observe & OBSERVE_SEQUENCE_MASK;
    if (obs.registered && !isFresherNotification(obs.sequence, obs.receivedAt, sequence, now)) return true;
    obs.registered = true;
    obs.sequence = sequence;
    obs.receivedAt = now;
    ex.acked = true;
    ex.retransmitAt = Infinity;
    ex.deadline = Infinity;
    this.#ctx.emit({ kind: "notification", requestId: ex.id, peer: ex.peer, code: msg.code, payload: msg.payload, sequence, message: msg });
    return true;
  }

  /** Fetches block `b1.num` and records its M flag. */
  #nextBlock1(ex: Exchange, b1: Block1State): Uint8Array {
    const size = blockSize(b1.szx);
    let bytes: Uint8Array;
    if (b1.source !== undefined) {
      const chunk = b1.source(b1.num, size, ex.peer);
      bytes = chunk.bytes;
      b1.more = chunk.more;
    } else {
      const start = b1.num * size;
      bytes = b1.body.subarray(start, start + size);
      b1.more = start + size < b1.body.length;
    }
    this.#ctx.emit({ kind: "blockSent", peer: ex.peer, role: "client", num: b1.num, size, more: b1.more, bytes });
    return bytes;
  }

  #message(ex: Exchange, payload: Uint8Array): CoapMessage {
    const msg: CoapMessage = {
      type: ex.confirmable ? CoapType.CON : CoapType.NON, code: ex.code, messageId: 0, token: ex.token,
      options: [], payload,
    };
    for (let i = 0; i < ex.uriPath.length; i++) addOption(msg.options, CoapOptionNumber.URI_PATH, ex.uriPath[i]!);
    if (ex.observe !== undefined) setObserve(msg.options, ex.observe.cancelling ? 1 : 0);
    if (ex.block1 !== undefined) setBlock1(msg.options, { num: ex.block1.num, more: ex.block1.more, szx: ex.block1.szx });
    return msg;
  }

  /** Sends a new message of the exchange: fresh Message ID, fresh timers (spec §7.2). */
  #transmit(now: number, ex: Exchange, msg: CoapMessage): void {
    msg.messageId = ex.messageId = this.#ctx.nextMessageId();
    ex.bytes = this.#ctx.send(ex.peer, msg);
    ex.acked = false;
    ex.retransmits = 0;
    if (ex.confirmable) {
      const t0 = randomInt(this.#ctx.random, TRANSMISSION.ACK_TIMEOUT_MS, TRANSMISSION.ACK_TIMEOUT_MAX_MS);
      ex.interval = t0;
      ex.retransmitAt = now + t0;
      ex.deadline = now + GIVE_UP_FACTOR * t0;
    } else {
      ex.retransmitAt = Infinity;
      ex.deadline = now + TRANSMISSION.MAX_TRANSMIT_WAIT_MS;
    }
  }

  #newToken(peer: PeerKey): Uint8Array {
    for (let attempt = 1; ; attempt++) {
      const token = new Uint8Array(TRANSMISSION.TOKEN_LENGTH);
      this.#ctx.random.fill(token);
      // Bounded: a broken random source must not hang the endpoint (the 16th is kept anyway).
      if (attempt === 16 || !this.#tokenInUse(peer, token)) return token;
    }
  }

  /** The Uri-Path values of `path`; shared by every message that asks for it (never written to). */
  #uriPath(path: string): readonly Uint8Array[] {
    const last = this.#lastPath;
    if (last !== undefined && last.path === path) return last.values;
    const values = encodePath(path, this.#ctx.pathEncoding);
    this.#lastPath = { path, values };
    return values;
  }

  // The lookups below run for every request and response: plain loops, as for…of and callbacks
  // cost an interpreter (XS) an iterator or a call each.

  #byMessageId(peer: PeerKey, messageId: number): Exchange | undefined {
    const exchanges = this.#exchanges;
    for (let i = 0; i < exchanges.length; i++) {
      const e = exchanges[i]!;
      if (e.messageId === messageId && e.peer === peer) return e;
    }
    return undefined;
  }

  #tokenInUse(peer: PeerKey, token: Uint8Array): boolean {
    const exchanges = this.#exchanges;
    for (let i = 0; i < exchanges.length; i++) if (exchanges[i]!.peer === peer && bytesEqual(exchanges[i]!.token, token)) return true;
    return false;
  }

  #remove(ex: Exchange): void {
    const i = this.#exchanges.indexOf(ex);
    if (i >= 0) this.#exchanges.splice(i, 1);
  }

  #fail(ex: Exchange, reason: "ResponseTimeout" | "Abort"): void {
    this.#remove(ex);
    this.#ctx.emit({ kind: "requestFailed", requestId: ex.id, peer: ex.peer, reason });
  }
}
