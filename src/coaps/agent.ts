// CoapSecureAgent: OpenThread's CoAP-secure agent semantics (spec §2, §3, §8.4).
//
// Theory of operation. The agent owns the transport (UDP 5684 while open), the settings
// that survive stop/start (§2.2), the connection-attempt counter and ONE session slot:
//
//   disconnected --connect / accept--> connecting --handshake done--> connected
//   connecting|connected --disconnect, stop, peer close, failure, timeout--> disconnecting
//   disconnecting --2 s guard expires--> disconnected   (prints `coaps disconnected`)
//
// Every teardown goes through the 2 s guard. Pending requests are frozen during the guard
// and abort (`error 11: Abort`) right before `coaps disconnected`. When the guard ends, a
// pending `coaps stop` or an exhausted attempt limit closes the transport silently. While
// the slot is in use, datagrams from any other peer are dropped silently (§8.4); during the
// guard, all datagrams are. With the slot free and the transport open, a listening server
// DtlsSession answers ClientHellos statelessly (cookies) until one is verified: that peer
// is accepted and uses one connection attempt.

import type { Platform } from "../platform/index.js";
import type { TimerHandle } from "../platform/clock.js";
import type { DtlsCredentials } from "../platform/dtls-binding.js";
import type { UdpDatagram, UdpSocket } from "../platform/udp.js";
import { DtlsSession, transportIdOf } from "../dtls/index.js";
import { parseAddressText } from "./address.js";
import { CoapCode, CoapEndpoint, CoapType, type BlockChunk, type EndpointEvent } from "../coap/index.js";
import { BlockCounter } from "./block-counter.js";
import { OtError } from "./ot-error.js";
import type { AgentEvent, AgentEventListener, CoapsControl, RequestSpec } from "./types.js";

export type SessionState = "disconnected" | "connecting" | "connected" | "disconnecting";

/** spec §2.1: every teardown waits this long before `coaps disconnected`. */
export const GUARD_TIME_MS = 2000;
export const COAPS_PORT = 5684;
/** spec §8.5: DTLS record payload limit (no TCAT); bigger CoAP messages are dropped on send. */
export const RECORD_PAYLOAD_LIMIT = 900;

/** The built-in `coaps x509` credentials (PEM bytes). */
export interface X509Material {
  readonly certificate: Uint8Array;
  readonly privateKey: Uint8Array;
  readonly caChain: Uint8Array;
}

export interface AgentOptions {
  /** Local UDP port; 5684 unless a host test needs another. */
  readonly port?: number;
  readonly x509?: X509Material;
}

interface Peer { readonly address: string; readonly port: number }

type CredentialMode = { mode: "none" } | { mode: "psk"; key: Uint8Array; identity: Uint8Array } | { mode: "x509" };

export class CoapSecureAgent implements CoapsControl {
  readonly #platform: Platform;
  readonly #port: number;
  readonly #x509: X509Material | undefined;
  readonly #listeners: AgentEventListener[] = [];
  readonly #blocks = new BlockCounter();
  readonly #coap: CoapEndpoint;
  #socket: UdpSocket | undefined;
  #state: SessionState = "disconnected";
  #session: DtlsSession<Peer> | undefined;
  #peer: Peer | undefined;
  #credentials: CredentialMode = { mode: "none" };
  #verifyPeer = true;
  #attemptLimit = 0;
  #attemptsLeft = 0;
  #stopPending = false;
  #guard: TimerHandle | undefined;
  #coapTimer: TimerHandle | undefined;
  #coapTimerAt = 0;
  #uri: string | undefined;
  #content: Uint8Array = new Uint8Array([0x30]);
  #lastSender: { text: string; peer: Peer; id: Uint8Array } | undefined;

  constructor(platform: Platform, options: AgentOptions = {}) {
    this.#platform = platform;
    this.#port = options.port ?? COAPS_PORT;
    this.#x509 = options.x509;
    this.#coap = new CoapEndpoint({ random: platform.random, maxMessageSize: RECORD_PAYLOAD_LIMIT });
  }

  onEvent(listener: AgentEventListener): void {
    this.#listeners.push(listener);
  }

  get state(): SessionState { return this.#state; }

  // ---- commands (§3) ----

  start(verifyPeer: boolean, maxAttempts: number): OtError {
    this.#verifyPeer = verifyPeer; // applied even when the start then fails (§3.2)
    if (this.#socket !== undefined) return OtError.Already;
    try {
      this.#socket = this.#platform.udp({ port: this.#port, onReadable: () => this.#drainSocket() });
    } catch {
      return OtError.Failed;
    }
    this.#attemptLimit = maxAttempts;
    this.#attemptsLeft = maxAttempts;
    this.#stopPending = false;
    this.#listen();
    return OtError.None;
  }

  stop(): void {
    if (this.#state === "disconnected") {
      this.#closeTransport();
      return;
    }
    this.#stopPending = true;
    if (this.#state !== "disconnecting") this.#teardownLocal();
  }

  connect(address: string, port: number): OtError {
    if (this.#socket === undefined || this.#state !== "disconnected") return OtError.InvalidState;
    const credentials = this.#dtlsCredentials();
    if (credentials === undefined) return OtError.InvalidArgs; // OpenThread asserts here (§2.2)
    this.#dropListener();
    this.#useAttempt();
    this.#state = "connecting";
    this.#peer = { address, port };
    this.#session = this.#newSession("client", credentials, this.#peer);
    return OtError.None;
  }

  disconnect(): void {
    if (this.#state === "connecting" || this.#state === "connected") this.#teardownLocal();
  }

  isClosed(): boolean { return this.#socket === undefined; }
  isConnected(): boolean { return this.#state === "connected"; }
  isConnectionActive(): boolean { return this.#state !== "disconnected"; }

  setPsk(key: Uint8Array, identity: Uint8Array): void {
    this.#credentials = { mode: "psk", key: key.slice(), identity: identity.slice() };
    this.#refreshListener();
  }

  setX509(): void {
    this.#credentials = { mode: "x509" };
    this.#refreshListener();
  }

  resourceUri(): string { return this.#uri ?? ""; }
  /** Registers the one resource, or renames it in place (old path answers 4.04 at once). */
  setResourceUri(uri: string): void {
    if (this.#uri !== undefined) this.#coap.unregisterResource(this.#uri);
    this.#uri = uri;
    this.#coap.registerResource(uri, { block2: (num, size) => this.#nextBlock(num, size) });
  }
  content(): Uint8Array { return this.#content; }
  setContent(content: Uint8Array): void { this.#content = content.slice(); }
  setBlockCount(count: number): void { this.#blocks.count = count; }

  sendRequest(request: RequestSpec): OtError {
    if (this.#state !== "connected") return OtError.InvalidState;
    this.#coap.request(this.#platform.clock.now(), {
      method: request.method,
      path: request.uriPath,
      confirmable: request.confirmable,
      ...(request.payload !== undefined ? { payload: request.payload } : {}),
      ...(request.block !== undefined ? { blockSize: request.block, blockSource: (num: number, size: number) => this.#nextBlock(num, size) } : {}),
    });
    this.#pumpCoap();
    return OtError.None;
  }

  /** Closes everything at once without printing (the app is shutting down). */
  close(): void {
    this.#clearGuard();
    this.#clearCoapTimer();
    const s = this.#session;
    this.#session = undefined;
    s?.close();
    this.#state = "disconnected";
    this.#closeTransport();
  }

  // ---- transport ----

  #drainSocket(): void {
    let d: UdpDatagram | undefined;
    while (this.#socket !== undefined && (d = this.#socket.read()) !== undefined) this.#onDatagram(d);
  }

  #onDatagram(d: UdpDatagram): void {
    if (this.#state === "disconnecting") return; // spec §8.4: ignored during the guard
    const session = this.#session;
    if (session === undefined) return;
    const from = this.#sender(d.address, d.port);
    if (this.#peer !== undefined && (this.#peer.address !== from.peer.address || this.#peer.port !== from.peer.port)) return;
    session.receive(d.bytes, from.peer, from.id);
  }

  /** The sender in canonical form with its cookie transport id; the last one is kept (hot path). */
  #sender(text: string, port: number): { peer: Peer; id: Uint8Array } {
    const last = this.#lastSender;
    if (last !== undefined && last.text === text && last.peer.port === port) return last;
    const address = parseAddressText(text) ?? text;
    const fresh = { text, peer: { address, port }, id: transportIdOf(address, port) };
    this.#lastSender = fresh;
    return fresh;
  }

  #closeTransport(): void {
    this.#dropListener();
    const socket = this.#socket;
    this.#socket = undefined;
    this.#stopPending = false;
    socket?.close();
  }

  #useAttempt(): void {
    if (this.#attemptLimit > 0 && this.#attemptsLeft > 0) this.#attemptsLeft--;
  }

  // ---- sessions ----

  /** With the slot free and the transport open, a server session listens for ClientHellos. */
  #listen(): void {
    if (this.#socket === undefined || this.#state !== "disconnected" || this.#session !== undefined) return;
    const credentials = this.#dtlsCredentials();
    if (credentials === undefined) return; // nothing to answer with: ClientHellos go unanswered
    this.#session = this.#newSession("server", credentials, undefined);
  }

  /** New credentials apply to the next session, including the one a listener would accept. */
  #refreshListener(): void {
    if (this.#state !== "disconnected") return;
    this.#dropListener();
    this.#listen();
  }

  #dropListener(): void {
    if (this.#state !== "disconnected") return;
    const s = this.#session;
    this.#session = undefined;
    s?.close();
  }

  #newSession(role: "client" | "server", credentials: DtlsCredentials, peer: Peer | undefined): DtlsSession<Peer> {
    const { dtls, clock, timers } = this.#platform;
    let session: DtlsSession<Peer> | undefined;
    const mine = (): boolean => session !== undefined && this.#session === session;
    session = new DtlsSession<Peer>({
      binding: dtls, clock, timers, role, credentials,
      ...(peer !== undefined ? { peer } : {}),
      send: (datagram, to) => this.#sendDatagram(datagram, to),
      events: {
        onAccepted: (from) => {
          if (!mine() || this.#state !== "disconnected") return;
          this.#useAttempt();
          this.#peer = from;
          this.#state = "connecting";
        },
        onConnected: () => {
          if (!mine() || this.#state !== "connecting") return;
          this.#state = "connected";
          this.#emit({ kind: "connected" });
        },
        onData: (record) => {
          if (!mine() || this.#state !== "connected") return;
          this.#coap.handleDatagram(clock.now(), record);
          this.#pumpCoap();
        },
        onClosed: (reason) => {
          if (!mine()) return;
          const failedPeer = session?.peer;
          this.#session = undefined;
          if (this.#state === "disconnected" && reason === "handshake-failure" && failedPeer !== undefined) {
            // A ClientHello with no suite in common fails the listener at once; OpenThread had
            // set up a session for it, so it uses an attempt and ends through the guard (§8.1).
            this.#useAttempt();
            this.#peer = failedPeer;
            this.#enterGuard();
          } else if (this.#state === "disconnected") {
            this.#listen(); // a listener failed on garbage: listen afresh
          } else if (this.#state !== "disconnecting") {
            this.#enterGuard();
          }
        },
      },
    });
    return session;
  }

  #sendDatagram(datagram: Uint8Array, to: Peer): void {
    try {
      this.#socket?.write(datagram, to.address, to.port);
    } catch {
      // A refused send is a lost datagram; DTLS and CoAP retransmit.
    }
  }

  #dtlsCredentials(): DtlsCredentials | undefined {
    const c = this.#credentials;
    if (c.mode === "psk") return { mode: "psk", key: c.key, identity: c.identity };
    if (c.mode === "x509" && this.#x509 !== undefined) return { mode: "x509", ...this.#x509, verifyPeer: this.#verifyPeer };
    return undefined;
  }

  #teardownLocal(): void {
    const s = this.#session;
    this.#enterGuard();
    this.#session = undefined;
    s?.close(); // close_notify only if the handshake completed
  }

  #enterGuard(): void {
    // Pending requests neither retransmit nor time out during the guard; they abort after it.
    this.#state = "disconnecting";
    this.#clearCoapTimer();
    this.#clearGuard();
    this.#guard = this.#platform.timers.set(() => this.#guardExpired(), GUARD_TIME_MS);
  }

  #guardExpired(): void {
    this.#guard = undefined;
    this.#state = "disconnected";
    this.#peer = undefined;
    const s = this.#session;
    this.#session = undefined;
    s?.close();
    this.#coap.abortAll(); // also forgets the duplicate cache and partial Block1 bodies
    this.#pumpCoap();
    this.#emit({ kind: "disconnected" });
    if (this.#stopPending || (this.#attemptLimit > 0 && this.#attemptsLeft === 0)) this.#closeTransport();
    else this.#listen();
  }

  #clearGuard(): void {
    if (this.#guard !== undefined) this.#platform.timers.clear(this.#guard);
    this.#guard = undefined;
  }

  // ---- CoAP ----

  /**
   * OpenThread's block transmit hook (§7.4) as the endpoint's block source, for served Block2
   * blocks and sent Block1 blocks alike. Block 0 always says more=1; it prints at once.
   */
  #nextBlock(num: number, size: number): BlockChunk {
    const { block, more } = this.#blocks.next(this.#platform.random, size, (e) => this.#emit(e));
    return { bytes: block, more: num === 0 ? true : more };
  }

  /** After every endpoint input: ship its datagrams, print its events, re-arm its timer. */
  #pumpCoap(): void {
    const coap = this.#coap;
    let t;
    while ((t = coap.pollTransmit()) !== undefined) {
      const s = this.#session;
      if (s === undefined || this.#state !== "connected") continue;
      try {
        s.send(t.bytes);
      } catch {
        // The session is going down; its teardown reports it.
      }
    }
    let e: EndpointEvent | undefined;
    while ((e = coap.pollEvent()) !== undefined) this.#onCoapEvent(e);
    if (this.#state !== "disconnecting") this.#armCoapTimer();
  }

  #onCoapEvent(e: EndpointEvent): void {
    const peer = this.#peer?.address ?? "";
    switch (e.kind) {
      case "request":
        this.#emit({ kind: "request", peer, method: e.method, payload: e.method === "Undefined" ? new Uint8Array(0) : e.payload });
        // spec §5: CON requests and every GET are answered; NON PUT/POST/DELETE and unknown methods are not.
        if (e.method === "GET") e.respond({ code: CoapCode.CONTENT, payload: this.#content });
        else if (e.method !== "Undefined" && e.type === CoapType.CON) e.respond({ code: CoapCode.VALID });
        this.#pumpCoap();
        return;
      case "responseSent":
        this.#emit({ kind: "responseSent" });
        return;
      case "response":
        this.#emit({ kind: "response", peer, payload: e.payload });
        return;
      case "requestFailed":
        this.#emit({ kind: "responseError", error: e.reason === "Abort" ? OtError.Abort : OtError.ResponseTimeout });
        return;
      case "blockReceived":
        // Client side only: OpenThread's receive hook prints Num = position / length (§7.4).
        if (e.role === "client") {
          const length = e.bytes.length;
          this.#emit({ kind: "receivedBlock", num: length > 0 ? Math.floor((e.num * e.size) / length) : e.num, block: e.bytes });
        }
        return;
      case "blockSent":
        return; // printed by #nextBlock as the block is made
    }
  }

  /**
   * Keeps one timer at or before the endpoint's next deadline. A timer that would fire early
   * is left alone (the endpoint ignores early calls and the timer re-arms itself), so a stream
   * of requests does not clear and set a timer for each one.
   */
  #armCoapTimer(): void {
    const deadline = this.#coap.pollTimeout();
    if (deadline === undefined) return;
    if (this.#coapTimer !== undefined && this.#coapTimerAt <= deadline) return;
    this.#clearCoapTimer();
    this.#coapTimerAt = deadline;
    const { clock, timers } = this.#platform;
    this.#coapTimer = timers.set(() => {
      this.#coapTimer = undefined;
      this.#coap.handleTimeout(clock.now());
      this.#pumpCoap();
    }, Math.max(0, deadline - clock.now()));
  }

  #clearCoapTimer(): void {
    if (this.#coapTimer !== undefined) this.#platform.timers.clear(this.#coapTimer);
    this.#coapTimer = undefined;
  }

  #emit(event: AgentEvent): void {
    for (const l of this.#listeners) l(event);
  }
}
