// A test-side driver that runs a TimedDtlsSession over a real Node dgram socket on loopback, with
// the real clock and real timers: for interop with third-party peers and for benchmarks.
import dgram from "node:dgram";
import { performance } from "node:perf_hooks";
import type { Clock, Timers, TimerHandle } from "../../../src/platform/clock.js";
import type { DtlsCredentials, DtlsErrorName } from "../../../src/platform/dtls-binding.js";
import { TimedDtlsSession } from "../../../src/dtls/timed-session.js";
import type { DtlsCloseReason } from "../../../src/dtls/session.js";
import { transportIdOf } from "../../../src/dtls/transport-id.js";
import { napiDtlsBinding } from "../../../host-sim/dtls-napi.js";

export const realClock: Clock = { now: () => performance.now() };
export const realTimers: Timers = {
  set: (cb, ms) => setTimeout(cb, ms) as unknown as TimerHandle,
  clear: (h) => clearTimeout(h as unknown as NodeJS.Timeout),
};

export interface Endpoint { address: string; port: number }

export interface DriverOptions {
  /** The session's clock (default performance.now(), which starts at process start). */
  readonly clock?: Clock;
  /** Sees every datagram the session sends (a capture of our side of the wire). */
  readonly onSend?: (datagram: Uint8Array) => void;
}

export class UdpDtls {
  readonly socket: dgram.Socket;
  session!: TimedDtlsSession<Endpoint>;
  readonly received: Uint8Array[] = [];
  closed?: { reason: DtlsCloseReason; error: DtlsErrorName };
  #waiters: (() => void)[] = [];
  onData?: (data: Uint8Array) => void;
  /** performance.now() when the session was created (socket ready) and when it connected. */
  startedAt = 0;
  connectedAt = 0;

  readonly #options: DriverOptions;

  private constructor(socket: dgram.Socket, options: DriverOptions) {
    this.socket = socket;
    this.#options = options;
  }

  /** A client connecting to host:port; resolves once connected, rejects on failure. */
  static async connect(host: string, port: number, credentials: DtlsCredentials, options: DriverOptions = {}): Promise<UdpDtls> {
    const u = new UdpDtls(dgram.createSocket("udp4"), options);
    await new Promise<void>((res) => u.socket.bind(0, "127.0.0.1", res));
    // A connected socket skips the per-send address lookup.
    await new Promise<void>((res) => u.socket.connect(port, host, res));
    u.#connected = true;
    const peer = { address: host, port };
    u.socket.on("message", (m) => u.session?.receive(new Uint8Array(m.buffer, m.byteOffset, m.length), peer));
    u.startedAt = performance.now();
    u.#start("client", credentials, peer);
    await u.until(() => u.session.state === "connected", 20_000);
    return u;
  }

  /** A listening server on 127.0.0.1:port (0 = ephemeral); `serve` answers each record. */
  static async listen(port: number, credentials: DtlsCredentials, serve?: (req: Uint8Array) => Uint8Array | undefined,
    options: DriverOptions = {}): Promise<UdpDtls> {
    const u = new UdpDtls(dgram.createSocket("udp4"), options);
    await new Promise<void>((res) => u.socket.bind(port, "127.0.0.1", res));
    u.socket.on("message", (m, r) =>
      u.session?.receive(new Uint8Array(m.buffer, m.byteOffset, m.length), { address: r.address, port: r.port }, transportIdOf(r.address, r.port)));
    u.#start("server", credentials, undefined);
    if (serve) u.onData = (d) => { const reply = serve(d); if (reply) u.session.send(reply); };
    return u;
  }

  get port(): number { return this.socket.address().port; }

  #start(role: "client" | "server", credentials: DtlsCredentials, peer: Endpoint | undefined) {
    this.session = new TimedDtlsSession<Endpoint>({
      binding: napiDtlsBinding, clock: this.#options.clock ?? realClock, timers: realTimers, role, credentials,
      ...(peer ? { peer } : {}),
      send: (d, to) => {
        if (this.#socketClosed) return;
        this.#options.onSend?.(d);
        // Only sends made while closing (close_notify) are tracked: a callback costs time.
        const done = this.#closeWhenIdle
          ? (this.#pendingSends++, () => { if (--this.#pendingSends === 0) this.#closeSocket(); })
          : undefined;
        if (this.#connected) this.socket.send(d, done);
        else this.socket.send(d, to.port, to.address, done);
      },
      events: {
        onConnected: () => { this.connectedAt = performance.now(); this.#wake(); },
        onData: (d) => {
          const pending = this.#pendingRequest;
          if (pending) { this.#pendingRequest = undefined; pending(d); return; } // not kept: keeps GC cheap in benchmarks
          this.received.push(d);
          this.onData?.(d);
          this.#wake();
        },
        onClosed: (reason, error) => { this.closed = { reason, error }; this.#wake(); },
      },
    });
  }

  #wake() { for (const w of this.#waiters.splice(0)) w(); }

  /** Resolves when `cond` holds; rejects after `ms` or when the session closed first. */
  until(cond: () => boolean, ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out (state ${this.session.state}, ${this.closed?.error ?? "open"})`)), ms);
      const check = () => {
        if (cond()) { clearTimeout(timer); resolve(); return; }
        if (this.closed) { clearTimeout(timer); reject(new Error(`session closed: ${this.closed.reason} ${this.closed.error}`)); return; }
        this.#waiters.push(check);
      };
      check();
    });
  }

  /** Sends one record and resolves with the next record received, which is not added to
   * `received` (no timeout: a benchmark hot path). */
  request(data: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.#pendingRequest = resolve;
      try { this.session.send(data); } catch (e) { this.#pendingRequest = undefined; reject(e as Error); }
    });
  }

  #pendingRequest: ((d: Uint8Array) => void) | undefined;

  #socketClosed = false;
  #connected = false;
  #pendingSends = 0;
  #closeWhenIdle = false;

  #closeSocket() {
    if (!this.#socketClosed) this.socket.close();
    this.#socketClosed = true;
  }

  /** Closes the session (close_notify if connected), then the socket once the close_notify
   * has left; repeatable. */
  close(): void {
    if (this.#closeWhenIdle) return;
    this.#closeWhenIdle = true;
    this.session.close();
    if (this.#pendingSends === 0) this.#closeSocket();
  }
}
