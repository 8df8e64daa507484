// Host platforms for the lane tests: nodes on one VirtualClock, a loopback UDP hub (zero-delay
// delivery through the clock), a scripted Serial, seeded randomness and a scripted fake DTLS
// engine, so the proxy can be checked without the native engine.
import type { DtlsBinding, DtlsEngine, DtlsEngineOptions, DtlsEngineState, DtlsErrorName, Platform, UdpDatagram } from "../../../src/platform/index.js";
import { VirtualClock } from "../../../host-sim/virtual-clock.js";
import { seededRandomSource } from "../../../host-sim/prng.js";

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

export class UdpHub {
  readonly #ports = new Map<string, (d: UdpDatagram) => void>();
  constructor(readonly clock: VirtualClock) {}
  bind(address: string, port: number, receive: (d: UdpDatagram) => void): void {
    const key = `${address}#${port}`;
    if (this.#ports.has(key)) throw new Error("port in use");
    this.#ports.set(key, receive);
  }
  unbind(address: string, port: number): void { this.#ports.delete(`${address}#${port}`); }
  send(from: string, fromPort: number, to: string, toPort: number, bytes: Uint8Array): void {
    const copy = bytes.slice();
    this.clock.set(() => this.#ports.get(`${to}#${toPort}`)?.({ bytes: copy, address: from, port: fromPort }), 0);
  }
}

export class ScriptedConsole {
  transcript = "";
  #input: Uint8Array[] = [];
  #onReadable: ((count: number) => void) | undefined;
  type(line: string): void {
    this.#input.push(ascii(`${line}\n`));
    this.#onReadable?.(this.#input.length);
  }
  attach(onReadable: (count: number) => void): { write(b: Uint8Array): void; read(): Uint8Array | undefined } {
    this.#onReadable = onReadable;
    return {
      write: (bytes) => { this.transcript += text(bytes); },
      read: () => {
        if (this.#input.length === 0) return undefined;
        const all = Buffer.concat(this.#input);
        this.#input = [];
        return new Uint8Array(all);
      },
    };
  }
}

export class FakeDtlsEngine implements DtlsEngine {
  #state: DtlsEngineState = "handshaking";
  #error: DtlsErrorName = "None";
  #out: Uint8Array[] = [];
  #in: Uint8Array[] = [];
  #deadline: number | undefined;
  #freed = false;
  constructor(readonly options: DtlsEngineOptions) {
    const id = options.credentials.mode === "psk" ? text(options.credentials.identity) : "x509";
    this.#out.push(ascii(`hello:${id}`));
  }
  #live(): void { if (this.#freed) throw new Error("engine freed"); }
  setClientId(): void { this.#live(); }
  feed(now: number, datagram: Uint8Array): void {
    this.#live();
    const t = text(datagram);
    if (t === "accept") { this.#state = "connected"; this.#deadline = undefined; }
    else if (t === "overflow") {
      // As the C engine's feed when its read queue fills mid-datagram: what fitted is queued
      // (and answered), then it refuses the rest with QueueFull.
      this.#in.push(ascii("plain(fitted)"));
      this.#out.push(ascii("answer"));
      const refused = new Error("feed: QueueFull");
      refused.name = "QueueFull";
      throw refused;
    }
    else if (t === "alert") { this.#state = "failed"; this.#error = "BadRecordMac"; }
    else this.#in.push(ascii(`plain(${t})`));
    if (this.#state === "handshaking") this.#deadline = now + 1000;
  }
  takeOutgoing(): Uint8Array | undefined { this.#live(); return this.#out.shift(); }
  write(_now: number, data: Uint8Array): void {
    this.#live();
    if (this.#state !== "connected") throw new Error("not connected");
    this.#out.push(ascii(`enc(${text(data)})`));
  }
  read(): Uint8Array | undefined { this.#live(); return this.#in.shift(); }
  handleTimer(now: number): void { this.#live(); this.#out.push(ascii("hello-again")); this.#deadline = now + 2000; }
  nextDeadline(): number | undefined { this.#live(); return this.#deadline; }
  state(): DtlsEngineState { this.#live(); return this.#state; }
  error(): DtlsErrorName { this.#live(); return this.#error; }
  cipherSuite(): number { this.#live(); return this.#state === "connected" ? 0xc0a8 : 0; }
  close(): void { this.#live(); this.#out.push(ascii("close_notify")); this.#state = "closed"; }
  free(): void { this.#freed = true; }
}

export const fakeDtls: DtlsBinding = { createEngine: (_now, options) => new FakeDtlsEngine(options) };

/** A host platform for one node at `address` on the hub. */
export function lanePlatform(hub: UdpHub, address: string, console: ScriptedConsole, seed: number): Platform {
  const clock = hub.clock;
  let nextEphemeral = 49152;
  return {
    clock, timers: clock,
    udp(options) {
      const port = options.port === 0 ? nextEphemeral++ : options.port;
      const queue: UdpDatagram[] = [];
      hub.bind(address, port, (d) => { queue.push(d); options.onReadable(queue.length); });
      return {
        ipv6: true,
        write: (bytes, to, toPort) => hub.send(address, port, to, toPort, bytes),
        read: () => queue.shift(),
        close: () => hub.unbind(address, port),
      };
    },
    serial: (options) => console.attach(options.onReadable),
    random: seededRandomSource(seed, 1),
    dtls: fakeDtls,
  };
}
