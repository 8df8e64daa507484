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
//
// A notification that carries Block2 0 with more=1 is the first block of a state too big for
// one message (RFC 7959 §3.4): a fetch (an internal Exchange, with its own token and no
// Observe) GETs blocks 1, 2, … and the notification is reported once, whole, when the last
// block is in. A block whose ETag differs from block 0's belongs to a newer state: the fetch is
// dropped, as it is when a newer notification arrives, when it fails or times out, when the
// state outgrows maxReassemblySize, or when the observation ends; the newer state's own
// notification follows. A fetch reports nothing itself.
import type { CoapMessage } from "./message.js";
import { EMPTY_BYTES, bytesEqual, emptyMessage } from "./message.js";
import { CoapCode, CoapOptionNumber, CoapType, TRANSMISSION } from "./numbers.js";
import { addOption, blockSize, encodePath, findOption, getBlock1, getBlock2, getObserve, setBlock1, setBlock2, setObserve, szxOfSize } from "./options.js";
import { OBSERVE_SEQUENCE_MASK, isFresherNotification } from "./observe.js";
import type { BlockSource, PeerKey, RequestId, RequestMethod, RequestOptions } from "./endpoint-types.js";
import type { EndpointContext } from "./endpoint-context.js";
import { RESPONSE_CRITICAL, unrecognisedCritical } from "./critical.js";
import { randomInt } from "../platform/random.js";

const etagOf = (msg: CoapMessage): Uint8Array | undefined => findOption(msg.options, CoapOptionNumber.ETAG)?.value;
const sameEtag = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean =>
  a === undefined ? b === undefined : b !== undefined && bytesEqual(a, b);

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
  /** The fetch of the rest of a block-wise notification, while it runs. */
  fetch: Exchange | undefined;
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
  /** This exchange fetches the later blocks of a notification of `of` (RFC 7959 §3.4). */
  readonly fetch: NotificationFetch | undefined;
}

interface NotificationFetch {
  readonly of: Exchange;
  /** The notification's block 0: its code, Observe value and message are reported. */
  readonly first: CoapMessage;
  readonly sequence: number;
  readonly etag: Uint8Array | undefined;
  readonly parts: Uint8Array[];
  /** Bytes received so far: the next block starts here. */
  received: number;
}

export class ClientExchanges {
  readonly #ctx: EndpointContext;
  readonly #maxNotificationSize: number;
  #exchanges: Exchange[] = [];
  #nextId = 1;
  /** The last request path with its Uri-Path values: a client mostly asks for the same path again. */
  #lastPath: { readonly path: string; readonly values: readonly Uint8Array[] } | undefined;

  /** `maxNotificationSize`: a block-wise notification larger than this is dropped. */
  constructor(ctx: EndpointContext, maxNotificationSize = 65536) {
    this.#ctx = ctx;
    this.#maxNotificationSize = maxNotificationSize;
  }

  get pending(): number {
    let n = 0;
    for (const e of this.#exchanges) if (e.fetch === undefined) n++;
    return n;
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
      observe: observe ? { registered: false, fetch: undefined, sequence: 0, receivedAt: 0, cancelling: false } : undefined,
      fetch: undefined,
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
    if (ex.observe.fetch !== undefined) this.#remove(ex.observe.fetch); // a state the app no longer wants
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
    if (ex.fetch !== undefined) { this.#onFetched(now, ex, ex.fetch, msg); return; }
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
    if (obs.fetch !== undefined) this.#remove(obs.fetch); // an older state's blocks are no use now
    obs.fetch = undefined;
    const block2 = getBlock2(msg.options);
    if (block2 !== undefined && block2.num === 0 && block2.more) {
      obs.fetch = this.#startFetch(now, ex, msg, sequence, block2.szx);
      return true;
    }
    this.#ctx.emit({ kind: "notification", requestId: ex.id, peer: ex.peer, code: msg.code, payload: msg.payload, sequence, message: msg });
    return true;
  }

  /** RFC 7959 §3.4: GET block 1 of the notification's state, without Observe, on a token of its own. */
  #startFetch(now: number, of: Exchange, first: CoapMessage, sequence: number, szx: number): Exchange {
    const rest: Exchange = {
      id: this.#nextId++, peer: of.peer, code: CoapCode.GET, confirmable: true, token: this.#newToken(of.peer), uriPath: of.uriPath,
      messageId: 0, bytes: undefined, acked: false, retransmits: 0, interval: 0, retransmitAt: Infinity, deadline: Infinity,
      block2Szx: szx, block1: undefined, observe: undefined,
      fetch: { of, first, sequence, etag: etagOf(first), parts: [first.payload.slice()], received: first.payload.length },
    };
    this.#exchanges.push(rest);
    this.#requestBlock(now, rest, rest.fetch!);
    return rest;
  }

  /** Asks for the block that starts where the received bytes end, at the fetch's block size. */
  #requestBlock(now: number, ex: Exchange, f: NotificationFetch): void {
    const size = blockSize(ex.block2Szx!);
    const msg = this.#message(ex, EMPTY_BYTES);
    setBlock2(msg.options, { num: Math.floor(f.received / size), more: false, szx: ex.block2Szx! });
    this.#transmit(now, ex, msg);
  }

  #onFetched(now: number, ex: Exchange, f: NotificationFetch, msg: CoapMessage): void {
    const block2 = getBlock2(msg.options);
    const size = block2 === undefined ? 0 : blockSize(block2.szx);
    const fits = block2 !== undefined && msg.code >> 5 === 2 && block2.num * size === f.received &&
      (block2.more ? msg.payload.length === size : msg.payload.length <= size) && sameEtag(f.etag, etagOf(msg));
    if (!fits || (block2.more && block2.num + 1 > MAX_BLOCK_NUM) || f.received + msg.payload.length > this.#maxNotificationSize) {
      // Another state, an error, a malformed block or too much: the next notification brings the state.
      this.#remove(ex);
      return;
    }
    f.parts.push(msg.payload.slice());
    f.received += msg.payload.length;
    if (block2.more) {
      ex.block2Szx = Math.min(ex.block2Szx!, block2.szx);
      this.#requestBlock(now, ex, f);
      return;
    }
    this.#remove(ex);
    const payload = new Uint8Array(f.received);
    let at = 0;
    for (const part of f.parts) { payload.set(part, at); at += part.length; }
    this.#ctx.emit({ kind: "notification", requestId: f.of.id, peer: f.of.peer, code: f.first.code, payload, sequence: f.sequence, message: f.first });
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

  /** Ends an exchange; an observation's fetch goes with it, and a fetch unhooks from its observation. */
  #remove(ex: Exchange): void {
    const rest = ex.observe?.fetch;
    const exchanges = this.#exchanges;
    for (let i = exchanges.length - 1; i >= 0; i--) if (exchanges[i] === ex || exchanges[i] === rest) exchanges.splice(i, 1);
    if (ex.observe !== undefined) ex.observe.fetch = undefined;
    const of = ex.fetch?.of.observe;
    if (of !== undefined && of.fetch === ex) of.fetch = undefined;
  }

  /** A fetch fails silently: it was never a request of the app's. */
  #fail(ex: Exchange, reason: "ResponseTimeout" | "Abort"): void {
    this.#remove(ex);
    if (ex.fetch === undefined) this.#ctx.emit({ kind: "requestFailed", requestId: ex.id, peer: ex.peer, reason });
  }
}
