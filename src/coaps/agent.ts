// CoapSecureAgent: the thin driver of CoapsAgentCore. It owns the two things the core does
// not: the UDP socket (open while the core's transport is) and ONE platform timer, armed at
// the core's earliest deadline (DTLS retransmission, CoAP retransmission, 2 s guard). Each
// command or input reads the clock once, calls the core, then pumps: datagrams out, events
// to the listeners, socket closed if the core closed its transport, timer re-armed.
//
// The agent's rules (spec §2, §3, §8) live in agent-core.ts; its states and transitions in
// session-machine.ts.

import type { Platform } from "../platform/index.js";
import type { TimerHandle } from "../platform/clock.js";
import type { UdpDatagram, UdpSocket } from "../platform/udp.js";
import { CoapsAgentCore, GUARD_TIME_MS, type X509Material } from "./agent-core.js";
import type { AgentState } from "./session-machine.js";
import type { StartResult } from "./start-failure.js";
import { OtError } from "./ot-error.js";
import type { AgentEvent, AgentEventListener, CoapsControl, RequestSpec } from "./types.js";

export { GUARD_TIME_MS, type X509Material };
export type SessionState = "disconnected" | "connecting" | "connected" | "disconnecting";

export const COAPS_PORT = 5684;

export interface AgentOptions {
  /** Local UDP port; 5684 unless a host test needs another. */
  readonly port?: number;
  readonly x509?: X509Material;
  /**
   * Handshake retransmission bounds (ms) of a session this node accepted as server. Default
   * OpenThread's 8000 / 60000: a cookie-verified peer that goes silent mid-handshake then holds
   * the single session for 116 s plus the 2 s guard. { minMs: 8000, maxMs: 16000 } gives up
   * after 24 s (one retransmission), at the cost of peers on links that lose several flights.
   * Outgoing connects keep 8000 / 60000 (spec §8.2).
   */
  readonly acceptedHandshakeTimeouts?: { readonly minMs: number; readonly maxMs: number };
  /**
   * Observe (extension): every n-th notification to an observer of the resource is sent CON,
   * the others NON; one a day is CON whatever n is (RFC 7641 §4.5). 1 = all CON. Default 5.
   */
  readonly notificationConfirmableEvery?: number;
}

export class CoapSecureAgent implements CoapsControl {
  readonly #platform: Platform;
  readonly #port: number;
  readonly #core: CoapsAgentCore;
  readonly #listeners: AgentEventListener[] = [];
  #socket: UdpSocket | undefined;
  #timer: TimerHandle | undefined;
  #timerAt = 0;

  constructor(platform: Platform, options: AgentOptions = {}) {
    this.#platform = platform;
    this.#port = options.port ?? COAPS_PORT;
    this.#core = new CoapsAgentCore({
      random: platform.random,
      dtls: platform.dtls,
      ...(platform.allocBytes !== undefined ? { allocate: platform.allocBytes } : {}),
      ...(options.x509 !== undefined ? { x509: options.x509 } : {}),
      ...(options.acceptedHandshakeTimeouts ? { acceptedHandshakeTimeouts: options.acceptedHandshakeTimeouts } : {}),
      ...(options.notificationConfirmableEvery !== undefined ? { notificationConfirmableEvery: options.notificationConfirmableEvery } : {}),
    });
  }

  onEvent(listener: AgentEventListener): void {
    this.#listeners.push(listener);
  }

  /**
   * The session slot as spec §2.1 names it ("disconnected" with or without a transport). With
   * `coaps sessions <n>` > 1 this is the client role's slot only; isConnected() and
   * isConnectionActive() also count the server slots.
   */
  get state(): SessionState {
    const s: AgentState = this.#core.state;
    return s === "closed" || s === "idle" ? "disconnected" : s;
  }

  // ---- commands (§3) ----

  start(verifyPeer: boolean, maxAttempts: number): StartResult {
    const result = this.#core.start(this.#now(), verifyPeer, maxAttempts, () => {
      this.#socket = this.#platform.udp({ port: this.#port, onReadable: () => this.#drainSocket() });
    });
    this.#pump();
    return result;
  }

  stop(): void { this.#core.stop(this.#now()); this.#pump(); }
  disconnect(): void { this.#core.disconnect(this.#now()); this.#pump(); }

  connect(address: string, port: number): OtError {
    // An IPv4-only platform (Moddable's lin UDP) could never send to an IPv6 peer: refuse up
    // front, after the state checks (not started, or a session in use, stays InvalidState).
    if (this.#socket !== undefined && !this.#socket.ipv6 && address.includes(":") && !this.#core.isConnectionActive()) return OtError.NotCapable;
    const result = this.#core.connect(this.#now(), address, port);
    this.#pump();
    return result;
  }

  setPsk(key: Uint8Array, identity: Uint8Array): void { this.#core.setPsk(this.#now(), key, identity); this.#pump(); }
  setX509(): void { this.#core.setX509(this.#now()); this.#pump(); }

  sendRequest(request: RequestSpec): OtError {
    const result = this.#core.sendRequest(this.#now(), request);
    this.#pump();
    return result;
  }

  observe(uriPath: string, confirmable: boolean): OtError {
    const result = this.#core.observe(this.#now(), uriPath, confirmable);
    this.#pump();
    return result;
  }

  cancelObserve(uriPath: string | undefined): OtError {
    const result = this.#core.cancelObserve(this.#now(), uriPath);
    this.#pump();
    return result;
  }

  sessions(): number { return this.#core.maxSessions; }
  setSessions(n: number): OtError { return this.#core.setMaxSessions(n); }

  isClosed(): boolean { return this.#core.isClosed(); }
  isConnected(): boolean { return this.#core.isConnected(); }
  isConnectionActive(): boolean { return this.#core.isConnectionActive(); }
  resourceUri(): string { return this.#core.resourceUri(); }
  setResourceUri(uri: string): void { this.#core.setResourceUri(this.#now(), uri); this.#pump(); }
  content(): Uint8Array { return this.#core.content(); }
  setContent(content: Uint8Array): void { this.#core.setContent(this.#now(), content); this.#pump(); }
  setBlockCount(count: number): void { this.#core.setBlockCount(count); }

  /** Closes everything at once without printing (the app is shutting down). */
  close(): void {
    this.#core.shutdown(this.#now());
    this.#pump();
    if (this.#timer !== undefined) this.#platform.timers.clear(this.#timer);
    this.#timer = undefined;
  }

  // ---- the driver ----

  #now(): number { return this.#platform.clock.now(); }

  #drainSocket(): void {
    let d: UdpDatagram | undefined;
    while (this.#socket !== undefined && (d = this.#socket.read()) !== undefined) {
      this.#core.handleDatagram(this.#now(), d.address, d.port, d.bytes);
      this.#pump();
    }
  }

  #onTimer(): void {
    this.#timer = undefined;
    this.#core.handleTimeout(this.#now());
    this.#pump();
  }

  #pump(): void {
    const core = this.#core;
    for (let t = core.pollTransmit(); t !== undefined; t = core.pollTransmit()) {
      try {
        this.#socket?.write(t.bytes, t.address, t.port);
      } catch {
        // A refused send is a lost datagram; DTLS and CoAP retransmit.
      }
    }
    if (core.isClosed() && this.#socket !== undefined) {
      const socket = this.#socket;
      this.#socket = undefined;
      socket.close();
    }
    for (let e = core.pollEvent(); e !== undefined; e = core.pollEvent()) this.#emit(e);
    this.#arm();
  }

  /**
   * Keeps the one timer at or before the core's earliest deadline. A timer that would fire
   * early is left alone (the core ignores early calls and the timer re-arms), so a stream of
   * requests does not clear and set a timer for each one.
   */
  #arm(): void {
    const deadline = this.#core.pollTimeout();
    if (deadline === undefined) return;
    if (this.#timer !== undefined && this.#timerAt <= deadline) return;
    if (this.#timer !== undefined) this.#platform.timers.clear(this.#timer);
    this.#timerAt = deadline;
    this.#timer = this.#platform.timers.set(() => this.#onTimer(), Math.max(0, deadline - this.#now()));
  }

  #emit(event: AgentEvent): void {
    const listeners = this.#listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(event); // per event: no iterator
  }
}
