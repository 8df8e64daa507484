// A simulated node: one Platform (shared virtual clock, its own timers, SimNetwork UDP, console
// UART, seeded RNG, DTLS binding) and the firmware running on it.
import type { Platform } from "../src/platform/index.js";
import type { TimerHandle, Timers } from "../src/platform/clock.js";
import type { RandomSource } from "../src/platform/random.js";
import type { DtlsBinding } from "../src/platform/dtls-binding.js";
import type { UdpFactory } from "../src/platform/udp.js";
import type { ByteAllocator } from "../src/bytes/alloc.js";
import type { VirtualClock } from "./virtual-clock.js";
import { ConsoleWire, ScriptedConsole, type ConsoleDriver } from "./console.js";
import type { AppOptions, NodeStarter } from "./firmware.js";

/** The node's view of the shared clock: its timers can all be cancelled when the node stops. */
export class NodeTimers implements Timers {
  readonly #clock: VirtualClock;
  readonly #pending = new Set<TimerHandle>();

  constructor(clock: VirtualClock) {
    this.#clock = clock;
  }

  set(callback: () => void, delayMs: number): TimerHandle {
    const handle: TimerHandle = this.#clock.set(() => {
      this.#pending.delete(handle);
      callback();
    }, delayMs);
    this.#pending.add(handle);
    return handle;
  }

  clear(handle: TimerHandle): void {
    this.#pending.delete(handle);
    this.#clock.clear(handle);
  }

  clearAll(): void {
    for (const h of this.#pending) this.#clock.clear(h);
    this.#pending.clear();
  }
}

export interface SimNodeOptions {
  readonly id: number;
  readonly clock: VirtualClock;
  readonly udp: UdpFactory;
  readonly random: RandomSource;
  readonly dtls: DtlsBinding;
  readonly driver: ConsoleDriver;
  /** Addresses (full form) the node owns, primary first; for display and `{addr N}`. */
  readonly addresses: readonly string[];
  /** Also called with each line of the node's log (the interactive simulator shows them). */
  readonly onLog?: (line: string) => void;
  /** Platform.allocBytes: on Node, slabs (src/bytes/alloc.ts); left out inside XS. */
  readonly allocBytes?: ByteAllocator;
}

export class SimNode {
  readonly id: number;
  readonly addresses: readonly string[];
  readonly platform: Platform;
  readonly wire: ConsoleWire;
  readonly console: ScriptedConsole;
  /** The simulator log: diagnostic lines the firmware wrote with platform.log. */
  readonly log: string[] = [];
  readonly #timers: NodeTimers;
  #app: { close(): void; report?(): string | undefined } | undefined;

  constructor(o: SimNodeOptions) {
    this.id = o.id;
    this.addresses = o.addresses;
    this.#timers = new NodeTimers(o.clock);
    this.wire = new ConsoleWire(this.#timers);
    this.console = new ScriptedConsole(this.wire, o.driver);
    this.platform = {
      clock: o.clock, timers: this.#timers, udp: o.udp, serial: this.wire.serial, random: o.random, dtls: o.dtls,
      log: (line) => { this.log.push(line); o.onLog?.(line); },
      ...(o.allocBytes !== undefined ? { allocBytes: o.allocBytes } : {}),
    };
  }

  /** Primary address (full form), as `{addr N}` expands. */
  get address(): string {
    return this.addresses[0]!;
  }

  get running(): boolean {
    return this.#app !== undefined;
  }

  start(starter: NodeStarter, options?: AppOptions): void {
    if (this.#app) throw new Error(`node ${this.id} is already running`);
    this.#app = starter.start(this.platform, options, String(this.id));
  }

  /** One line about the engine (XS heap use) when the runtime reports one. */
  report(): string | undefined {
    return this.#app?.report?.();
  }

  /** Stops the firmware and cancels every timer it left behind. */
  stop(): void {
    const app = this.#app;
    this.#app = undefined;
    try {
      app?.close();
    } finally {
      this.#timers.clearAll();
    }
  }
}
