// CoapsAgentCore: OpenThread's CoAP-secure agent (spec §2, §3, §8) as a sans-IO core. It owns
// the settings that survive stop/start (§2.2), the attempt counter, ONE session slot (a
// DtlsSession), the CoAP resource and the 2 s guard deadline; it owns no socket and no timer.
//
//   commands:  start(now, …, openTransport) stop(now) connect(now, …) disconnect(now) … shutdown(now)
//   input:     handleDatagram(now, address, port, bytes)   handleTimeout(now)
//   output:    pollTransmit() → { address, port, bytes }   pollEvent() → AgentEvent
//              pollTimeout() → the earliest deadline of session, endpoint and guard
//              isClosed(): the driver closes its socket once this is true
//
// Every state change is a row of the table in session-machine.ts (#dispatch). Each input ends
// by draining the slot's session: its datagrams go out, its events become machine events.
// Nothing calls back into the core, so it needs no re-entrancy guards.
//
// While the slot is in use, datagrams from any other peer are dropped silently (§8.4); during
// the guard, all datagrams are. With the slot free and the transport open, a listening server
// session answers ClientHellos statelessly (cookies) until one is accepted.
//
// `coaps sessions <n>` with n > 1 (an extension; docs/coaps-shell.md "Several sessions"): the
// machine stays "idle" while serving, and each session the listener accepts moves into one of
// up to n ServerSlots (server-slot.ts, the slot table in session-machine.ts) while a fresh
// listener takes its place, until n slots are busy or the attempt limit is used up. The client
// role (`coaps connect`) still uses the one slot above, and only while no server slot is busy.
// With n = 1 (the default) no ServerSlot exists and every path is the one described above.

import type { DtlsBinding, DtlsCredentials } from "../platform/dtls-binding.js";
import type { RandomSource } from "../platform/random.js";
import type { ByteAllocator } from "../bytes/alloc.js";
import { DtlsSession, type DtlsSessionEvent, transportIdOf } from "../dtls/index.js";
import { canonicalAddress } from "../net/address.js";
import { CoapResource } from "./coap-resource.js";
import { OtError } from "./ot-error.js";
import { sendRecord } from "./send-error.js";
import { transition, type AgentState, type MachineAction, type MachineEvent } from "./session-machine.js";
import { engineFailure, transportFailure, type StartResult } from "./start-failure.js";
import { ServerSlot, type ServerSlotHost } from "./server-slot.js";
import type { AgentEvent, RequestSpec } from "./types.js";

/** spec §2.1: every teardown waits this long before `coaps disconnected`. */
export const GUARD_TIME_MS = 2000;

/** `coaps sessions <n>`: 1 (OpenThread's single session, the default) to 8 server sessions. */
export const MAX_SERVER_SESSIONS = 8;

/** The built-in `coaps x509` credentials (PEM bytes). */
export interface X509Material {
  readonly certificate: Uint8Array;
  readonly privateKey: Uint8Array;
  readonly caChain: Uint8Array;
}

export interface AgentCoreOptions {
  readonly random: RandomSource;
  readonly dtls: DtlsBinding;
  /** Where encoded messages' bytes come from (Platform.allocBytes); default one ArrayBuffer each. */
  readonly allocate?: ByteAllocator;
  readonly x509?: X509Material;
  /** Handshake retransmission bounds of accepted (server) sessions: see AgentOptions. */
  readonly acceptedHandshakeTimeouts?: { readonly minMs: number; readonly maxMs: number };
  /** Every n-th notification to an observer of the resource is CON (default 5; see CoapResource). */
  readonly notificationConfirmableEvery?: number;
}

export interface Peer { readonly address: string; readonly port: number }

export interface AgentTransmit {
  readonly address: string;
  readonly port: number;
  readonly bytes: Uint8Array;
}

type CredentialMode = { mode: "none" } | { mode: "psk"; key: Uint8Array; identity: Uint8Array } | { mode: "x509" };

export class CoapsAgentCore {
  readonly #dtls: DtlsBinding;
  readonly #x509: X509Material | undefined;
  readonly #serverBounds: { readonly handshakeTimeoutMinMs?: number; readonly handshakeTimeoutMaxMs?: number };
  readonly #coap: CoapResource;
  readonly #transmits: AgentTransmit[] = [];
  readonly #events: AgentEvent[] = [];
  #state: AgentState = "closed";
  #session: DtlsSession<Peer> | undefined;
  #peer: Peer | undefined;
  #credentials: CredentialMode = { mode: "none" };
  #verifyPeer = true;
  #attemptLimit = 0;
  #attemptsLeft = 0;
  #stopPending = false;
  #guardUntil: number | undefined;
  #lastSender: { text: string; port: number; peer: Peer; id: Uint8Array } | undefined;
  /** `coaps sessions`: how many peers the server role holds at once. */
  #maxSessions = 1;
  /** n > 1 only: the server slots made so far (at most #maxSessions), and their shared host. */
  readonly #slots: ServerSlot[] = [];
  /** Made with the first slot, so a single-session node's heap is what it was. */
  #slotHost: ServerSlotHost | undefined;
  readonly #random: RandomSource;
  readonly #notificationConfirmableEvery: number | undefined;
  readonly #allocate: ByteAllocator | undefined;
  #acceptSeq = 0;
  /** n > 1 only: `coaps stop` waits for the slots' guards, then closes the transport. */
  #slotsStopping = false;

  constructor(options: AgentCoreOptions) {
    this.#dtls = options.dtls;
    this.#x509 = options.x509;
    const t = options.acceptedHandshakeTimeouts;
    this.#serverBounds = t ? { handshakeTimeoutMinMs: t.minMs, handshakeTimeoutMaxMs: t.maxMs } : {};
    this.#coap = new CoapResource(options.random, {
      send: (now, bytes) => this.#sendRecord(now, bytes),
      emit: (event) => this.#events.push(event),
      peer: () => this.#peer?.address ?? "",
    }, undefined, options.notificationConfirmableEvery, options.allocate);
    this.#random = options.random;
    this.#allocate = options.allocate;
    this.#notificationConfirmableEvery = options.notificationConfirmableEvery;
  }

  get state(): AgentState { return this.#state; }

  // ---- commands (§3) ----

  /**
   * `coaps start`. The peer check applies even when the start then fails (§3.2).
   * `openTransport` opens UDP 5684 and throws the platform's error when it cannot.
   */
  start(now: number, verifyPeer: boolean, maxAttempts: number, openTransport: () => void): StartResult {
    const checkChanged = this.#verifyPeer !== verifyPeer;
    this.#verifyPeer = verifyPeer;
    if (this.#state !== "closed") {
      // A listener made with the old check must not answer the next ClientHello.
      if (checkChanged) this.#dispatch(now, "credentials");
      return this.#command(now, "restart");
    }
    // The engine refuses unusable credentials at create, so the listener is made first: a
    // start that cannot answer ClientHellos fails before anything is opened.
    const credentials = this.#dtlsCredentials();
    let listener: DtlsSession<Peer> | undefined;
    try {
      if (credentials !== undefined) listener = new DtlsSession<Peer>(now, { binding: this.#dtls, role: "server", credentials, ...this.#serverBounds });
    } catch (e) {
      return engineFailure(e);
    }
    try {
      openTransport();
    } catch (e) {
      listener?.close(now);
      return transportFailure(e);
    }
    this.#attemptLimit = maxAttempts;
    this.#session = listener;
    return this.#command(now, "start");
  }

  stop(now: number): void {
    if (this.#busySlots() > 0 && this.#state === "idle") {
      // n > 1: every server session ends through its own guard; the transport closes after
      // the last one (#settleSlots), like OpenThread's stop with its one session.
      this.#slotsStopping = true;
      this.#closeSession(now); // the listener: no new peer from now on
      for (const s of this.#slots) s.disconnect(now);
      return;
    }
    this.#command(now, "stop");
  }

  connect(now: number, address: string, port: number): OtError {
    const refused = transition(this.#state, "connect").result;
    if (refused !== OtError.None) return refused;
    if (this.#busySlots() > 0) return OtError.InvalidState; // n > 1: the client role waits for free slots
    const credentials = this.#dtlsCredentials();
    if (credentials === undefined) return OtError.InvalidArgs; // OpenThread asserts here (§2.2)
    // One engine at a time: the listener goes before the client is made, and comes back if
    // the binding refuses the client (nothing was sent then).
    this.#closeSession(now);
    // Datagrams are matched against the peer in canonical form (#sender), so the peer is
    // kept in that form whatever way the caller wrote it (`::`, upper case, leading zeros).
    const peer = { address: canonicalAddress(address) ?? address, port };
    try {
      this.#session = new DtlsSession<Peer>(now, { binding: this.#dtls, role: "client", credentials, peer });
    } catch {
      this.#listen(now);
      return OtError.Failed;
    }
    this.#peer = peer;
    return this.#command(now, "connect");
  }

  disconnect(now: number): void {
    for (const s of this.#slots) s.disconnect(now); // n > 1: every server session
    this.#command(now, "disconnect");
  }

  /** `coaps sessions`: the number of server sessions held at once. */
  get maxSessions(): number { return this.#maxSessions; }

  /** `coaps sessions <n>`: only while the transport is closed; 1..8. */
  setMaxSessions(n: number): OtError {
    if (!Number.isInteger(n) || n < 1 || n > MAX_SERVER_SESSIONS) return OtError.InvalidArgs;
    if (this.#state !== "closed") return OtError.InvalidState;
    this.#maxSessions = n;
    this.#slots.length = 0; // all free while closed; made again as peers arrive
    return OtError.None;
  }

  setPsk(now: number, key: Uint8Array, identity: Uint8Array): void {
    this.#credentials = { mode: "psk", key: key.slice(), identity: identity.slice() };
    this.#command(now, "credentials");
  }

  setX509(now: number): void {
    this.#credentials = { mode: "x509" };
    this.#command(now, "credentials");
  }

  sendRequest(now: number, request: RequestSpec): OtError {
    if (this.#state !== "connected") {
      const target = this.#requestSlot();
      if (target === undefined) return OtError.InvalidState;
      target.request(now, request);
      return OtError.None;
    }
    this.#coap.request(now, request);
    this.#drain(now);
    return OtError.None;
  }

  /**
   * `coaps observe` (extension): refused like a request when no session is connected (§3.11);
   * with n > 1 server sessions it goes where requests go.
   */
  observe(now: number, uriPath: string, confirmable: boolean): OtError {
    if (this.#state !== "connected") {
      const target = this.#requestSlot();
      if (target === undefined) return OtError.InvalidState;
      target.observe(now, uriPath, confirmable);
      return OtError.None;
    }
    this.#coap.observe(now, uriPath, confirmable);
    this.#drain(now);
    return OtError.None;
  }

  cancelObserve(now: number, uriPath: string | undefined): OtError {
    if (this.#state !== "connected") return this.#requestSlot()?.cancel(now, uriPath) ?? OtError.InvalidState;
    const result = this.#coap.cancel(now, uriPath);
    this.#drain(now);
    return result;
  }

  /** Closes everything at once without printing (the app is shutting down). */
  shutdown(now: number): void {
    for (const s of this.#slots) s.shutdown(now);
    this.#slotsStopping = false;
    this.#command(now, "shutdown");
  }

  isClosed(): boolean { return this.#state === "closed"; }
  /** n > 1: yes while any session (client or server slot) is connected. */
  isConnected(): boolean { return this.#state === "connected" || this.#slots.some((s) => s.state === "connected"); }
  /** n > 1: yes while any session is connecting, connected or in its guard. */
  isConnectionActive(): boolean { return (this.#state !== "closed" && this.#state !== "idle") || this.#busySlots() > 0; }

  resourceUri(): string { return this.#coap.uri ?? ""; }
  /** Renaming the resource ends its observations with a 4.04 (RFC 7641 §3.2), in every session. */
  setResourceUri(now: number, uri: string): void {
    this.#coap.setUri(now, uri);
    this.#drain(now);
    for (const s of this.#slots) s.setResourceUri(now, uri);
  }
  content(): Uint8Array { return this.#coap.content; }
  /** `coaps set`: observers of the resource get the new content, in every session. */
  setContent(now: number, content: Uint8Array): void {
    this.#coap.setContent(now, content.slice());
    this.#drain(now);
    for (const s of this.#slots) s.setContent(now, this.#coap.content);
  }
  setBlockCount(count: number): void { this.#coap.blocks.count = count; }

  // ---- input ----

  handleDatagram(now: number, address: string, port: number, bytes: Uint8Array): void {
    if (this.#slots.length > 0 && this.#state === "idle") {
      // n > 1: a peer that holds a slot talks to its session (or is ignored in its guard).
      const from = this.#sender(address, port);
      for (const s of this.#slots) {
        if (!s.holds(from.peer)) continue;
        s.handleDatagram(now, from.peer, bytes, from.id);
        return;
      }
    }
    const session = this.#session;
    if (session === undefined || this.#state === "disconnecting") return; // §8.4: ignored in the guard
    const from = this.#sender(address, port);
    const peer = this.#peer;
    if (peer !== undefined && (peer.address !== from.peer.address || peer.port !== from.peer.port)) return;
    session.handleDatagram(now, from.peer, bytes, from.id);
    this.#drain(now);
  }

  handleTimeout(now: number): void {
    if (this.#guardUntil !== undefined && now >= this.#guardUntil) {
      const last = this.#stopPending || (this.#attemptLimit > 0 && this.#attemptsLeft === 0);
      this.#dispatch(now, last ? "guardExpiredLast" : "guardExpired");
    }
    this.#drain(now);
    this.#session?.handleTimeout(now);
    this.#coap.handleTimeout(now);
    this.#drain(now);
    if (this.#slots.length > 0) {
      for (const s of this.#slots) s.handleTimeout(now);
      this.#settleSlots(now);
    }
  }

  // ---- output ----

  pollTransmit(): AgentTransmit | undefined { return this.#transmits.shift(); }
  pollEvent(): AgentEvent | undefined { return this.#events.shift(); }

  pollTimeout(): number | undefined {
    let t = earliest(earliest(this.#guardUntil, this.#session?.pollTimeout()), this.#coap.pollTimeout());
    // Indexed: this runs after every input, and for…of would make XS an iterator even for no slots.
    for (let i = 0; i < this.#slots.length; i++) t = earliest(t, this.#slots[i]!.pollTimeout());
    return t;
  }

  // ---- the state machine ----

  /** A command's event, then whatever the slot's session has to say about it. */
  #command(now: number, event: MachineEvent): OtError {
    const result = this.#dispatch(now, event);
    this.#drain(now);
    return result;
  }

  /** The one place the state changes: the table's row for (state, event), then its actions. */
  #dispatch(now: number, event: MachineEvent, payload?: DtlsSessionEvent<Peer>): OtError {
    const t = transition(this.#state, event);
    this.#state = t.next;
    for (let i = 0; i < t.actions.length; i++) this.#act(now, t.actions[i]!, payload); // per record: no iterator
    return t.result;
  }

  #act(now: number, action: MachineAction, payload: DtlsSessionEvent<Peer> | undefined): void {
    switch (action) {
      case "resetAttempts": this.#attemptsLeft = this.#attemptLimit; this.#stopPending = false; return;
      case "useAttempt": if (this.#attemptLimit > 0 && this.#attemptsLeft > 0) this.#attemptsLeft--; return;
      case "listen": this.#listen(now); return;
      case "relisten": this.#closeSession(now); this.#listen(now); return;
      case "dropSession": this.#closeSession(now); return;
      case "releaseSession": this.#session = undefined; return;
      case "adoptPeer": if (payload?.kind === "accepted") this.#peer = payload.peer; return;
      case "emitConnected": this.#events.push({ kind: "connected" }); return;
      case "deliverRecord": if (payload?.kind === "data") this.#coap.handleRecord(now, payload.bytes); return;
      case "enterGuard": this.#guardUntil = now + GUARD_TIME_MS; this.#coap.pause(); return;
      case "freezeRequests": this.#coap.pause(); return;
      case "markStop": this.#stopPending = true; return;
      case "finishGuard":
        this.#guardUntil = undefined;
        this.#coap.abortAll(now); // before the peer goes: its observers print their address
        this.#peer = undefined;
        this.#events.push({ kind: "disconnected" });
        return;
      case "closeTransport": this.#guardUntil = undefined; this.#stopPending = false; this.#peer = undefined; return;
    }
  }

  /** The slot session's datagrams go out; its events become machine events, in order. */
  #drain(now: number): void {
    for (;;) {
      const session = this.#session;
      if (session === undefined) return;
      this.#takeTransmits(session);
      const e = session.pollEvent();
      if (e === undefined) return;
      switch (e.kind) {
        case "accepted":
          if (this.#maxSessions > 1 && this.#state === "idle") this.#acceptIntoSlot(now, session, e.peer);
          else this.#dispatch(now, "accepted", e);
          break;
        case "connected": this.#dispatch(now, "handshakeDone", e); break;
        case "data": this.#dispatch(now, "record", e); break;
        case "closed": this.#dispatch(now, "sessionEnded", e); break;
      }
    }
  }

  // ---- the server slots (n > 1) ----

  /** What every server slot shares: the output queues, the attempt counter, the resource settings. */
  #makeSlotHost(): ServerSlotHost {
    return {
      random: this.#random,
      blocks: this.#coap.blocks,
      guardMs: GUARD_TIME_MS,
      transmit: (address, port, bytes) => this.#transmits.push({ address, port, bytes }),
      emit: (event) => this.#events.push(event),
      useAttempt: () => { if (this.#attemptLimit > 0 && this.#attemptsLeft > 0) this.#attemptsLeft--; },
      resourceUri: () => this.#coap.uri,
      content: () => this.#coap.content,
      notificationConfirmableEvery: this.#notificationConfirmableEvery,
      allocate: this.#allocate,
    };
  }

  /** n > 1: console requests go to the peer accepted first among those connected. */
  #requestSlot(): ServerSlot | undefined {
    let target: ServerSlot | undefined;
    for (const s of this.#slots) if (s.state === "connected" && (target === undefined || s.acceptedSeq < target.acceptedSeq)) target = s;
    return target;
  }

  #busySlots(): number {
    let busy = 0;
    for (const s of this.#slots) if (s.busy) busy++;
    return busy;
  }

  /** The listener accepted `peer`: its session moves into a free slot, a new listener follows. */
  #acceptIntoSlot(now: number, session: DtlsSession<Peer>, peer: Peer): void {
    this.#session = undefined;
    let slot = this.#slots.find((s) => !s.busy);
    if (slot === undefined) {
      this.#slotHost ??= this.#makeSlotHost();
      slot = new ServerSlot(this.#slotHost);
      this.#slots.push(slot);
    }
    slot.accept(now, session, peer, ++this.#acceptSeq);
    this.#listen(now);
  }

  /** Whether a listener may answer a new peer: n > 1 only, with a slot and an attempt left. */
  #mayAcceptAnother(): boolean {
    if (this.#slotsStopping || this.#state !== "idle") return false;
    if (this.#attemptLimit > 0 && this.#attemptsLeft === 0) return false;
    return this.#busySlots() < this.#maxSessions;
  }

  /**
   * After the slots' timers: once no slot is busy, a pending stop or a used-up attempt limit
   * closes the transport (silently, as the single session's last guard does); otherwise a
   * freed slot gets its listener back.
   */
  #settleSlots(now: number): void {
    if (this.#state !== "idle") return;
    const limitUsed = this.#attemptLimit > 0 && this.#attemptsLeft === 0;
    if (this.#busySlots() === 0 && (this.#slotsStopping || (limitUsed && this.#acceptSeq > 0))) {
      this.#slotsStopping = false;
      this.#command(now, "stop");
      return;
    }
    if (this.#session === undefined) this.#listen(now);
    this.#drain(now);
  }

  // ---- the slot ----

  /** With the slot free and the transport open, a server session listens for ClientHellos. */
  #listen(now: number): void {
    if (this.#maxSessions > 1 && !this.#mayAcceptAnother()) return;
    const credentials = this.#dtlsCredentials();
    if (credentials === undefined) return; // nothing to answer with: ClientHellos go unanswered
    try {
      this.#session = new DtlsSession<Peer>(now, { binding: this.#dtls, role: "server", credentials, ...this.#serverBounds });
    } catch {
      // Unusable credentials: ClientHellos go unanswered, as with none.
    }
  }

  /** Ends the slot's session: its close_notify (if connected) is sent, its events are not ours. */
  #closeSession(now: number): void {
    const session = this.#session;
    if (session === undefined) return;
    this.#session = undefined;
    session.close(now);
    this.#takeTransmits(session);
  }

  #takeTransmits(session: DtlsSession<Peer>): void {
    for (let t = session.pollTransmit(); t !== undefined; t = session.pollTransmit()) {
      this.#transmits.push({ address: t.to.address, port: t.to.port, bytes: t.bytes });
    }
  }

  #sendRecord(now: number, bytes: Uint8Array): OtError {
    return sendRecord(this.#session, this.#state === "connected", now, bytes);
  }

  /** The sender in canonical form with its cookie transport id; the last one is kept (hot path). */
  #sender(text: string, port: number): { peer: Peer; id: Uint8Array } {
    const last = this.#lastSender;
    if (last !== undefined && last.text === text && last.port === port) return last;
    const address = canonicalAddress(text) ?? text;
    const fresh = { text, port, peer: { address, port }, id: transportIdOf(address, port) };
    this.#lastSender = fresh;
    return fresh;
  }

  #dtlsCredentials(): DtlsCredentials | undefined {
    const c = this.#credentials;
    if (c.mode === "psk") return { mode: "psk", key: c.key, identity: c.identity };
    if (c.mode === "x509" && this.#x509 !== undefined) return { mode: "x509", ...this.#x509, verifyPeer: this.#verifyPeer };
    return undefined;
  }
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined || a <= b ? a : b;
}
