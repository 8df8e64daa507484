// DtlsSession: one DTLS 1.2 session (client, or listening server) over a DtlsEngine, the
// platform's Clock/Timers and a send function. It keeps ONE timer armed at the engine's next
// deadline and turns engine output into datagrams and events.
//
// API (engineer E builds CoapSecureAgent on this; keep it stable):
//
//   const s = new DtlsSession<Peer>({
//     binding, clock, timers,                 // platform pieces
//     role: "client" | "server",
//     credentials,                            // DtlsCredentials (psk or x509)
//     peer,                                   // client only: where its datagrams go
//     send(datagram, peer) { udp.write(...) },
//     events: {
//       onAccepted(peer) {},   // server: a cookie-verified ClientHello from `peer` started the
//                              // handshake (count a connection attempt; ignore other peers now)
//       onConnected() {},      // handshake complete; s.cipherSuite is 0xC0A8 or 0xC0AE
//       onData(bytes) {},      // one application record
//       onClosed(reason, error) {}, // once; reason: DtlsCloseReason below, error: DtlsErrorName
//     },
//   });
//   s.receive(datagram, fromPeer, transportId) // every datagram for this session. Server: while
//                              // listening any peer, transportId = transportIdOf(addr, port)
//                              // binds the cookie; afterwards only the accepted peer's datagrams
//                              // (same transportId) are used, others are dropped silently.
//   s.send(bytes)              // one application record; throws unless connected, or (from the
//                              // binding) when longer than the engine's record limit
//   s.close()                  // close_notify if connected, then onClosed("local", "None")
//   s.state / s.error / s.peer / s.cipherSuite / s.keyLog()
//
// A client starts its handshake in the constructor (its ClientHello is sent synchronously).
// A listening server holds no per-peer state: a ClientHello without a valid cookie gets a
// HelloVerifyRequest sent to `fromPeer` and is forgotten. Events may fire inside receive(),
// send(), close() or a timer callback; calling close() or send() from inside a handler is fine.
// After onClosed the engine is freed; further receive() calls are ignored. A send function
// that throws costs that one datagram (DTLS retransmits flights). Optional
// handshakeTimeoutMinMs / handshakeTimeoutMaxMs override OpenThread's 8000 / 60000.
// A ClientHello offering no suite in common (a PSK node meeting an x509 node) gets its
// HelloVerifyRequest like any other; once the peer comes back with a valid cookie, the
// listening server fails with handshake-failure (no onAccepted; s.peer is the sender), so
// both sides see the mismatch. A forged sender never gets that far.
// The engine's "QueueFull" (feed/write with a full read/send queue) cannot arise here: every
// engine call is followed by draining both queues. Were it to, it surfaces like any other
// engine error (thrown from receive()/send(); onClosed reason "error" after close()).
import type { Clock, Timers, TimerHandle } from "../platform/clock.js";
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

export interface DtlsSessionEvents<P> {
  onAccepted?(peer: P): void;
  onConnected?(): void;
  onData?(data: Uint8Array): void;
  onClosed?(reason: DtlsCloseReason, error: DtlsErrorName): void;
}

export interface DtlsSessionOptions<P> {
  readonly binding: DtlsBinding;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly role: DtlsRole;
  readonly credentials: DtlsCredentials;
  /** Client: the server's address. Server: leave out (set when a peer is accepted). */
  readonly peer?: P;
  readonly send: (datagram: Uint8Array, peer: P) => void;
  readonly events?: DtlsSessionEvents<P>;
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
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #sendFn: (datagram: Uint8Array, peer: P) => void;
  readonly #events: DtlsSessionEvents<P>;
  #peer: P | undefined;
  #peerId: Uint8Array | undefined;
  #replyTo: P | undefined;
  #state: DtlsEngineState;
  #error: DtlsErrorName = "None";
  #suite = 0;
  #keyLog: string | undefined;
  #timer: TimerHandle | undefined;
  #timerAt = 0;
  #busy = false;
  #closing = false;

  constructor(options: DtlsSessionOptions<P>) {
    this.#clock = options.clock;
    this.#timers = options.timers;
    this.#sendFn = options.send;
    this.#events = options.events ?? {};
    const engine = options.binding.createEngine(this.#clock.now(), {
      role: options.role,
      credentials: options.credentials,
      ...(options.handshakeTimeoutMinMs !== undefined ? { handshakeTimeoutMinMs: options.handshakeTimeoutMinMs } : {}),
      ...(options.handshakeTimeoutMaxMs !== undefined ? { handshakeTimeoutMaxMs: options.handshakeTimeoutMaxMs } : {}),
    });
    this.#engine = engine;
    this.#state = engine.state();
    if (options.role === "client") {
      if (options.peer === undefined) throw new RangeError("client needs a peer");
      this.#peer = options.peer;
      this.#run(() => engine.handleTimer(this.#clock.now()));
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

  receive(datagram: Uint8Array, from: P, transportId?: Uint8Array): void {
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
    this.#run(() => engine.feed(this.#clock.now(), datagram));
  }

  send(data: Uint8Array): void {
    const engine = this.#engine;
    if (!engine || this.#state !== "connected") throw new Error("DTLS session not connected");
    this.#run(() => engine.write(this.#clock.now(), data));
  }

  close(): void {
    const engine = this.#engine;
    if (!engine || this.#closing) return;
    this.#closing = true;
    this.#run(() => engine.close(this.#clock.now()));
  }

  // Runs one engine operation, then ships its output and reports what changed.
  #run(op: () => void): void {
    const engine = this.#engine;
    if (!engine) return;
    const outer = !this.#busy;
    this.#busy = true;
    try {
      op();
    } finally {
      if (outer) {
        this.#busy = false;
        this.#settle();
      }
    }
  }

  #settle(): void {
    const engine = this.#engine;
    if (!engine) return;
    this.#flush(engine);
    const before = this.#state;
    const now = engine.state();
    this.#state = now;
    if (before === "listening" && now !== "listening" && now !== "closed") {
      this.#peer = this.#replyTo;
      if (now !== "failed" && this.#peer !== undefined) this.#events.onAccepted?.(this.#peer);
      if (this.#engine !== engine) return;
    }
    if (now === "connected" && before !== "connected") {
      this.#suite = engine.cipherSuite();
      this.#events.onConnected?.();
      if (this.#engine !== engine) return;
    }
    let record: Uint8Array | undefined;
    while (this.#engine === engine && (record = engine.read()) !== undefined) this.#events.onData?.(record);
    if (this.#engine !== engine) return;
    this.#flush(engine); // reading may have answered a retransmitted flight
    const after = engine.state();
    this.#state = after;
    if (after === "closed" || after === "failed") {
      this.#finish(engine);
      return;
    }
    this.#arm(engine);
  }

  #flush(engine: DtlsEngine): void {
    const to = this.#state === "listening" ? this.#replyTo : this.#peer ?? this.#replyTo;
    let d: Uint8Array | undefined;
    while ((d = engine.takeOutgoing()) !== undefined) {
      if (to === undefined) continue;
      try {
        this.#sendFn(d, to);
      } catch {
        // A refused send is a lost datagram: DTLS retransmits handshake flights, and
        // application data is the caller's to retry.
      }
    }
  }

  #arm(engine: DtlsEngine): void {
    const deadline = engine.nextDeadline();
    if (deadline === undefined) {
      this.#disarm();
      return;
    }
    if (this.#timer !== undefined && this.#timerAt === deadline) return;
    this.#disarm();
    this.#timerAt = deadline;
    this.#timer = this.#timers.set(() => {
      this.#timer = undefined;
      this.#run(() => engine.handleTimer(this.#clock.now()));
    }, Math.max(0, deadline - this.#clock.now()));
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = undefined;
  }

  #finish(engine: DtlsEngine): void {
    this.#disarm();
    this.#error = engine.error();
    this.#keyLog = engine.keyLog?.();
    this.#engine = undefined;
    engine.free();
    this.#events.onClosed?.(closeReasonOf(this.#error), this.#error);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
