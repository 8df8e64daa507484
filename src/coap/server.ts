// Server side of the endpoint: resources, duplicate detection, 4.04 for unknown paths and the
// server half of block-wise transfer (spec §5, §7.1, §7.4).
//
// Responses copy OpenThread: always type ACK with the request's Message ID and token, even for
// a NON request. Unknown paths are answered by this layer and never reported: an ACK 4.04 for
// a CON, a NON 4.04 with a new Message ID and the same token for a NON.
//
// Before a request reaches the app it must pass, in this order (none of these is reported
// either; OpenThread checks none of them, this is RFC 7252):
//   1. no unrecognised critical option (§5.4.1, critical.ts): a CON gets ACK 4.02 Bad Option
//      with a diagnostic payload; a NON is ignored without a Reset ("MUST cause the message to
//      be ignored", §5.4.1; the Reset of §4.3 is optional and we do not send it);
//   2. no Proxy-Uri or Proxy-Scheme: 5.05 Proxying Not Supported, not 4.02. §5.10.2 says an
//      endpoint "unable or unwilling to act as a forward-proxy" MUST return 5.05 (§5.7.2: the
//      answer of a server that does not proxy); 4.02 is for options an endpoint does not
//      understand, and these it does;
//   3. a registered path: else 4.04 (Proxy-Uri takes precedence over Uri-Path, §5.10.2);
//   4. its conditions (§5.10.8): If-Match holds when one of its values is empty (the resource
//      exists) or equals the resource's current ETag (ResourceOptions.etag; none = no value
//      matches); If-None-Match never holds, the resource exists. Else 4.12 Precondition Failed.
// Answers 2–4 follow the 4.04 pattern: an ACK for a CON, a NON with a new Message ID for a NON.
//
// Between 2 and 3, a GET with Observe=1 ends the observation with its token (RFC 7641 §3.6,
// observe.ts) and goes on as a plain GET. At 3, an unregistered /.well-known/core is answered
// here in link-format when the endpoint has `wellKnownCore` (RFC 6690), following the same
// pattern. A GET with Observe=0 on an observable resource reaches the app as usual; its 2.xx
// answer registers the client and carries the Observe value.
import type { CoapMessage } from "./message.js";
import { EMPTY_BYTES, bytesEqual } from "./message.js";
import { latin1Decode, utf8Decode, utf8Encode } from "../bytes/text.js";
import { CoapCode, CoapOptionNumber, CoapType, TRANSMISSION } from "./numbers.js";
import {
  addOption, blockSize, decodeBlock, findOption, findOptions, getBlock1, getBlock2, getIfMatch, getObserve, getUriPath, hasIfNoneMatch, setBlock1, setBlock2,
  setContentFormat, setMaxAge, setObserve, setSize2,
} from "./options.js";
import { ObserverRegistry, type ObserveConfig } from "./observe.js";
import { LINK_FORMAT, WELL_KNOWN_CORE, linkFormat, linkMatches, parseLinkFilter } from "./link-format.js";
import { REQUEST_CRITICAL, unrecognisedCritical } from "./critical.js";
import type { BlockOption } from "./options.js";
import { ResponseCache } from "./dedup.js";
import { BLOCK_HEADROOM, addBlockOptions, blockOf, largestSzx, type RepresentationBlock } from "./representation-blocks.js";
import { Block1Reassembly } from "./blockwise.js";
import type { EndpointContext } from "./endpoint-context.js";
import type { PeerKey, RequestMethod, ResourceOptions, ResponseSpec } from "./endpoint-types.js";

const METHODS: readonly (RequestMethod | undefined)[] = Object.freeze([undefined, "GET", "POST", "PUT", "DELETE"]);
/** Requests the app never answers (NON PUT…) are forgotten after this many newer ones. */
const MAX_UNANSWERED = 32;

/**
 * How long a request the app has not answered keeps its Message ID "in use" (RFC 7252 §4.8.2).
 * A CON's retransmissions can come for MAX_TRANSMIT_SPAN and the peer may not reuse its ID
 * within EXCHANGE_LIFETIME: keeping it that long, counted from arrival like a cached response,
 * means a retransmitted CON prints nothing whether or not it was answered (§7.1; a CON with an
 * `Undefined` method is never answered, §4). A NON is never retransmitted and the peer may reuse
 * its ID after NON_LIFETIME, so a NON PUT/POST/DELETE must not block a new request longer.
 */
const unansweredLifetime = (type: CoapType): number =>
  type === CoapType.CON ? TRANSMISSION.EXCHANGE_LIFETIME_MS : TRANSMISSION.NON_LIFETIME_MS;

/**
 * The `respond` of a request event. Made here, not as an arrow in the event's literal: there the
 * arrow takes the property's name, which transpilers that keep names (tsx) set with a
 * defineProperty call on every request.
 */
function responder(server: ResourceServer, handle: number): (response: ResponseSpec) => boolean {
  return (response) => server.respond(handle, response);
}

/** RFC 7252 §5.10.8 on a resource that exists and has entity-tag `etag` (or none). */
function preconditionsHold(request: CoapMessage, etag: Uint8Array | undefined): boolean {
  if (hasIfNoneMatch(request.options)) return false;
  const ifMatch = getIfMatch(request.options);
  return ifMatch.length === 0 || ifMatch.some((value) => value.length === 0 || (etag !== undefined && bytesEqual(value, etag)));
}

interface PendingRequest {
  readonly now: number;
  readonly expires: number;
  readonly peer: PeerKey;
  readonly request: CoapMessage;
  readonly path: string;
  readonly block1: BlockOption | undefined;
  readonly block2: BlockOption | undefined;
  /** A GET of a resource without a block source: the Block2 asked for, cut from the app's answer. */
  readonly cut: BlockOption | undefined;
  /** A GET with Observe=0 on an observable resource: a 2.xx answer registers the client. */
  readonly observe: boolean;
}

export interface ServerConfig {
  readonly maxReassemblySize: number;
  readonly wellKnownCore: boolean;
  readonly observe: ObserveConfig;
}


export class ResourceServer {
  readonly #ctx: EndpointContext;
  readonly #resources = new Map<string, ResourceOptions>();
  readonly #cache = new ResponseCache();
  readonly #reassembly: Block1Reassembly;
  readonly #pending = new Map<number, PendingRequest>();
  #nextHandle = 1;
  readonly #wellKnownCore: boolean;
  /** The observers of this server's observable resources (RFC 7641). */
  readonly observers: ObserverRegistry;

  constructor(ctx: EndpointContext, config: ServerConfig) {
    this.#ctx = ctx;
    this.#reassembly = new Block1Reassembly(config.maxReassemblySize);
    this.#wellKnownCore = config.wellKnownCore;
    this.observers = new ObserverRegistry(ctx, config.observe);
  }

  /** Registering a path again replaces its options; observers go when it is no longer observable. */
  register(path: string, options: ResourceOptions = {}): void {
    this.#resources.set(path, options);
    if (options.observable !== true) this.observers.forgetPath(path);
  }

  /** With `now`, the resource's observers get a final 4.04 (RFC 7641 §3.2); without, they are forgotten. */
  unregister(path: string, now?: number): boolean {
    if (!this.#resources.delete(path)) return false;
    if (now === undefined) this.observers.forgetPath(path);
    else this.observers.endPath(now, path);
    return true;
  }

  /** A CON or NON request. */
  handleRequest(now: number, peer: PeerKey, msg: CoapMessage): void {
    const cached = this.#cache.find(now, peer, msg.messageId);
    if (cached !== undefined) {
      if (cached.bytes !== undefined) this.#ctx.resend(peer, cached.bytes);
      return;
    }
    // Usually empty (the app answers at once): skip making an iterator then.
    if (this.#pending.size > 0) {
      for (const [h, p] of this.#pending) {
        if (p.expires <= now) this.#pending.delete(h);
        else if (p.peer === peer && p.request.messageId === msg.messageId) return; // still being answered
      }
    }
    const asNon = msg.type === CoapType.NON;
    const bad = unrecognisedCritical(msg.options, REQUEST_CRITICAL);
    if (bad !== undefined) {
      if (!asNon) this.#reply(now, peer, msg, CoapCode.BAD_OPTION, false, undefined, utf8Encode(`unrecognised critical option ${bad}`));
      return;
    }
    if (findOption(msg.options, CoapOptionNumber.PROXY_URI) !== undefined || findOption(msg.options, CoapOptionNumber.PROXY_SCHEME) !== undefined) {
      this.#reply(now, peer, msg, CoapCode.PROXYING_NOT_SUPPORTED, asNon);
      return;
    }
    // RFC 7641 §3.6: a GET with Observe=1 and the observation's token deregisters it, then is
    // handled as a plain GET.
    const observe = msg.code === CoapCode.GET ? getObserve(msg.options) : undefined;
    if (observe === 1) this.observers.deregister(peer, msg.token, "cancel");
    const path = getUriPath(msg.options, this.#ctx.pathEncoding);
    const resource = this.#resources.get(path);
    if (resource === undefined) {
      if (this.#wellKnownCore && path === WELL_KNOWN_CORE) this.#serveWellKnownCore(now, peer, msg, asNon);
      else this.#reply(now, peer, msg, CoapCode.NOT_FOUND, asNon);
      return;
    }
    if (!preconditionsHold(msg, resource.etag?.(peer))) { this.#reply(now, peer, msg, CoapCode.PRECONDITION_FAILED, asNon); return; }

    let payload = msg.payload;
    // Each block option found once (this runs for every request).
    const block1Option = findOption(msg.options, CoapOptionNumber.BLOCK1);
    const block2Option = findOption(msg.options, CoapOptionNumber.BLOCK2);
    const block1 = block1Option && decodeBlock(block1Option.value);
    const block2 = resource.block2 !== undefined && block2Option !== undefined ? decodeBlock(block2Option.value) : undefined;
    // A resource the app answers whole is served in blocks by this layer (RFC 7959 §2.4): the
    // later blocks of a big answer or notification are fetched with plain GETs (§3.4).
    const cut = resource.block2 === undefined && block2Option !== undefined && msg.code === CoapCode.GET ? decodeBlock(block2Option.value) : undefined;
    if ((block1Option !== undefined && block1 === undefined) || (resource.block2 !== undefined && block2Option !== undefined && block2 === undefined)) {
      this.#reply(now, peer, msg, CoapCode.BAD_REQUEST, false);
      return;
    }
    if (block1 !== undefined) {
      this.#ctx.emit({ kind: "blockReceived", peer, role: "server", num: block1.num, size: blockSize(block1.szx), more: block1.more, bytes: msg.payload });
      const outcome = this.#reassembly.add(peer, path, block1, msg.payload);
      if (outcome.kind === "incomplete") { this.#reply(now, peer, msg, CoapCode.REQUEST_ENTITY_INCOMPLETE, false); return; }
      if (outcome.kind === "tooLarge") { this.#reply(now, peer, msg, CoapCode.REQUEST_ENTITY_TOO_LARGE, false); return; }
      if (outcome.kind === "continue") {
        this.#reply(now, peer, msg, CoapCode.CONTINUE, false, (o) => setBlock1(o, block1));
        return;
      }
      payload = outcome.body;
    }
    if (block2 !== undefined && block2.num > 0 && msg.code === CoapCode.GET) {
      // spec §7.4: blocks after 0 come from the source alone; the app sees no request.
      const chunk = this.#takeBlock(peer, resource, block2);
      this.#reply(now, peer, msg, CoapCode.CONTENT, false, (o) => setBlock2(o, { num: block2.num, more: chunk.more, szx: block2.szx }), chunk.bytes);
      return;
    }
    const handle = this.#nextHandle++;
    const registers = observe === 0 && resource.observable === true && block1 === undefined;
    this.#pending.set(handle, { now, expires: now + unansweredLifetime(msg.type), peer, request: msg, path, block1, block2, cut, observe: registers });
    if (this.#pending.size > MAX_UNANSWERED) this.#pending.delete(this.#pending.keys().next().value!);
    this.#ctx.emit({
      kind: "request", handle, peer, method: METHODS[msg.code] ?? "Undefined", path, payload, type: msg.type, message: msg,
      respond: responder(this, handle),
    });
  }

  /** Answers request `handle` once; false when it is unknown or already answered. */
  respond(handle: number, response: ResponseSpec): boolean {
    const p = this.#pending.get(handle);
    if (p === undefined) return false;
    this.#pending.delete(handle);
    const resource = this.#resources.get(p.path);
    let payload = response.payload ?? EMPTY_BYTES;
    let block2: BlockOption | undefined;
    let cut: Exclude<RepresentationBlock, "pastEnd"> | undefined;
    if (p.block2 !== undefined && resource?.block2 !== undefined) {
      const chunk = this.#takeBlock(p.peer, resource, p.block2);
      payload = chunk.bytes;
      block2 = { num: p.block2.num, more: chunk.more, szx: p.block2.szx };
    } else if (resource !== undefined && resource.block2 === undefined && p.request.code === CoapCode.GET) {
      const block = blockOf(payload, p.cut, this.#ctx.maxMessageSize);
      if (block === "pastEnd") {
        const bytes = this.#reply(p.now, p.peer, p.request, CoapCode.BAD_OPTION, false);
        this.#ctx.emit({ kind: "responseSent", handle, peer: p.peer, dropped: bytes === undefined, bytes });
        return true;
      }
      cut = block;
    }
    const whole = payload;
    if (cut !== undefined) payload = cut.bytes;
    let sequence: number | undefined;
    if (p.observe && resource?.observable === true) {
      if (response.code >> 5 === 2) sequence = this.observers.register(p.now, p.peer, p.request.token, p.path, resource.maxAge, p.cut?.szx);
      else this.observers.deregister(p.peer, p.request.token, "rejected"); // RFC 7641 §4.1
    }
    const bytes = this.#reply(p.now, p.peer, p.request, response.code, false, (o) => {
      const extras = response.options;
      for (let i = 0; extras !== undefined && i < extras.length; i++) {
        const extra = extras[i]!;
        if (sequence === undefined || extra.number !== CoapOptionNumber.OBSERVE) addOption(o, extra.number, extra.value);
      }
      if (sequence !== undefined) {
        setObserve(o, sequence);
        if (resource?.maxAge !== undefined && findOption(o, CoapOptionNumber.MAX_AGE) === undefined) setMaxAge(o, resource.maxAge);
      }
      if (p.block1 !== undefined) setBlock1(o, { num: p.block1.num, more: false, szx: p.block1.szx });
      if (block2 !== undefined) setBlock2(o, block2);
      if (cut !== undefined) addBlockOptions(o, cut, whole);
    }, payload);
    this.#ctx.emit({ kind: "responseSent", handle, peer: p.peer, dropped: bytes === undefined, bytes });
    return true;
  }

  /** The session ended: duplicate cache, reassembly, unanswered requests and observers of `peer` go. */
  clear(peer?: PeerKey): void {
    this.observers.clear(peer);
    this.#cache.clear(peer);
    this.#reassembly.clear(peer);
    for (const [h, p] of [...this.#pending]) if (peer === undefined || p.peer === peer) this.#pending.delete(h);
  }

  /**
   * GET /.well-known/core (RFC 6690 §4): the registered resources in link-format, answered by
   * this layer (no request event) like a 4.04. A list over one message goes block-wise (RFC
   * 7959 late negotiation): Block2 at the largest size that fits, or the size the client asked
   * for when smaller; block 0 carries Size2. Each Uri-Query option is a filter (RFC 6690 §4.1,
   * link-format.ts) that a link must pass; when none passes the answer is still 2.05, with an
   * empty list, as libcoap answers (the list exists, it is empty; 4.04 would say it does not).
   */
  #serveWellKnownCore(now: number, peer: PeerKey, msg: CoapMessage, asNon: boolean): void {
    if (msg.code !== CoapCode.GET) { this.#reply(now, peer, msg, CoapCode.METHOD_NOT_ALLOWED, asNon); return; }
    const hasBlock2 = findOption(msg.options, CoapOptionNumber.BLOCK2) !== undefined;
    const requested = getBlock2(msg.options);
    if (hasBlock2 && requested === undefined) { this.#reply(now, peer, msg, CoapCode.BAD_REQUEST, asNon); return; }
    const encoding = this.#ctx.pathEncoding;
    const decode = encoding === "bytes" ? latin1Decode : utf8Decode;
    const filters = findOptions(msg.options, CoapOptionNumber.URI_QUERY).map((q) => parseLinkFilter(decode(q)));
    const links = [...this.#resources].map(([path, r]) => ({ path, observable: r.observable === true, attributes: r.linkAttributes ?? [] }))
      .filter((link) => linkMatches(link, filters, encoding));
    const body = utf8Encode(linkFormat(links, encoding));
    const room = this.#ctx.maxMessageSize - BLOCK_HEADROOM;
    if (requested === undefined && body.length <= room) {
      this.#reply(now, peer, msg, CoapCode.CONTENT, asNon, (o) => setContentFormat(o, LINK_FORMAT), body);
      return;
    }
    let szx = largestSzx(this.#ctx.maxMessageSize);
    let num = 0;
    if (requested !== undefined) {
      // A smaller block than asked for starts at the same byte offset (RFC 7959 §2.4).
      if (requested.szx < szx) szx = requested.szx;
      num = (requested.num * blockSize(requested.szx)) / blockSize(szx);
    }
    const size = blockSize(szx);
    const start = num * size;
    if (start > 0 && start >= body.length) { this.#reply(now, peer, msg, CoapCode.BAD_OPTION, asNon); return; }
    const more = start + size < body.length;
    this.#reply(now, peer, msg, CoapCode.CONTENT, asNon, (o) => {
      setContentFormat(o, LINK_FORMAT);
      setBlock2(o, { num, more, szx });
      if (num === 0) setSize2(o, body.length);
    }, body.subarray(start, start + size));
  }

  #takeBlock(peer: PeerKey, resource: ResourceOptions, block: BlockOption) {
    const size = blockSize(block.szx);
    const chunk = resource.block2!(block.num, size, peer);
    this.#ctx.emit({ kind: "blockSent", peer, role: "server", num: block.num, size, more: chunk.more, bytes: chunk.bytes });
    return chunk;
  }

  /**
   * Sends a response to `request`: an ACK with its Message ID (cached for duplicates), or, for
   * `asNon`, a NON with a new Message ID (not cached). Both carry the request's token.
   */
  #reply(now: number, peer: PeerKey, request: CoapMessage, code: number, asNon: boolean,
    addOptions?: (options: CoapMessage["options"]) => void, payload: Uint8Array = EMPTY_BYTES): Uint8Array | undefined {
    const msg: CoapMessage = {
      type: asNon ? CoapType.NON : CoapType.ACK, code, messageId: asNon ? this.#ctx.nextMessageId() : request.messageId,
      token: request.token, options: [], payload,
    };
    addOptions?.(msg.options);
    const bytes = this.#ctx.send(peer, msg);
    if (!asNon) this.#cache.add(now, peer, request.messageId, bytes);
    return bytes;
  }
}
