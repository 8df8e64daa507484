// The server half of the agent's CoAP layer: OpenThread's one `coaps resource` handler (§5),
// 4.04 for everything else, the duplicate cache (§7.1), Block2 serving through the node's
// block counter (§7.4) and, unlike OpenThread, Block1 reassembly (RFC 7959) so block-wise
// PUT/POST/DELETE work.

import type { CoapMessage } from "../coap/index.js";
import { blockSize, CoapCode, CoapType, getBlock1, getBlock2, setBlock1, setBlock2, TRANSMISSION } from "../coap/index.js";
import type { CoapHost } from "./coap-host.js";
import { joinedUriPath, message } from "./coap-host.js";
import type { RequestMethod } from "./types.js";

const METHODS: Readonly<Record<number, RequestMethod>> = {
  [CoapCode.GET]: "GET", [CoapCode.POST]: "POST", [CoapCode.PUT]: "PUT", [CoapCode.DELETE]: "DELETE",
};
/** Largest Block1 body we reassemble; more is refused with 4.13. */
const MAX_BLOCK1_BODY = 16 * 1024;

interface CachedResponse { bytes: Uint8Array; expiresAt: number }

export class ResourceServer {
  readonly #host: CoapHost;
  /** Responses to CON requests by Message ID, for duplicates (one peer per session). */
  readonly #cache = new Map<number, CachedResponse>();
  #body: Uint8Array[] | undefined;
  #bodyLength = 0;
  #nextBlock1 = 0;

  constructor(host: CoapHost) {
    this.#host = host;
  }

  /** A new session starts with an empty cache and no partial body. */
  reset(): void {
    this.#cache.clear();
    this.#body = undefined;
  }

  nextDeadline(): number | undefined {
    let d: number | undefined;
    for (const c of this.#cache.values()) if (d === undefined || c.expiresAt < d) d = c.expiresAt;
    return d;
  }

  handleTimeout(now: number): void {
    for (const [mid, c] of this.#cache) if (c.expiresAt <= now) this.#cache.delete(mid);
  }

  handleRequest(now: number, req: CoapMessage): void {
    const con = req.type === CoapType.CON;
    if (con) {
      const cached = this.#cache.get(req.messageId);
      if (cached !== undefined && cached.expiresAt > now) {
        this.#host.send(cached.bytes); // a duplicate: same answer, nothing printed
        return;
      }
    }
    const uri = this.#host.resourceUri();
    if (uri === undefined || joinedUriPath(req.options) !== uri) {
      this.#reply(now, req, CoapCode.NOT_FOUND);
      return;
    }
    const method = METHODS[req.code];
    if (method === undefined) {
      this.#host.emit({ kind: "request", peer: this.#host.peer(), method: "Undefined", payload: new Uint8Array(0) });
      return;
    }
    const block1 = method === "GET" ? undefined : getBlock1(req.options);
    let payload = req.payload;
    if (block1 !== undefined) {
      const body = this.#collect(now, req, block1.num, block1.more, block1.szx);
      if (body === undefined) return;
      payload = body;
    }
    const block2 = method === "GET" ? getBlock2(req.options) : undefined;
    if (block2 !== undefined && block2.num > 0) {
      // Later blocks: only the transmit hook prints (§7.4 step 4).
      const { block, more } = this.#host.blocks.next(this.#host.random, blockSize(block2.szx), (e) => this.#host.emit(e));
      this.#reply(now, req, CoapCode.CONTENT, setBlock2([], { num: block2.num, more, szx: block2.szx }), block);
      return;
    }
    this.#host.emit({ kind: "request", peer: this.#host.peer(), method, payload });
    if (!con && method !== "GET") return; // NON PUT/POST/DELETE: no answer (§5)
    if (block2 !== undefined) {
      const { block } = this.#host.blocks.next(this.#host.random, blockSize(block2.szx), (e) => this.#host.emit(e));
      this.#reply(now, req, CoapCode.CONTENT, setBlock2([], { num: 0, more: true, szx: block2.szx }), block);
    } else if (method === "GET") {
      this.#reply(now, req, CoapCode.CONTENT, [], this.#host.content());
    } else {
      const options = block1 === undefined ? [] : setBlock1([], { num: block1.num, more: false, szx: block1.szx });
      this.#reply(now, req, CoapCode.VALID, options);
    }
    this.#host.emit({ kind: "responseSent" });
  }

  /** Block1 reassembly: the whole body once the last block is in, else undefined (answered). */
  #collect(now: number, req: CoapMessage, num: number, more: boolean, szx: number): Uint8Array | undefined {
    if (num === 0) {
      this.#body = [];
      this.#bodyLength = 0;
      this.#nextBlock1 = 0;
    }
    if (this.#body === undefined || num !== this.#nextBlock1) {
      this.#reply(now, req, CoapCode.REQUEST_ENTITY_INCOMPLETE);
      return undefined;
    }
    if (this.#bodyLength + req.payload.length > MAX_BLOCK1_BODY) {
      this.#body = undefined;
      this.#reply(now, req, CoapCode.REQUEST_ENTITY_TOO_LARGE);
      return undefined;
    }
    this.#body.push(req.payload.slice());
    this.#bodyLength += req.payload.length;
    this.#nextBlock1 = num + 1;
    if (more) {
      this.#reply(now, req, CoapCode.CONTINUE, setBlock1([], { num, more: true, szx }));
      return undefined;
    }
    const body = new Uint8Array(this.#bodyLength);
    let at = 0;
    for (const part of this.#body) { body.set(part, at); at += part.length; }
    this.#body = undefined;
    return body;
  }

  /**
   * Sends a response. The resource answers as an ACK with the request's Message ID in every
   * case, even to a NON GET (§5); a 4.04 (or a Block1 error) to a NON request goes out as NON
   * with a new Message ID. CON answers are kept for duplicates.
   */
  #reply(now: number, req: CoapMessage, code: number, options: CoapMessage["options"] = [], payload?: Uint8Array): void {
    const con = req.type === CoapType.CON;
    const asAck = con || (code === CoapCode.CONTENT);
    const bytes = asAck
      ? message(CoapType.ACK, code, req.messageId, req.token, options, payload)
      : message(CoapType.NON, code, this.#host.nextMessageId(), req.token, options, payload);
    if (con) {
      if (this.#cache.size >= TRANSMISSION.RESPONSE_CACHE_ENTRIES) {
        const oldest = this.#cache.keys().next().value;
        if (oldest !== undefined) this.#cache.delete(oldest);
      }
      this.#cache.set(req.messageId, { bytes, expiresAt: now + TRANSMISSION.EXCHANGE_LIFETIME_MS });
    }
    this.#host.send(bytes);
  }
}
