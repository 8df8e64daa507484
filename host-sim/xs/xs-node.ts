// One firmware instance running inside an xsnap worker, wired to a host Platform. The natives
// XS calls are served with that platform (the simulator's virtual clock, SimNetwork or real
// sockets, scripted or interactive console, N-API DTLS engines); what the platform reports
// (datagrams, timer expiry, console bytes) is delivered to XS as events.
//
// Deliveries are synchronous (see xsnap-driver.ts), so the node reacts inside the same host
// callback as a node on Node would. An event that arises while this worker is busy (its own
// native call made the platform call back) waits in a queue and is delivered right after.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DtlsEngine, Platform, SerialPort, TimerHandle, UdpSocket } from "../../src/platform/index.js";
import { readDtlsOptions, writeDtlsOutcome, writeDtlsSnapshot } from "../../src/platform/xsnap/dtls-wire.js";
import { Event, LogLevel, Native, Status } from "../../src/platform/xsnap/ops.js";
import { WireReader, WireWriter } from "../../src/platform/xsnap/wire.js";
import { VirtualClock } from "../virtual-clock.js";
import { bundleFirmwareForXs } from "./bundle.js";
import { type XsHeapUse, readSnapshotHeap } from "./heap.js";
import { type XsMeter, XsnapWorker } from "./xsnap-driver.js";

/** An error that escaped the firmware inside XS, with the name, message and stack XS gave. */
export class XsFirmwareError extends Error {
  override readonly name = "XsFirmwareError";
  constructor(readonly xsName: string, readonly xsMessage: string, readonly xsStack: string, readonly node: string) {
    super(`uncaught in XS (node ${node}): ${xsStack || `${xsName}: ${xsMessage}`}`);
  }
}

export interface XsNodeOptions {
  /** Absolute path of the firmware module and the name of its main (startCoapsApp-shaped). */
  readonly module: string;
  readonly exportName: string;
  /** A name for messages and `ps`. */
  readonly name?: string;
  /** console.log output of the firmware (not the Serial). */
  readonly onLog?: (text: string) => void;
  /**
   * True when the platform clock cannot move during a delivery, so XS may read it once per
   * event instead of one round trip per now(). Default: the clock is the simulator's VirtualClock.
   */
  readonly frozenClock?: boolean;
}

export class XsNode {
  readonly name: string;
  readonly #worker: XsnapWorker;
  readonly #platform: Platform;
  readonly #onLog: (text: string) => void;
  readonly #timers = new Map<number, TimerHandle>();
  readonly #sockets = new Map<number, UdpSocket>();
  readonly #serials = new Map<number, SerialPort>();
  readonly #engines = new Map<number, DtlsEngine>();
  readonly #pending: Uint8Array[] = [];
  readonly #uncaught: string[] = [];
  /**
   * Where a node's time goes: native calls served by opcode (ops.ts), deliveries, XS compute
   * (meter units), wall ms inside deliveries and inside serving natives, refused UDP sends.
   */
  readonly stats = { natives: new Map<number, number>(), deliveries: 0, compute: 0, deliverMs: 0, serveMs: 0, refusedSends: 0 };
  #nextId = 1;
  #draining = false;
  #lastMeter: XsMeter = { currentHeapCount: 0, compute: 0, allocate: 0 };
  #peakHeapCount = 0;
  #baseline: XsHeapUse | undefined;
  #closed = false;
  readonly #frozenClock: boolean;

  constructor(platform: Platform, options: XsNodeOptions) {
    this.name = options.name ?? "xs";
    this.#platform = platform;
    this.#onLog = options.onLog ?? (() => {});
    this.#frozenClock = options.frozenClock ?? platform.clock instanceof VirtualClock;
    const code = bundleFirmwareForXs(options.module, options.exportName);
    this.#worker = new XsnapWorker({ name: `xs-${this.name}`, onCommand: (bytes) => this.#serve(bytes) });
    try {
      this.#note(this.#worker.evaluate(code).meter);
    } catch (error) {
      this.#worker.kill();
      throw error;
    }
  }

  get pid(): number { return this.#worker.pid; }
  get meter(): XsMeter { return this.#lastMeter; }
  /** Highest currentHeapCount (64-bit slots) any delivery ended with. */
  get peakHeapCount(): number { return this.#peakHeapCount; }

  /** Runs the firmware's main. Records the heap before it, as the baseline for heapUse(). */
  start(options: { port?: number } = {}): void {
    this.#baseline = this.heapSnapshot();
    this.#post(this.#event(Event.START).optF64(options.port).finish());
  }

  /** Live heap after a collection, whole machine. */
  heapSnapshot(): XsHeapUse {
    const dir = mkdtempSync(join(tmpdir(), "xs-heap-"));
    try {
      this.#worker.snapshot(join(dir, "heap.xss"));
      return readSnapshotHeap(join(dir, "heap.xss"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** What the running firmware holds beyond the loaded code (the machine at start()). */
  heapUse(): { baseline: XsHeapUse; now: XsHeapUse } {
    if (this.#baseline === undefined) throw new Error("node not started");
    return { baseline: this.#baseline, now: this.heapSnapshot() };
  }

  /** Evaluates a script in the worker (for tests and probes). Returns its meter. */
  evaluate(source: string): XsMeter {
    const meter = this.#worker.evaluate(source).meter;
    this.#note(meter);
    this.#throwUncaught();
    return meter;
  }

  /** Stops the firmware (its close()), then the worker, by PID. Repeatable. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (!this.#worker.closed && this.#baseline !== undefined) this.#post(this.#event(Event.STOP).finish());
    } finally {
      for (const handle of this.#timers.values()) this.#platform.timers.clear(handle);
      this.#timers.clear();
      for (const socket of this.#sockets.values()) socket.close();
      this.#sockets.clear();
      for (const engine of this.#engines.values()) engine.free();
      this.#engines.clear();
      this.#worker.close();
    }
  }

  /** Kills the worker without running the firmware's close (for failing tests). */
  kill(): void {
    this.#closed = true;
    this.#worker.kill();
  }

  #post(event: ArrayBuffer): void {
    if (this.#closed && this.#worker.closed) return;
    this.#pending.push(new Uint8Array(event));
    if (this.#draining || this.#worker.busy) return;
    this.#draining = true;
    try {
      for (let next = this.#pending.shift(); next !== undefined; next = this.#pending.shift()) {
        this.stats.deliveries++;
        const t0 = performance.now();
        // Stamp the delivery's clock now, not when the event was queued.
        if (this.#frozenClock) new DataView(next.buffer, next.byteOffset + 1, 8).setFloat64(0, this.#platform.clock.now(), true);
        const reply = this.#worker.deliver(next);
        this.stats.deliverMs += performance.now() - t0;
        this.stats.compute += reply.meter.compute;
        this.#note(reply.meter);
        if (reply.bytes.length === 0) throw new Error(`xsnap node ${this.name}: empty reply (no handleCommand?)`);
        const r = new WireReader(reply.bytes);
        const status = r.u8();
        for (let n = r.u32(); n > 0; n--) {
          const port = this.#serials.get(r.u32());
          const bytes = r.bytes();
          port?.write(bytes);
        }
        this.#sendUdpBatch(r);
        if (status === Status.ERROR) {
          this.#pending.length = 0;
          this.#uncaught.length = 0;
          throw new XsFirmwareError(r.text(), r.text(), r.text(), this.name);
        }
        this.#throwUncaught();
      }
    } finally {
      this.#draining = false;
    }
  }

  /** Starts an event: kind, then the clock for the delivery (read when it is delivered). */
  #event(kind: number, extra = 16): WireWriter {
    return new WireWriter(extra + 32).u8(kind).f64(Number.NaN);
  }

  #note(meter: XsMeter): void {
    this.#lastMeter = meter;
    if (meter.currentHeapCount > this.#peakHeapCount) this.#peakHeapCount = meter.currentHeapCount;
  }

  #throwUncaught(): void {
    if (this.#uncaught.length === 0) return;
    const text = this.#uncaught.join("\n");
    this.#uncaught.length = 0;
    this.#pending.length = 0;
    throw new XsFirmwareError("Error", text, text, this.name);
  }

  #serve(message: Uint8Array): Uint8Array {
    const t0 = performance.now();
    const r = new WireReader(message);
    const w = new WireWriter(64).u8(Status.OK);
    try {
      this.#dispatch(r.u8(), r, w);
      this.stats.serveMs += performance.now() - t0;
      return w.view();
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return new WireWriter(64).u8(Status.ERROR).text(e.name).text(e.message).view();
    }
  }

  #dispatch(op: number, r: WireReader, w: WireWriter): void {
    const p = this.#platform;
    this.stats.natives.set(op, (this.stats.natives.get(op) ?? 0) + 1);
    switch (op) {
      case Native.NOW: w.f64(p.clock.now()); return;
      case Native.TIMER_SET: {
        const id = r.u32();
        const delay = r.f64();
        this.#timers.set(id, p.timers.set(() => {
          this.#timers.delete(id);
          this.#post(this.#event(Event.TIMER).u32(id).finish());
        }, delay));
        return;
      }
      case Native.TIMER_CLEAR: {
        const id = r.u32();
        const handle = this.#timers.get(id);
        if (handle !== undefined) { this.#timers.delete(id); p.timers.clear(handle); }
        return;
      }
      case Native.UDP_OPEN: {
        const id = this.#nextId++;
        const socket = p.udp({ port: r.f64(), onReadable: () => this.#udpReadable(id) });
        this.#sockets.set(id, socket);
        w.u32(id).bool(socket.ipv6);
        return;
      }
      case Native.UDP_WRITE: {
        const socket = this.#sockets.get(r.u32());
        const address = r.text(), port = r.f64(), bytes = r.bytes();
        if (socket === undefined) throw new Error("UDP send failed");
        socket.write(bytes, address, port);
        return;
      }
      case Native.UDP_FLUSH: this.#sendUdpBatch(r); return;
      case Native.UDP_CLOSE: {
        const id = r.u32();
        this.#sockets.get(id)?.close();
        this.#sockets.delete(id);
        return;
      }
      case Native.SERIAL_OPEN: {
        const id = this.#nextId++;
        const port = p.serial({ onReadable: () => this.#serialReadable(id) });
        this.#serials.set(id, port);
        w.u32(id);
        return;
      }
      case Native.SERIAL_WRITE: {
        const port = this.#serials.get(r.u32());
        const bytes = r.bytes();
        if (port === undefined) throw new Error("serial port not open");
        port.write(bytes);
        return;
      }
      case Native.RANDOM_FILL: {
        const bytes = new Uint8Array(r.u32());
        p.random.fill(bytes);
        w.bytes(bytes);
        return;
      }
      case Native.DTLS_CREATE: {
        const now = r.f64();
        const engine = p.dtls.createEngine(now, readDtlsOptions(r));
        const id = this.#nextId++;
        this.#engines.set(id, engine);
        w.u32(id);
        writeDtlsSnapshot(w, engine);
        return;
      }
      // Arguments are read before the call: a call that throws still answers with a snapshot.
      case Native.DTLS_CLIENT_ID: { const e = this.#engine(r), id = r.bytes(); writeDtlsOutcome(w, e, () => e.setClientId(id)); return; }
      case Native.DTLS_FEED: { const e = this.#engine(r), now = r.f64(), d = r.bytes(); writeDtlsOutcome(w, e, () => e.feed(now, d)); return; }
      case Native.DTLS_WRITE: { const e = this.#engine(r), now = r.f64(), d = r.bytes(); writeDtlsOutcome(w, e, () => e.write(now, d)); return; }
      case Native.DTLS_TIMER: { const e = this.#engine(r), now = r.f64(); writeDtlsOutcome(w, e, () => e.handleTimer(now)); return; }
      case Native.DTLS_CLOSE: { const e = this.#engine(r), now = r.f64(); writeDtlsOutcome(w, e, () => e.close(now)); return; }
      case Native.DTLS_FREE: {
        const id = r.u32();
        this.#engines.get(id)?.free();
        this.#engines.delete(id);
        return;
      }
      case Native.DTLS_KEYLOG: {
        const log = this.#engine(r).keyLog?.();
        w.optBytes(log === undefined ? undefined : Buffer.from(log, "latin1"));
        return;
      }
      case Native.LOG: {
        const level = r.u8();
        const text = r.text();
        if (level === LogLevel.ERROR) this.#uncaught.push(text);
        else this.#onLog(text);
        return;
      }
      default:
        throw new Error(`unknown native ${op}`);
    }
  }

  /** Sends a UdpBatch (see ops.ts). A refused send is a lost datagram, as in the firmware. */
  #sendUdpBatch(r: WireReader): void {
    for (let n = r.u32(); n > 0; n--) {
      const socket = this.#sockets.get(r.u32());
      const address = r.text(), port = r.f64(), bytes = r.bytes();
      try {
        socket?.write(bytes, address, port);
      } catch {
        this.stats.refusedSends++;
      }
    }
  }

  #engine(r: WireReader): DtlsEngine {
    const engine = this.#engines.get(r.u32());
    if (engine === undefined) throw new Error("engine freed");
    return engine;
  }

  #udpReadable(id: number): void {
    const socket = this.#sockets.get(id);
    if (socket === undefined) return;
    const datagrams = [];
    for (let d = socket.read(); d !== undefined; d = socket.read()) datagrams.push(d);
    if (datagrams.length === 0) return;
    const w = this.#event(Event.UDP).u32(id).u32(datagrams.length);
    for (const d of datagrams) w.text(d.address).f64(d.port).bytes(d.bytes);
    this.#post(w.finish());
  }

  #serialReadable(id: number): void {
    const bytes = this.#serials.get(id)?.read();
    if (bytes === undefined || bytes.length === 0) return;
    this.#post(this.#event(Event.SERIAL, bytes.length).u32(id).bytes(bytes).finish());
  }
}
