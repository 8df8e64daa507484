// The Platform the firmware sees inside xsnap. Every native is a synchronous call to the Node
// host, which serves it with the same host-sim platform a Node-run node uses; what the host
// observes (datagrams arrived, timers fired, console bytes) comes back as events, delivered
// to `dispatch` one at a time.
import type { Platform, SerialOptions, SerialPort, TimerHandle, UdpDatagram, UdpOptions, UdpSocket } from "../index.js";
import { proxyDtlsBinding } from "./dtls-proxy.js";
import { begin, call } from "./native-call.js";
import { Event, Native } from "./ops.js";
import { type WireReader, WireWriter } from "./wire.js";

interface TimerEntry { readonly callback: () => void }
interface SocketEntry { readonly options: UdpOptions; readonly queue: UdpDatagram[] }
interface SerialEntry { readonly options: SerialOptions; queue: Uint8Array[] }

export interface XsPlatform {
  readonly platform: Platform;
  /** Routes a TIMER, UDP or SERIAL event to its owner. Returns false for other kinds. */
  dispatch(kind: number, event: WireReader): boolean;
  /**
   * A delivery starts. `now` is the host clock for the whole delivery when the host's clock
   * cannot move during one (the simulator's virtual clock), else undefined. Serial output and
   * UDP sends are collected until endDelivery and travel in the delivery's reply instead of
   * costing a round trip each: nobody reads a console or a network between two of a node's
   * natives, and no time passes. A send the host then refuses is a lost datagram (the
   * firmware treats a refused send that way); sends are flushed before a socket closes.
   */
  beginDelivery(now: number | undefined): void;
  /** Appends the collected serial output and UDP sends to the reply (see ops.ts). */
  endDelivery(reply: WireWriter): void;
}

/** Random bytes fetched per native call (a GET draws about 7); the host's sequence is consumed in the same order. */
const RANDOM_POOL = 512;

export function createXsPlatform(): XsPlatform {
  const timers = new Map<number, TimerEntry>();
  const sockets = new Map<number, SocketEntry>();
  const serials = new Map<number, SerialEntry>();
  let nextTimerId = 1;
  let deliveryNow: number | undefined;
  let collecting = false;
  // Output collected during a delivery is encoded as it is written (no copies kept around):
  // serial output as runs of chunks per port, UDP sends straight into the UdpBatch encoding.
  const serialOut: Array<{ id: number; length: number; chunks: Uint8Array[] }> = [];
  const udpOut = new WireWriter(256);
  let udpCount = 0;
  const writeUdpBatch = (w: WireWriter) => {
    w.u32(udpCount).raw(udpOut.view());
    udpOut.reset();
    udpCount = 0;
  };
  let pool: Uint8Array = new Uint8Array(0);
  let poolAt = 0;

  const platform: Platform = {
    clock: { now: () => deliveryNow ?? call(begin(Native.NOW)).f64() },
    timers: {
      set(callback: () => void, delayMs: number): TimerHandle {
        const id = nextTimerId++;
        call(begin(Native.TIMER_SET).u32(id).f64(delayMs));
        timers.set(id, { callback });
        return { id } as unknown as TimerHandle;
      },
      clear(handle: TimerHandle): void {
        const id = (handle as unknown as { id: number }).id;
        if (timers.delete(id)) call(begin(Native.TIMER_CLEAR).u32(id));
      },
    },
    udp(options: UdpOptions): UdpSocket {
      const reply = call(begin(Native.UDP_OPEN).f64(options.port));
      const id = reply.u32();
      const ipv6 = reply.bool(); // the host socket's capability, passed through
      const entry: SocketEntry = { options, queue: [] };
      sockets.set(id, entry);
      return {
        ipv6,
        write(bytes: Uint8Array, address: string, port: number): void {
          if (!sockets.has(id)) throw new Error("UDP send failed");
          if (collecting) { udpOut.u32(id).text(address).f64(port).bytes(bytes); udpCount++; }
          else call(begin(Native.UDP_WRITE).u32(id).text(address).f64(port).bytes(bytes));
        },
        read: () => entry.queue.shift(),
        close(): void {
          if (!sockets.delete(id)) return;
          if (udpCount > 0) { const w = begin(Native.UDP_FLUSH); writeUdpBatch(w); call(w); }
          call(begin(Native.UDP_CLOSE).u32(id));
        },
      };
    },
    serial(options: SerialOptions): SerialPort {
      const id = call(begin(Native.SERIAL_OPEN)).u32();
      const entry: SerialEntry = { options, queue: [] };
      serials.set(id, entry);
      return {
        write(bytes: Uint8Array): void {
          if (!collecting) { call(begin(Native.SERIAL_WRITE).u32(id).bytes(bytes)); return; }
          const copy = new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
          const last = serialOut[serialOut.length - 1];
          if (last !== undefined && last.id === id) { last.chunks.push(copy); last.length += copy.length; }
          else serialOut.push({ id, length: copy.length, chunks: [copy] });
        },
        read(): Uint8Array | undefined {
          if (entry.queue.length === 0) return undefined;
          const all = concat(entry.queue);
          entry.queue = [];
          return all;
        },
      };
    },
    random: {
      fill(bytes: Uint8Array): void {
        if (poolAt + bytes.length > pool.length) {
          const rest = pool.subarray(poolAt);
          const more = call(begin(Native.RANDOM_FILL).u32(Math.max(RANDOM_POOL, bytes.length - rest.length))).bytes();
          pool = concat([rest, more]);
          poolAt = 0;
        }
        bytes.set(pool.subarray(poolAt, poolAt + bytes.length));
        poolAt += bytes.length;
      },
    },
    dtls: proxyDtlsBinding,
  };

  function dispatch(kind: number, event: WireReader): boolean {
    switch (kind) {
      case Event.TIMER: {
        const id = event.u32();
        const entry = timers.get(id);
        // A timer cleared while its event was in flight must not fire.
        if (entry === undefined) return true;
        timers.delete(id);
        entry.callback();
        return true;
      }
      case Event.UDP: {
        const entry = sockets.get(event.u32());
        const count = event.u32();
        if (entry === undefined) return true;
        for (let i = 0; i < count; i++) {
          const address = event.text();
          const port = event.f64();
          entry.queue.push({ address, port, bytes: event.bytes() });
        }
        if (count > 0) entry.options.onReadable(entry.queue.length);
        return true;
      }
      case Event.SERIAL: {
        const entry = serials.get(event.u32());
        const bytes = event.bytes();
        if (entry === undefined || bytes.length === 0) return true;
        entry.queue.push(bytes);
        let waiting = 0;
        for (const chunk of entry.queue) waiting += chunk.length;
        entry.options.onReadable(waiting);
        return true;
      }
      default:
        return false;
    }
  }

  function beginDelivery(now: number | undefined): void {
    deliveryNow = now;
    collecting = true;
  }

  function endDelivery(reply: WireWriter): void {
    reply.u32(serialOut.length);
    for (const { id, length, chunks } of serialOut) {
      reply.u32(id).u32(length);
      for (const chunk of chunks) reply.raw(chunk);
    }
    serialOut.length = 0;
    writeUdpBatch(reply);
    collecting = false;
    deliveryNow = undefined;
  }

  return { platform, dispatch, beginDelivery, endDelivery };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const c of chunks) { out.set(c, n); n += c.length; }
  return out;
}
