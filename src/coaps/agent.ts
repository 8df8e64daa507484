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
import { canonicalAddress } from "../net/address.js";
import { CoapResource } from "./coap-resource.js";
import { OtError } from "./ot-error.js";
import type { AgentEvent, AgentEventListener, CoapsControl, RequestSpec } from "./types.js";

export type SessionState = "disconnected" | "connecting" | "connected" | "disconnecting";

/** spec §2.1: every teardown waits this long before `coaps disconnected`. */
export const GUARD_TIME_MS = 2000;
export const COAPS_PORT = 5684;

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
  readonly #coap: CoapResource;
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
  #lastSender: { text: string; peer: Peer; id: Uint8Array } | undefined;

  constructor(platform: Platform, options: AgentOptions = {}) {
    this.#platform = platform;
    this.#port = options.port ?? COAPS_PORT;
    this.#x509 = options.x509;
    this.#coap = new CoapResource(platform, {
      send: (bytes) => {
        const s = this.#session;
        if (s === undefined || this.#state !== "connected") return;
        try {
          s.send(bytes);
        } catch {
          // The session is going down; its teardown reports it.
        }
      },
      emit: (event) => this.#emit(event),
      peer: () => this.#peer?.address ?? "",
    });
  }

  onEvent(listener: AgentEventListener): void {
    this.#listeners.push(listener);
  }

  get state(): SessionState { return this.#state; }

  // ---- commands (§3) ----

  start(verifyPeer: boolean, maxAttempts: number): OtError {
    const changed = this.#verifyPeer !== verifyPeer;
    this.#verifyPeer = verifyPeer; // applied even when the start then fails (§3.2)
    if (this.#socket !== undefined) {
      // The listener was built with the old check; the next ClientHello must meet the new one.
      if (changed) this.#refreshListener();
      return OtError.Already;
    }
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
    // An IPv4-only platform (Moddable's lin UDP) could never send to an IPv6 peer: refuse now.
    if (!this.#socket.ipv6 && address.includes(":")) return OtError.NotCapable;
    const credentials = this.#dtlsCredentials();
    if (credentials === undefined) return OtError.InvalidArgs; // OpenThread asserts here (§2.2)
    this.#dropListener();
    this.#state = "connecting";
    this.#peer = { address, port };
    let session: DtlsSession<Peer>;
    try {
      session = this.#newSession("client", credentials, this.#peer);
    } catch {
      // The binding refused the session (e.g. unusable credentials): nothing was sent.
      this.#state = "disconnected";
      this.#peer = undefined;
      this.#listen();
      return OtError.Failed;
    }
    this.#useAttempt();
    this.#session = session;
    // The ClientHello goes out in the constructor, before the session is ours; had that
    // already failed, its close event was not ours to see: end it through the guard now.
    if (session.state === "failed" || session.state === "closed") {
      this.#session = undefined;
      this.#enterGuard();
    }
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

  resourceUri(): string { return this.#coap.uri ?? ""; }
  setResourceUri(uri: string): void { this.#coap.setUri(uri); }
  content(): Uint8Array { return this.#coap.content; }
  setContent(content: Uint8Array): void { this.#coap.content = content.slice(); }
  setBlockCount(count: number): void { this.#coap.blocks.count = count; }

  sendRequest(request: RequestSpec): OtError {
    if (this.#state !== "connected") return OtError.InvalidState;
    this.#coap.request(request);
    return OtError.None;
  }

  /** Closes everything at once without printing (the app is shutting down). */
  close(): void {
    this.#clearGuard();
    this.#coap.pause();
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
    const address = canonicalAddress(text) ?? text;
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
    try {
      this.#session = this.#newSession("server", credentials, undefined);
    } catch {
      // Unusable credentials: ClientHellos go unanswered, as with none.
    }
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
          this.#coap.handleRecord(record);
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
    this.#coap.pause();
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
    this.#coap.abortAll();
    this.#emit({ kind: "disconnected" });
    if (this.#stopPending || (this.#attemptLimit > 0 && this.#attemptsLeft === 0)) this.#closeTransport();
    else this.#listen();
  }

  #clearGuard(): void {
    if (this.#guard !== undefined) this.#platform.timers.clear(this.#guard);
    this.#guard = undefined;
  }

  #emit(event: AgentEvent): void {
    for (const l of this.#listeners) l(event);
  }
}
