// Server response cache for duplicate detection (spec §7.1, RFC 7252 §4.5): the last
// RESPONSE_CACHE_ENTRIES responses sent as ACKs, each kept EXCHANGE_LIFETIME, keyed by peer and
// the request's Message ID. A duplicate request gets the cached bytes again and is not
// reported. As in OpenThread, a full cache drops its oldest entry.
//
// Every request looks here (find, then add when answered) and the cache is usually full, so
// entries are found by key, not by scanning (a scan of ten entries costs an interpreter (XS)
// several hundred operations), and only looked at for expiry once the earliest is due.
import { TRANSMISSION } from "./numbers.js";
import type { PeerKey } from "./endpoint-types.js";

interface Entry {
  readonly peer: PeerKey;
  readonly messageId: number;
  /** Undefined when the response was too big to send: the duplicate is then dropped too. */
  readonly bytes: Uint8Array | undefined;
  readonly expires: number;
}

/**
 * One key per (peer, Message ID). The default peer "" (an endpoint per DTLS session, as the
 * agent has) is keyed by the ID alone: a number key costs a device no string per entry. Others
 * get a string, where the ID is a number, so the first space ends it.
 */
const keyOf = (peer: PeerKey, messageId: number): number | string => (peer === "" ? messageId : `${messageId} ${peer}`);

export class ResponseCache {
  /** In the order added (a replaced entry counts as new): the first is the oldest. */
  readonly #entries = new Map<number | string, Entry>();
  /** No entry expires before this (none at all: Infinity); may be early, never late. */
  #nextExpiry = Infinity;
  readonly #capacity: number;
  readonly #lifetimeMs: number;

  constructor(capacity: number = TRANSMISSION.RESPONSE_CACHE_ENTRIES, lifetimeMs: number = TRANSMISSION.EXCHANGE_LIFETIME_MS) {
    this.#capacity = capacity;
    this.#lifetimeMs = lifetimeMs;
  }

  #purge(now: number): void {
    if (now < this.#nextExpiry) return;
    this.#nextExpiry = Infinity;
    for (const [key, e] of this.#entries) {
      if (e.expires <= now) this.#entries.delete(key);
      else this.#nextExpiry = Math.min(this.#nextExpiry, e.expires);
    }
  }

  find(now: number, peer: PeerKey, messageId: number): Entry | undefined {
    this.#purge(now);
    return this.#entries.get(keyOf(peer, messageId));
  }

  add(now: number, peer: PeerKey, messageId: number, bytes: Uint8Array | undefined): void {
    this.#purge(now);
    const key = keyOf(peer, messageId);
    this.#entries.delete(key);
    if (this.#entries.size >= this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
    const expires = now + this.#lifetimeMs;
    this.#entries.set(key, { peer, messageId, bytes, expires });
    this.#nextExpiry = Math.min(this.#nextExpiry, expires);
  }

  clear(peer?: PeerKey): void {
    if (peer === undefined) { this.#entries.clear(); return; }
    for (const [key, e] of this.#entries) if (e.peer === peer) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
