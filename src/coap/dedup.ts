// Server response cache for duplicate detection (spec §7.1, RFC 7252 §4.5): the last
// RESPONSE_CACHE_ENTRIES responses sent as ACKs, each kept EXCHANGE_LIFETIME, keyed by peer and
// the request's Message ID. A duplicate request gets the cached bytes again and is not
// reported. As in OpenThread, a full cache drops its oldest entry.
import { TRANSMISSION } from "./numbers.js";
import type { PeerKey } from "./endpoint-types.js";

interface Entry {
  readonly peer: PeerKey;
  readonly messageId: number;
  /** Undefined when the response was too big to send: the duplicate is then dropped too. */
  readonly bytes: Uint8Array | undefined;
  readonly expires: number;
}

export class ResponseCache {
  #entries: Entry[] = [];
  readonly #capacity: number;
  readonly #lifetimeMs: number;

  constructor(capacity: number = TRANSMISSION.RESPONSE_CACHE_ENTRIES, lifetimeMs: number = TRANSMISSION.EXCHANGE_LIFETIME_MS) {
    this.#capacity = capacity;
    this.#lifetimeMs = lifetimeMs;
  }

  #purge(now: number): void {
    if (this.#entries.some((e) => e.expires <= now)) this.#entries = this.#entries.filter((e) => e.expires > now);
  }

  find(now: number, peer: PeerKey, messageId: number): Entry | undefined {
    this.#purge(now);
    return this.#entries.find((e) => e.peer === peer && e.messageId === messageId);
  }

  add(now: number, peer: PeerKey, messageId: number, bytes: Uint8Array | undefined): void {
    this.#purge(now);
    this.#entries = this.#entries.filter((e) => !(e.peer === peer && e.messageId === messageId));
    if (this.#entries.length >= this.#capacity) this.#entries.shift();
    this.#entries.push({ peer, messageId, bytes, expires: now + this.#lifetimeMs });
  }

  clear(peer?: PeerKey): void {
    this.#entries = peer === undefined ? [] : this.#entries.filter((e) => e.peer !== peer);
  }

  get size(): number {
    return this.#entries.length;
  }
}
