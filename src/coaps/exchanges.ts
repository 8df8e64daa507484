// The agent's CoAP layer over its one DTLS session, with OpenThread's rules (spec §6, §7):
// requests with 2-byte random tokens and the node's message counter, CON retransmission
// (T0 uniform 2–3 s, doubling, 4 retransmissions, give up at 31·T0), NON GET give-up at
// 93 s, matching (ACK/RST by Message ID, piggy-backed by token, separate by token), empty
// ACK for a CON separate response, Reset for unmatched responses, Block2 GET through the
// receive hook, and Block1 PUT/POST/DELETE through the node's block counter.
//
// Sans-IO: the agent passes `now`, feeds decrypted records, and asks for the next deadline.

import type { CoapMessage } from "../coap/index.js";
import {
  blockSize, bytesEqual, CoapCode, CoapParseError, CoapType, decodeMessage, getBlock1, getBlock2,
  isRequestCode, isResponseCode, parseErrorAction, setBlock1, setBlock2, szxOfSize, TRANSMISSION,
} from "../coap/index.js";
import { randomInt } from "../platform/random.js";
import type { CoapHost } from "./coap-host.js";
import { message, uriPathOptions } from "./coap-host.js";
import { OtError } from "./ot-error.js";
import { ResourceServer } from "./resource-server.js";
import type { RequestSpec } from "./types.js";

const CODES = { GET: CoapCode.GET, POST: CoapCode.POST, PUT: CoapCode.PUT, DELETE: CoapCode.DELETE } as const;
/** The last CON transmission waits 2^MAX_RETRANSMIT·T0 more, so it gives up at 31·T0 (§7.2). */
const GIVE_UP_FACTOR = (1 << (TRANSMISSION.MAX_RETRANSMIT + 1)) - 1;

interface Pending {
  readonly spec: RequestSpec;
  readonly messageId: number;
  readonly token: Uint8Array;
  readonly bytes: Uint8Array;
  readonly confirmable: boolean;
  acked: boolean;
  retransmits: number;
  interval: number;
  retransmitAt: number;
  readonly giveUpAt: number;
  /** Block-wise: number and SZX of the block this message carries or asks for. */
  readonly blockNum: number;
  readonly szx: number;
  /** Block1: the M flag this message was sent with. */
  readonly more: boolean;
}

export class CoapExchanges {
  readonly #host: CoapHost;
  readonly #server: ResourceServer;
  #pending: Pending[] = [];
  #frozen = false;

  constructor(host: CoapHost) {
    this.#host = host;
    this.#server = new ResourceServer(host);
  }

  /** Sends a request on the connected session (the agent checked the state). */
  request(now: number, spec: RequestSpec): OtError {
    const token = new Uint8Array(TRANSMISSION.TOKEN_LENGTH);
    this.#host.random.fill(token);
    const szx = spec.block === undefined ? 0 : szxOfSize(spec.block)!;
    if (spec.block !== undefined && spec.method !== "GET") {
      this.#sendBlock1(now, spec, token, 0, szx, true);
      return OtError.None;
    }
    const options = uriPathOptions(spec.uriPath);
    if (spec.block !== undefined) setBlock2(options, { num: 0, more: false, szx });
    this.#send(now, spec, token, options, spec.payload, 0, szx, false);
    return OtError.None;
  }

  /** One decrypted record from the session peer. Never throws on peer bytes. */
  handleRecord(now: number, bytes: Uint8Array): void {
    let msg: CoapMessage;
    try {
      msg = decodeMessage(bytes);
    } catch (e) {
      if (e instanceof CoapParseError && parseErrorAction(e) === "reset") {
        this.#host.send(message(CoapType.RST, CoapCode.EMPTY, e.messageId!, new Uint8Array(0)));
      }
      return;
    }
    if (msg.type === CoapType.ACK || msg.type === CoapType.RST) {
      const p = this.#pending.find((q) => q.messageId === msg.messageId);
      if (p === undefined) return;
      if (msg.type === CoapType.RST) {
        this.#remove(p);
        this.#host.emit({ kind: "responseError", error: OtError.Abort });
      } else if (msg.code === CoapCode.EMPTY) {
        p.acked = true; // stops retransmission; the give-up deadline stays (§7.2)
      } else if (bytesEqual(p.token, msg.token)) {
        this.#remove(p);
        this.#onResponse(now, p, msg);
      }
      return;
    }
    if (msg.code === CoapCode.EMPTY) {
      if (msg.type === CoapType.CON) this.#host.send(message(CoapType.RST, CoapCode.EMPTY, msg.messageId, new Uint8Array(0)));
      return;
    }
    if (isRequestCode(msg.code)) {
      this.#server.handleRequest(now, msg);
      return;
    }
    const p = isResponseCode(msg.code) ? this.#pending.find((q) => bytesEqual(q.token, msg.token)) : undefined;
    if (p === undefined) {
      this.#host.send(message(CoapType.RST, CoapCode.EMPTY, msg.messageId, new Uint8Array(0)));
      return;
    }
    if (msg.type === CoapType.CON) this.#host.send(message(CoapType.ACK, CoapCode.EMPTY, msg.messageId, new Uint8Array(0)));
    this.#remove(p);
    this.#onResponse(now, p, msg);
  }

  nextDeadline(): number | undefined {
    let d = this.#server.nextDeadline();
    if (this.#frozen) return d;
    for (const p of this.#pending) {
      const mine = p.confirmable && !p.acked && p.retransmits < TRANSMISSION.MAX_RETRANSMIT ? p.retransmitAt : p.giveUpAt;
      if (d === undefined || mine < d) d = mine;
    }
    return d;
  }

  handleTimeout(now: number): void {
    this.#server.handleTimeout(now);
    if (this.#frozen) return;
    for (const p of [...this.#pending]) {
      if (p.giveUpAt <= now) {
        this.#remove(p);
        this.#host.emit({ kind: "responseError", error: OtError.ResponseTimeout });
      } else if (p.confirmable && !p.acked && p.retransmits < TRANSMISSION.MAX_RETRANSMIT && p.retransmitAt <= now) {
        p.retransmits++;
        p.interval *= 2;
        p.retransmitAt += p.interval;
        this.#host.send(p.bytes);
      }
    }
  }

  /** Number of requests still waiting for an answer. */
  pendingCount(): number {
    return this.#pending.length;
  }

  /** The session went down: every waiting request ends with Abort (§4), before `disconnected`. */
  abortAll(): void {
    const aborted = this.#pending;
    this.#pending = [];
    this.#frozen = false;
    for (let i = 0; i < aborted.length; i++) this.#host.emit({ kind: "responseError", error: OtError.Abort });
  }

  /** Forgets server-side state (duplicate cache, partial Block1 body) for a new session. */
  resetServer(): void {
    this.#server.reset();
  }

  /** While the session tears down (2 s guard) nothing is sent and nothing times out. */
  freeze(): void {
    this.#frozen = true;
  }

  #onResponse(now: number, p: Pending, msg: CoapMessage): void {
    const peer = this.#host.peer();
    if (p.spec.block !== undefined && p.spec.method === "GET") {
      const b2 = getBlock2(msg.options);
      if (b2 !== undefined && msg.code === CoapCode.CONTENT) {
        const length = msg.payload.length;
        const position = b2.num * blockSize(b2.szx);
        this.#host.emit({ kind: "receivedBlock", num: length > 0 ? Math.floor(position / length) : b2.num, block: msg.payload });
        if (b2.more) {
          const options = uriPathOptions(p.spec.uriPath);
          setBlock2(options, { num: b2.num + 1, more: false, szx: b2.szx });
          this.#send(now, p.spec, p.token, options, undefined, b2.num + 1, b2.szx, false);
          return;
        }
      }
    } else if (p.spec.block !== undefined) {
      const b1 = getBlock1(msg.options);
      if (msg.code === CoapCode.CONTINUE && b1 !== undefined && p.more) {
        this.#sendBlock1(now, p.spec, p.token, p.blockNum + 1, Math.min(p.szx, b1.szx), false);
        return;
      }
    }
    this.#host.emit({ kind: "response", peer, payload: msg.payload });
  }

  /** Block1 request for block `num`; block 0 always says more=1, as OpenThread's request does. */
  #sendBlock1(now: number, spec: RequestSpec, token: Uint8Array, num: number, szx: number, first: boolean): void {
    const { block, more } = this.#host.blocks.next(this.#host.random, blockSize(szx), (e) => this.#host.emit(e));
    const m = first ? true : more;
    const options = uriPathOptions(spec.uriPath);
    setBlock1(options, { num, more: m, szx });
    this.#send(now, spec, token, options, block, num, szx, m);
  }

  #send(now: number, spec: RequestSpec, token: Uint8Array, options: CoapMessage["options"], payload: Uint8Array | undefined,
    blockNum: number, szx: number, more: boolean): void {
    const confirmable = spec.confirmable || spec.block !== undefined;
    const messageId = this.#host.nextMessageId();
    const bytes = message(confirmable ? CoapType.CON : CoapType.NON, CODES[spec.method], messageId, token, options, payload);
    this.#host.send(bytes);
    if (!confirmable && spec.method !== "GET") return; // fire-and-forget (§3.11)
    const t0 = confirmable ? randomInt(this.#host.random, TRANSMISSION.ACK_TIMEOUT_MS, TRANSMISSION.ACK_TIMEOUT_MAX_MS) : 0;
    this.#pending.push({
      spec, messageId, token, bytes, confirmable, acked: false, retransmits: 0, interval: t0, retransmitAt: now + t0,
      giveUpAt: now + (confirmable ? GIVE_UP_FACTOR * t0 : TRANSMISSION.MAX_TRANSMIT_WAIT_MS), blockNum, szx, more,
    });
  }

  #remove(p: Pending): void {
    const i = this.#pending.indexOf(p);
    if (i >= 0) this.#pending.splice(i, 1);
  }
}
