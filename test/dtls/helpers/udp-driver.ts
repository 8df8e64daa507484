// A test-side driver that runs a DtlsSession over a real Node dgram socket on loopback, with
// the real clock and real timers: for interop with third-party peers and for benchmarks.
import dgram from "node:dgram";
import { performance } from "node:perf_hooks";
import type { Clock, Timers, TimerHandle } from "../../../src/platform/clock.js";
import type { DtlsCredentials, DtlsErrorName } from "../../../src/platform/dtls-binding.js";
import { DtlsSession, type DtlsCloseReason } from "../../../src/dtls/session.js";
import { transportIdOf } from "../../../src/dtls/transport-id.js";
import { napiDtlsBinding } from "../../../host-sim/dtls-napi.js";

export const realClock: Clock = { now: () => performance.now() };
export const realTimers: Timers = {
  set: (cb, ms) => setTimeout(cb, ms) as unknown as TimerHandle,
  clear: (h) => clearTimeout(h as unknown as NodeJS.Timeout),
};

export interface Endpoint { address: string; port: number }

export class UdpDtls {
  readonly socket: dgram.Socket;
  session!: DtlsSession<Endpoint>;
  readonly received: Uint8Array[] = [];
  closed?: { reason: DtlsCloseReason; error: DtlsErrorName };
  #waiters: (() => void)[] = [];
  onData?: (data: Uint8Array) => void;

  private constructor(socket: dgram.Socket) { this.socket = socket; }

  /** A client connecting to host:port; resolves once connected, rejects on failure. */
  static async connect(host: string, port: number, credentials: DtlsCredentials): Promise<UdpDtls> {
    const u = new UdpDtls(dgram.createSocket("udp4"));
    await new Promise<void>((res) => u.socket.bind(0, "127.0.0.1", res));
    const peer = { address: host, port };
    u.socket.on("message", (m) => u.session?.receive(new Uint8Array(m.buffer, m.byteOffset, m.length), peer));
    u.#start("client", credentials, peer);
    await u.until(() => u.session.state === "connected", 20_000);
    return u;
  }

  /** A listening server on 127.0.0.1:port (0 = ephemeral); `serve` answers each record. */
  static async listen(port: number, credentials: DtlsCredentials, serve?: (req: Uint8Array) => Uint8Array | undefined): Promise<UdpDtls> {
    const u = new UdpDtls(dgram.createSocket("udp4"));
    await new Promise<void>((res) => u.socket.bind(port, "127.0.0.1", res));
    u.socket.on("message", (m, r) =>
      u.session?.receive(new Uint8Array(m.buffer, m.byteOffset, m.length), { address: r.address, port: r.port }, transportIdOf(r.address, r.port)));
    u.#start("server", credentials, undefined);
    if (serve) u.onData = (d) => { const reply = serve(d); if (reply) u.session.send(reply); };
    return u;
  }

  get port(): number { return this.socket.address().port; }

  #start(role: "client" | "server", credentials: DtlsCredentials, peer: Endpoint | undefined) {
    this.session = new DtlsSession<Endpoint>({
      binding: napiDtlsBinding, clock: realClock, timers: realTimers, role, credentials,
      ...(peer ? { peer } : {}),
      send: (d, to) => this.socket.send(d, to.port, to.address),
      events: {
        onConnected: () => this.#wake(),
        onData: (d) => { this.received.push(d); this.onData?.(d); this.#wake(); },
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

  /** Sends one record and waits for the next one received. */
  async request(data: Uint8Array, ms = 5000): Promise<Uint8Array> {
    const n = this.received.length;
    this.session.send(data);
    await this.until(() => this.received.length > n, ms);
    return this.received[n]!;
  }

  #socketClosed = false;

  /** Closes the session (close_notify if connected) and the socket; repeatable. */
  close(): void {
    this.session.close();
    if (!this.#socketClosed) this.socket.close();
    this.#socketClosed = true;
  }
}
