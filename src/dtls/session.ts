// DtlsSession: one DTLS 1.2 session (client, or listening server) over a DtlsEngine, sans-IO
// like CoapEndpoint: it owns no socket, no timer and no callbacks. Every input takes `now`
// (platform Clock milliseconds); the output is pulled.
//
//   const s = new DtlsSession<Peer>(now, { binding, role, credentials, peer? });
//   s.handleDatagram(now, from, bytes, transportId?) // every datagram for this session
//   s.handleTimeout(now)               // at or after pollTimeout(); early calls are harmless
//   s.send(now, bytes)                 // one application record; throws unless connected, or
//                                      // (from the binding) when over the engine's record limit
//   s.close(now)                       // close_notify if connected, then a "closed" event
//   s.pollTransmit() → { to, bytes } | undefined   (drain after every call above)
//   s.pollEvent()    → DtlsSessionEvent | undefined
//   s.pollTimeout()  → absolute ms | undefined     (when handleTimeout is due)
//   s.state / s.error / s.peer / s.cipherSuite / s.keyLog()
//
// Events, in the order they happen: "accepted" (server: a peer got a session set up; count a
// connection attempt, ignore other peers now), "connected" (cipherSuite is 0xC0A8 or 0xC0AE),
// "data" (one application record), "closed" (once, last; the engine is freed then).
//
// A client queues its ClientHello in the constructor. A listening server holds no per-peer
// state: a ClientHello without a valid cookie gets a HelloVerifyRequest sent to `from` and is
// forgotten; `transportId` = transportIdOf(address, port) binds the cookie. Once a peer is
// accepted only its datagrams (same transportId) are used, others are dropped silently.
//
// Spec §8.1 (mode mismatch) lives here and only here: a ClientHello that offers no suite in
// common fails a listening server with handshake-failure once it carries a valid cookie (the
// engine answers a cookie-less one with a HelloVerifyRequest and stays listening, so a forged
// sender never gets that far). OpenThread had set up a
// session for that peer, so it is reported as "accepted" and then "closed": the peer uses a
// connection attempt and its end goes through the agent's 2 s guard like any other failure.
// Any other failure of a listening server (garbage) is "closed" without "accepted".
//
// The engine's "QueueFull" cannot arise: every engine call is followed by draining both of its
// queues. Were it to, it surfaces like any other engine error (thrown from handleDatagram or
// send; a "closed" event with reason "error" after close).
import type {
  DtlsBinding,
  DtlsCredentials,
  DtlsEngine,
  DtlsEngineState,
  DtlsErrorName,
  DtlsRole,
} from "../platform/dtls-binding.js";

export type DtlsCloseReason =
  | "local"                // close() was called
  | "peer-closed"          // close_notify received
  | "handshake-timeout"    // no answer: flights at 0/8/24/56 s, failure at 116 s
  | "bad-mac"              // wrong PSK (bad_record_mac sent or received)
  | "handshake-failure"    // no common suite (PSK vs x509), other negotiation failure
  | "certificate-rejected" // a peer certificate failed verification (either side)
  | "fatal-alert"          // another fatal alert received
  | "error";               // OutOfMemory / InternalError / InvalidInput / QueueFull

export type DtlsSessionEvent<P> =
  | { readonly kind: "accepted"; readonly peer: P }
  | { readonly kind: "connected"; readonly cipherSuite: number }
  | { readonly kind: "data"; readonly bytes: Uint8Array }
  | { readonly kind: "closed"; readonly reason: DtlsCloseReason; readonly error: DtlsErrorName };

export interface DtlsTransmit<P> {
  readonly to: P;
  readonly bytes: Uint8Array;
}

export interface DtlsSessionOptions<P> {
  readonly binding: DtlsBinding;
  readonly role: DtlsRole;
  readonly credentials: DtlsCredentials;
  /** Client: the server's address. Server: leave out (set when a peer is accepted). */
  readonly peer?: P;
  readonly handshakeTimeoutMinMs?: number;
  readonly handshakeTimeoutMaxMs?: number;
}

export function closeReasonOf(error: DtlsErrorName): DtlsCloseReason {
  switch (error) {
    case "None": return "local";
    case "PeerClosed": return "peer-closed";
    case "HandshakeTimeout": return "handshake-timeout";
    case "BadRecordMac": return "bad-mac";
    case "HandshakeFailure": return "handshake-failure";
    case "CertificateRejected": return "certificate-rejected";
    case "FatalAlert": return "fatal-alert";
    default: return "error";
  }
}

export class DtlsSession<P> {
  #engine: DtlsEngine | undefined;
  #peer: P | undefined;
  #peerId: Uint8Array | undefined;
  #replyTo: P | undefined;
  #state: DtlsEngineState;
  #error: DtlsErrorName = "None";
  #suite = 0;
  #keyLog: string | undefined;
  readonly #transmits: DtlsTransmit<P>[] = [];
  readonly #events: DtlsSessionEvent<P>[] = [];

  /** Throws when the binding refuses the engine (e.g. unusable credentials); nothing is queued then. */
  constructor(now: number, options: DtlsSessionOptions<P>) {
    if (options.role === "client" && options.peer === undefined) throw new RangeError("client needs a peer");
    // The one place the engine is created; its retransmission clock starts at `now`.
    const engine = options.binding.createEngine(now, {
      role: options.role,
      credentials: options.credentials,
      ...(options.handshakeTimeoutMinMs !== undefined ? { handshakeTimeoutMinMs: options.handshakeTimeoutMinMs } : {}),
      ...(options.handshakeTimeoutMaxMs !== undefined ? { handshakeTimeoutMaxMs: options.handshakeTimeoutMaxMs } : {}),
    });
    this.#engine = engine;
    this.#state = engine.state();
    if (options.role === "client") {
      this.#peer = options.peer;
      engine.handleTimer(now); // starts the handshake: the ClientHello is queued now
      this.#settle(engine);
    }
  }

  get state(): DtlsEngineState { return this.#state; }
  /** DtlsErrorName of the failure (or "PeerClosed"); "None" otherwise. */
  get error(): DtlsErrorName { return this.#error; }
  /** The peer this session talks to (server: once accepted). */
  get peer(): P | undefined { return this.#peer; }
  /** 0xC0A8 (PSK) or 0xC0AE (ECDHE-ECDSA) once connected, else 0. */
  get cipherSuite(): number { return this.#suite; }
  /** NSS key-log line for pcap decryption, when the binding exports keys. */
  keyLog(): string | undefined { return this.#keyLog ?? this.#engine?.keyLog?.(); }
  /** True once the "closed" event is queued: the engine is freed and every input is ignored. */
  get ended(): boolean { return this.#engine === undefined; }

  handleDatagram(now: number, from: P, bytes: Uint8Array, transportId?: Uint8Array): void {
    const engine = this.#engine;
    if (!engine) return;
    if (this.#state === "listening") {
      if (!transportId) return;
      engine.setClientId(transportId);
      this.#replyTo = from;
      this.#peerId = transportId;
    } else if (this.#peerId && transportId && !sameBytes(this.#peerId, transportId)) {
      return; // another peer while this one owns the session
    }
    try {
      engine.feed(now, bytes);
    } finally {
      this.#settle(engine);
    }
  }

  handleTimeout(now: number): void {
    const engine = this.#engine;
    if (!engine) return;
    try {
      engine.handleTimer(now);
    } finally {
      this.#settle(engine);
    }
  }

  send(now: number, data: Uint8Array): void {
    const engine = this.#engine;
    if (!engine || this.#state !== "connected") throw new Error("DTLS session not connected");
    try {
      engine.write(now, data);
    } finally {
      this.#settle(engine);
    }
  }

  close(now: number): void {
    const engine = this.#engine;
    if (!engine) return;
    try {
      engine.close(now);
    } finally {
      this.#settle(engine);
    }
  }

  pollTransmit(): DtlsTransmit<P> | undefined { return this.#transmits.shift(); }
  pollEvent(): DtlsSessionEvent<P> | undefined { return this.#events.shift(); }
  pollTimeout(): number | undefined { return this.#engine?.nextDeadline(); }

  /**
   * After every engine operation, also one that threw (each caller's finally; no closure per
   * operation): the engine's output is queued and its state followed.
   */
  #settle(engine: DtlsEngine): void {
    this.#takeOutgoing(engine);
    const before = this.#state;
    const now = engine.state();
    this.#state = now;
    if (before === "listening" && now !== "listening" && now !== "closed") {
      this.#peer = this.#replyTo;
      const setUp = now !== "failed" || engine.error() === "HandshakeFailure";
      if (setUp && this.#peer !== undefined) this.#events.push({ kind: "accepted", peer: this.#peer });
    }
    if (now === "connected" && before !== "connected") {
      this.#suite = engine.cipherSuite();
      this.#events.push({ kind: "connected", cipherSuite: this.#suite });
    }
    for (let r = engine.read(); r !== undefined; r = engine.read()) this.#events.push({ kind: "data", bytes: r });
    this.#takeOutgoing(engine); // reading may have answered a retransmitted flight
    const after = engine.state();
    this.#state = after;
    if (after === "closed" || after === "failed") this.#finish(engine);
  }

  #takeOutgoing(engine: DtlsEngine): void {
    const to = this.#state === "listening" ? this.#replyTo : this.#peer ?? this.#replyTo;
    for (let d = engine.takeOutgoing(); d !== undefined; d = engine.takeOutgoing()) {
      if (to !== undefined) this.#transmits.push({ to, bytes: d });
    }
  }

  #finish(engine: DtlsEngine): void {
    this.#error = engine.error();
    this.#keyLog = engine.keyLog?.();
    this.#engine = undefined;
    engine.free();
    this.#events.push({ kind: "closed", reason: closeReasonOf(this.#error), error: this.#error });
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true; // the agent hands the same id object for the same peer
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
