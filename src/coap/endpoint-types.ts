// The types of CoapEndpoint's public face (see endpoint.ts for the theory of operation).
import type { CoapMessage } from "./message.js";
import type { CoapType } from "./numbers.js";
import type { RandomSource } from "../platform/random.js";
import type { PathEncoding } from "./options.js";
import type { ByteAllocator } from "../bytes/alloc.js";

export type RequestMethod = "GET" | "POST" | "PUT" | "DELETE";
/** Opaque peer key chosen by the caller; one DTLS session uses one value (default ""). */
export type PeerKey = string;
export type RequestId = number;

/** What a block source returns for one block. */
export interface BlockChunk {
  readonly bytes: Uint8Array;
  /** More blocks follow (the M flag sent with this block). */
  readonly more: boolean;
}

/**
 * Supplies the bytes of one outgoing block: Block2 blocks a resource serves, or Block1 blocks
 * of a client request. Called synchronously while the endpoint builds the message; `num` is
 * the block number on the wire, `size` the block size (16 … 1024).
 */
export type BlockSource = (num: number, size: number, peer: PeerKey) => BlockChunk;

export interface CoapEndpointOptions {
  readonly random: RandomSource;
  /** Where each encoded message's bytes come from (src/bytes/alloc.ts); default one ArrayBuffer each. */
  readonly allocate?: ByteAllocator;
  /**
   * Largest CoAP message handed to the transport, in bytes. A bigger one is dropped silently
   * on send (spec §8.5: the DTLS record limit, 900 bytes); the exchange carries on as if it had
   * been lost. Default 900.
   */
  readonly maxMessageSize?: number;
  /**
   * Largest Block1 body the server reassembles (beyond it the answer is 4.13), and largest
   * block-wise notification the client reassembles (beyond it the state is dropped). Default 65536.
   */
  readonly maxReassemblySize?: number;
  /**
   * How `path` strings (requests, resources, request events) map to Uri-Path bytes: "utf8"
   * (default), or "bytes" for one char per byte, matched byte for byte. With "bytes", a
   * request path with a char beyond 0xff makes `request` throw RangeError.
   */
  readonly pathEncoding?: PathEncoding;
  /**
   * Answer GET /.well-known/core in link-format (RFC 6690; Content-Format 40) with the
   * registered resources, `;obs` on observable ones, Block2 when it is over one message.
   * Default false: the path is then like any other (4.04 unless registered), as in OpenThread.
   */
  readonly wellKnownCore?: boolean;
  /**
   * Every n-th notification to an observer is sent CON, the others NON (RFC 7641 §4.5); one a
   * day is CON whatever n is. 1 makes every notification CON. Default 5 (libcoap's value).
   */
  readonly notificationConfirmableEvery?: number;
  /**
   * The first Observe sequence number (24 bits). A node that restarts can start from a clock
   * or random value so that its first notifications are not taken as old (RFC 7641 §4.4).
   * Default 0.
   */
  readonly firstObserveSequence?: number;
  /**
   * Most observers the endpoint keeps, all resources and peers together (each costs memory a
   * device has little of). A registration beyond it is answered without Observe (RFC 7641
   * §4.1), so the client knows it is not observing. Default 16.
   */
  readonly maxObservers?: number;
}

export interface RequestOptions {
  readonly method: RequestMethod;
  /** Split at every `/` into Uri-Path options, empty segments included (spec §6.1). */
  readonly path: string;
  /** CON or NON. Block-wise requests are always sent CON (spec §3.11). */
  readonly confirmable: boolean;
  readonly payload?: Uint8Array;
  readonly peer?: PeerKey;
  /**
   * Block-wise transfer with this block size (16 … 1024, a power of two).
   * GET: Block2(0, more=0, size) and every following block fetched until more=0 (spec §7.4).
   * PUT/POST/DELETE: RFC 7959 Block1; the blocks come from `blockSource` when given, else
   * from slices of `payload`.
   */
  readonly blockSize?: number;
  readonly blockSource?: BlockSource;
}

export interface ResourceOptions {
  /**
   * Serve GETs that carry Block2 block-wise: for block 0 the app's response supplies the code
   * and options and this source the bytes; later blocks are served from the source alone,
   * with no request event (spec §7.4).
   */
  readonly block2?: BlockSource;
  /**
   * The resource's current entity-tag, for If-Match (RFC 7252 §5.10.8.1): a request whose
   * If-Match values are all non-empty and none equals it is answered 4.12 Precondition Failed
   * and not reported. Without it (or when it returns undefined) only an empty If-Match matches.
   */
  readonly etag?: (peer: PeerKey) => Uint8Array | undefined;
  /**
   * RFC 7641: a GET with Observe=0 that the app answers 2.xx registers the client; the
   * response gets an Observe option and `notifyObservers` reaches the client from then on.
   */
  readonly observable?: boolean;
  /** Max-Age (seconds) put on registration responses and notifications that carry none. */
  readonly maxAge?: number;
  /** Extra link-params for /.well-known/core, e.g. `rt="temperature"`, `ct=0` (no `;`). */
  readonly linkAttributes?: readonly string[];
}

export interface ObserveOptions {
  /** Split at every `/` into Uri-Path options, as for `request`. */
  readonly path: string;
  /** Send the registration (and a later deregistration) CON. Default true. */
  readonly confirmable?: boolean;
  readonly peer?: PeerKey;
}

export interface NotifyOptions {
  /** Send this notification CON whatever the count says. */
  readonly confirmable?: boolean;
}

/**
 * Why an observer left the list: "cancel" (GET with Observe=1), "reset" (a Reset to a
 * notification), "timeout" (a CON notification never acknowledged), "rejected" (the app
 * answered a re-registration with a non-2.xx code), "error" (a non-2.xx notification was
 * delivered or given up on), "unregistered" (the resource was removed), "sessionEnded".
 */
export type ObserverRemovedReason = "cancel" | "reset" | "timeout" | "rejected" | "error" | "unregistered" | "sessionEnded";

export interface ResponseSpec {
  /** Code byte, e.g. CoapCode.CONTENT. */
  readonly code: number;
  readonly payload?: Uint8Array;
  /** Extra options (Content-Format…), in ascending number order. */
  readonly options?: CoapMessage["options"];
}

export type FailureReason = "ResponseTimeout" | "Abort";

export type EndpointEvent =
  /** A request for a registered resource (spec §5). Block1 bodies arrive reassembled, once. */
  | {
    readonly kind: "request";
    readonly handle: number;
    readonly peer: PeerKey;
    /** "Undefined" for any method code other than 0.01–0.04 (spec §4). */
    readonly method: RequestMethod | "Undefined";
    readonly path: string;
    readonly payload: Uint8Array;
    readonly type: CoapType;
    readonly message: CoapMessage;
    /** Answers as OpenThread does: an ACK with the request's Message ID and token, even for NON. */
    readonly respond: (response: ResponseSpec) => boolean;
  }
  /**
   * The answer to request `handle` was handed to the transport (`coaps response sent`): `bytes`
   * is the same array as its Transmit's, or undefined when the size limit dropped it (`dropped`).
   */
  | { readonly kind: "responseSent"; readonly handle: number; readonly peer: PeerKey; readonly dropped: boolean; readonly bytes: Uint8Array | undefined }
  /** Final response to a request (for block-wise GET: the last block's message). */
  | {
    readonly kind: "response";
    readonly requestId: RequestId;
    readonly peer: PeerKey;
    readonly code: number;
    readonly payload: Uint8Array;
    readonly message: CoapMessage;
  }
  | { readonly kind: "requestFailed"; readonly requestId: RequestId; readonly peer: PeerKey; readonly reason: FailureReason }
  /**
   * A 2.xx response with an Observe option to observation `requestId` (the registration's
   * answer, then each notification that is newer than the last, RFC 7641 §3.4). The observation
   * ends with a "response" (no Observe option, or not 2.xx: the server ended it, or it answered
   * `cancelObservation`) or a "requestFailed".
   */
  | {
    readonly kind: "notification";
    readonly requestId: RequestId;
    readonly peer: PeerKey;
    readonly code: number;
    readonly payload: Uint8Array;
    /** The Observe value (24 bits). */
    readonly sequence: number;
    readonly message: CoapMessage;
  }
  /** Server side: a client registered to observe `path` (a refreshed registration is not reported). */
  | { readonly kind: "observerAdded"; readonly peer: PeerKey; readonly path: string }
  | { readonly kind: "observerRemoved"; readonly peer: PeerKey; readonly path: string; readonly reason: ObserverRemovedReason }
  /** Server side: an observer acknowledged the CON notification in flight to it (§4.5). */
  | { readonly kind: "notificationAcked"; readonly peer: PeerKey; readonly path: string }
  /** One block went out (`send block` lines): as a server Block2 or client Block1. */
  | {
    readonly kind: "blockSent"; readonly peer: PeerKey; readonly role: "server" | "client";
    readonly num: number; readonly size: number; readonly more: boolean; readonly bytes: Uint8Array;
  }
  /** One block arrived (`received block` lines): a client Block2 or a server Block1 block. */
  | {
    readonly kind: "blockReceived"; readonly peer: PeerKey; readonly role: "server" | "client";
    readonly requestId?: RequestId;
    readonly num: number; readonly size: number; readonly more: boolean; readonly bytes: Uint8Array;
  };

export interface Transmit {
  readonly peer: PeerKey;
  readonly bytes: Uint8Array;
}
