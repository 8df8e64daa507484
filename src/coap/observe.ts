// Observing resources (RFC 7641): the server's list of observers and its notifications, and
// the client's freshness rule. Internal to src/coap/ (the endpoint is the public face).
//
// Server side. An observer is keyed by (peer, token) (§4.1) and belongs to one resource path.
// `notify` sends every observer of a path the same new state, with one Observe value taken
// from a node-wide 24-bit counter (§4.4: strictly increasing per observer; one counter for the
// node keeps that true however registrations and notifications interleave).
//
// Message type (§4.5): NON by default; CON when the observer has had `confirmableEvery − 1`
// NON notifications since its last CON one, or when its last acknowledged exchange is 24 h
// old, or when the caller asks for it. At most one CON notification per observer is in flight
// (§4.5.1). A newer state for an observer with a CON in flight replaces it (§4.5.2): the new
// notification goes out at the next retransmission time, with a new Message ID (so the client
// does not take it for a duplicate) and the Observe value of the newer state, keeping the
// retransmission counter and timeout of the one it replaces; when the old one is acknowledged
// first, the newer one is sent at once as a fresh notification.
//
// An observer is removed when (§3.6, §4.2, §4.5): it sends a Reset to one of its recent
// notifications; a GET with Observe=1 (deregister) and its token arrives; the last
// retransmission of a CON notification goes unacknowledged; the app answers a registration
// with a non-2.xx code; a non-2.xx notification (the resource went away, or an error state) was
// delivered; or the session ends (`clear`).
//
// A 2.xx notification too big for one message, or bigger than the block size the observer
// registered with, carries only its first block (Block2 0, more=1, with an ETag of the whole
// state and Size2); the client fetches the rest with GETs without Observe, which the server
// answers from the app's current state (RFC 7959 §3.4; server.ts, representation-blocks.ts).
import type { CoapMessage } from "./message.js";
import { EMPTY_BYTES, bytesEqual } from "./message.js";
import { CoapCode, CoapType, TRANSMISSION } from "./numbers.js";
import { addOption, setObserve, findOption, setMaxAge } from "./options.js";
import { CoapOptionNumber } from "./numbers.js";
import type { EndpointContext } from "./endpoint-context.js";
import type { ObserverRemovedReason, PeerKey, ResponseSpec } from "./endpoint-types.js";
import { randomInt } from "../platform/random.js";
import { addBlockOptions, blockOf } from "./representation-blocks.js";

/**
 * The empty observer list every endpoint starts with, shared: a server session that is never
 * observed holds no array of its own (XS heap per session, issue 12). Frozen, so a missed
 * copy-before-push fails loudly instead of registering an observer on every endpoint.
 */
const NO_OBSERVERS: Observer[] = Object.freeze([]) as unknown as Observer[];

/** Observe values are the 24 low bits of the sequence number (§4.4). */
export const OBSERVE_SEQUENCE_MASK = 0xffffff;
/** §3.4: a notification more than 128 s younger than the last one is fresh whatever its number. */
export const OBSERVE_REORDER_WINDOW_MS = 128_000;
/** §4.5: "at least every 24 hours" a notification is sent CON. */
export const OBSERVE_CONFIRMABLE_MAX_INTERVAL_MS = 24 * 3600 * 1000;
/** Default of `notificationConfirmableEvery`: libcoap's COAP_OBS_MAX_NON (5) for the same job. */
export const DEFAULT_CONFIRMABLE_EVERY = 5;
/** Default of `maxObservers`. */
export const DEFAULT_MAX_OBSERVERS = 16;
/** Notification Message IDs kept per observer so that a Reset to any of them deregisters it. */
const RECENT_MESSAGE_IDS = 8;
const GIVE_UP_FACTOR = (1 << (TRANSMISSION.MAX_RETRANSMIT + 1)) - 1;

/**
 * RFC 7641 §3.4: is a notification (v2 received at t2) newer than the last one (v1 at t1)?
 * Sequence numbers compare in a 2^23 window modulo 2^24; after 128 s any number is newer.
 */
export function isFresherNotification(v1: number, t1: number, v2: number, t2: number): boolean {
  return (v1 < v2 && v2 - v1 < 1 << 23) || (v1 > v2 && v1 - v2 > 1 << 23) || t2 > t1 + OBSERVE_REORDER_WINDOW_MS;
}

interface InFlight {
  messageId: number;
  bytes: Uint8Array | undefined;
  retransmits: number;
  interval: number;
  retransmitAt: number;
  deadline: number;
  /** A newer state waiting to replace this message at its next retransmission. */
  replacement: { readonly response: ResponseSpec; readonly sequence: number | undefined; readonly confirmable: boolean } | undefined;
}

interface Observer {
  readonly peer: PeerKey;
  readonly token: Uint8Array;
  readonly path: string;
  readonly maxAge: number | undefined;
  /** The Block2 size (SZX) the observer registered with, if it asked for one. */
  readonly szx: number | undefined;
  /** NON notifications since the last CON one. */
  sinceConfirmable: number;
  /** When the client last showed it is there: its registration, or an ACK of a CON notification. */
  lastConfirmedAt: number;
  recentMessageIds: number[];
  inFlight: InFlight | undefined;
  /** A non-2.xx notification went out: the observer goes once it is acknowledged or given up. */
  ending: ObserverRemovedReason | undefined;
}

export interface ObserveConfig {
  readonly confirmableEvery: number;
  readonly firstSequence: number;
  readonly maxObservers: number;
}

export class ObserverRegistry {
  readonly #ctx: EndpointContext;
  readonly #confirmableEvery: number;
  readonly #maxObservers: number;
  #sequence: number;
  /** Replaced, never changed in place, except by register's push on an array of its own. */
  #observers: Observer[] = NO_OBSERVERS;

  constructor(ctx: EndpointContext, config: ObserveConfig) {
    this.#ctx = ctx;
    if (!Number.isInteger(config.confirmableEvery) || config.confirmableEvery < 1) throw new RangeError(`invalid notificationConfirmableEvery ${config.confirmableEvery}`);
    this.#confirmableEvery = config.confirmableEvery;
    this.#maxObservers = config.maxObservers;
    this.#sequence = (config.firstSequence & OBSERVE_SEQUENCE_MASK) >>> 0;
  }

  /** Observers of `path`, or of all paths. */
  count(path?: string): number {
    return this.#observers.filter((o) => o.ending === undefined && (path === undefined || o.path === path)).length;
  }

  /**
   * Adds (or refreshes: same peer and token, §4.1) an observer and returns the Observe value
   * for its registration response; undefined when the list is full (§4.1: the client is then
   * answered without Observe, as by a server that cannot add it).
   */
  register(now: number, peer: PeerKey, token: Uint8Array, path: string, maxAge: number | undefined, szx?: number): number | undefined {
    const existing = this.#find(peer, token);
    if (existing === undefined && this.#observers.length >= this.#maxObservers) return undefined;
    // filter gives a new array; an endpoint that never had an observer still shares the empty one.
    this.#observers = existing !== undefined || this.#observers === NO_OBSERVERS ? this.#observers.filter((o) => o !== existing) : this.#observers;
    this.#observers.push({
      peer, token: token.slice(), path, maxAge, szx, sinceConfirmable: 0, lastConfirmedAt: now,
      recentMessageIds: existing?.recentMessageIds ?? [], inFlight: undefined, ending: undefined,
    });
    if (existing === undefined) this.#ctx.emit({ kind: "observerAdded", peer, path });
    return this.#nextSequence();
  }

  /** Removes the observer with this peer and token (GET with Observe=1, or a failed re-registration). */
  deregister(peer: PeerKey, token: Uint8Array, reason: ObserverRemovedReason): boolean {
    const o = this.#find(peer, token);
    if (o === undefined) return false;
    this.#remove(o, reason);
    return true;
  }

  /**
   * Sends `response` to every observer of `path` and returns how many there were. A 2.xx
   * response carries the next Observe value; any other code carries none and ends each
   * observation (§4.2) once delivered, sent CON.
   */
  notify(now: number, path: string, response: ResponseSpec, confirmable: boolean): number {
    const targets = this.#observers.filter((o) => o.path === path && o.ending === undefined);
    if (targets.length === 0) return 0;
    const success = response.code >> 5 === 2;
    const sequence = success ? this.#nextSequence() : undefined;
    for (const o of targets) {
      if (!success) o.ending = "error";
      if (o.inFlight !== undefined) { o.inFlight.replacement = { response, sequence, confirmable }; continue; }
      this.#sendNew(now, o, response, sequence, this.#confirmable(now, o, sequence === undefined || confirmable));
    }
    return targets.length;
  }

  /** Ends every observation of `path` with a 4.04 notification (the resource is gone, §3.2). */
  endPath(now: number, path: string): void {
    this.notify(now, path, { code: CoapCode.NOT_FOUND }, true);
  }

  /** Forgets every observer of `path` without a word. */
  forgetPath(path: string): void {
    for (const o of [...this.#observers]) if (o.path === path) this.#remove(o, "unregistered");
  }

  /** An empty ACK or RST. True when it answered one of our notifications. */
  handleAckOrReset(now: number, peer: PeerKey, msg: CoapMessage): boolean {
    const o = this.#observers.find((x) => x.peer === peer && (x.inFlight?.messageId === msg.messageId || x.recentMessageIds.includes(msg.messageId)));
    if (o === undefined) return false;
    if (msg.type === CoapType.RST) { this.#remove(o, o.ending ?? "reset"); return true; }
    const f = o.inFlight;
    if (f === undefined || f.messageId !== msg.messageId) return true; // an ACK of a message already replaced
    o.inFlight = undefined;
    o.lastConfirmedAt = now;
    this.#ctx.emit({ kind: "notificationAcked", peer: o.peer, path: o.path });
    if (o.ending !== undefined && f.replacement === undefined) { this.#remove(o, o.ending); return true; }
    if (f.replacement !== undefined) {
      const { response, sequence, confirmable } = f.replacement;
      this.#sendNew(now, o, response, sequence, this.#confirmable(now, o, sequence === undefined || confirmable));
    }
    return true;
  }

  handleTimeout(now: number): void {
    for (const o of [...this.#observers]) {
      const f = o.inFlight;
      if (f === undefined) continue;
      if (now >= f.deadline) { this.#remove(o, o.ending ?? "timeout"); continue; }
      if (now < f.retransmitAt) continue;
      if (f.replacement !== undefined) {
        const msg = this.#message(o, CoapType.CON, f.replacement.response, f.replacement.sequence);
        f.replacement = undefined;
        f.messageId = msg.messageId;
        this.#remember(o, msg.messageId);
        f.bytes = this.#ctx.send(o.peer, msg);
      } else if (f.bytes !== undefined) {
        this.#ctx.resend(o.peer, f.bytes);
      }
      f.retransmits++;
      f.interval *= 2;
      f.retransmitAt = f.retransmits < TRANSMISSION.MAX_RETRANSMIT ? f.retransmitAt + f.interval : Infinity;
    }
  }

  pollTimeout(): number | undefined {
    let next = Infinity;
    // Asked after every message: an indexed loop (for…of costs XS an iterator).
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      const f = observers[i]!.inFlight;
      if (f !== undefined) next = Math.min(next, f.retransmitAt, f.deadline);
    }
    return next === Infinity ? undefined : next;
  }

  /** The session ended: every observer of `peer` (or all) is dropped. */
  clear(peer?: PeerKey): void {
    for (const o of [...this.#observers]) if (peer === undefined || o.peer === peer) this.#remove(o, "sessionEnded");
  }

  /** §4.5: CON when asked, every `confirmableEvery`-th notification, and once a day at least. */
  #confirmable(now: number, o: Observer, asked: boolean): boolean {
    return asked || o.sinceConfirmable + 1 >= this.#confirmableEvery || now - o.lastConfirmedAt >= OBSERVE_CONFIRMABLE_MAX_INTERVAL_MS;
  }

  #nextSequence(): number {
    const value = this.#sequence;
    this.#sequence = (this.#sequence + 1) & OBSERVE_SEQUENCE_MASK;
    return value;
  }

  #find(peer: PeerKey, token: Uint8Array): Observer | undefined {
    return this.#observers.find((o) => o.peer === peer && bytesEqual(o.token, token));
  }

  #remove(o: Observer, reason: ObserverRemovedReason): void {
    if (!this.#observers.includes(o)) return;
    this.#observers = this.#observers.filter((x) => x !== o);
    this.#ctx.emit({ kind: "observerRemoved", peer: o.peer, path: o.path, reason });
  }

  #remember(o: Observer, messageId: number): void {
    o.recentMessageIds.push(messageId);
    if (o.recentMessageIds.length > RECENT_MESSAGE_IDS) o.recentMessageIds.shift();
  }

  #sendNew(now: number, o: Observer, response: ResponseSpec, sequence: number | undefined, con: boolean): void {
    const msg = this.#message(o, con ? CoapType.CON : CoapType.NON, response, sequence);
    this.#remember(o, msg.messageId);
    const bytes = this.#ctx.send(o.peer, msg);
    if (!con) { o.sinceConfirmable++; return; }
    o.sinceConfirmable = 0;
    const t0 = randomInt(this.#ctx.random, TRANSMISSION.ACK_TIMEOUT_MS, TRANSMISSION.ACK_TIMEOUT_MAX_MS);
    o.inFlight = { messageId: msg.messageId, bytes, retransmits: 0, interval: t0, retransmitAt: now + t0, deadline: now + GIVE_UP_FACTOR * t0, replacement: undefined };
  }

  #message(o: Observer, type: CoapType, response: ResponseSpec, sequence: number | undefined): CoapMessage {
    const whole = response.payload ?? EMPTY_BYTES;
    const asked = o.szx === undefined ? undefined : { num: 0, more: false, szx: o.szx };
    const cut = response.code >> 5 === 2 ? blockOf(whole, asked, this.#ctx.maxMessageSize) : undefined;
    const first = cut === "pastEnd" ? undefined : cut; // block 0 is never past the end
    const msg: CoapMessage = {
      type, code: response.code, messageId: this.#ctx.nextMessageId(), token: o.token, options: [],
      payload: first?.bytes ?? whole,
    };
    for (const extra of response.options ?? []) {
      if (extra.number !== CoapOptionNumber.OBSERVE) addOption(msg.options, extra.number, extra.value);
    }
    if (sequence !== undefined) {
      setObserve(msg.options, sequence);
      if (o.maxAge !== undefined && findOption(msg.options, CoapOptionNumber.MAX_AGE) === undefined) setMaxAge(msg.options, o.maxAge);
    }
    if (first !== undefined) addBlockOptions(msg.options, first, whole);
    return msg;
  }
}
