// Real-time mode for interactive use: the virtual clock follows the wall clock. One Node timer
// is armed for the earliest virtual deadline; outside input (keys, real datagrams) goes through
// `inject`, which first brings virtual time up to the wall clock so the firmware sees the right now.
import type { VirtualClock } from "./virtual-clock.js";

export class RealTimeDriver {
  readonly #clock: VirtualClock;
  readonly #wallStart: number;
  readonly #virtualStart: number;
  #timer: NodeJS.Timeout | undefined;
  #armedFor: number | undefined;
  #stopped = false;
  #inBatch = false;
  /** Called with any error a firmware callback throws, instead of crashing the process. */
  onError: (error: unknown) => void = (error) => { throw error; };

  constructor(clock: VirtualClock) {
    this.#clock = clock;
    this.#wallStart = performance.now();
    this.#virtualStart = clock.now();
    clock.onEarliestChanged = () => { if (!this.#inBatch) this.#arm(); };
    this.#arm();
  }

  /** Virtual time that corresponds to the wall clock now. */
  virtualNow(): number {
    // Whole milliseconds, like a device tick counter.
    return this.#virtualStart + Math.floor(performance.now() - this.#wallStart);
  }

  /** Runs `fn` (e.g. delivering typed bytes) at the current wall time, then everything it made due. */
  inject(fn: () => void): void {
    this.#batch(() => {
      this.#clock.advanceTo(this.virtualNow());
      fn();
      this.#clock.runDue();
    });
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#clock.onEarliestChanged = undefined;
  }

  #batch(fn: () => void): void {
    this.#inBatch = true;
    try {
      fn();
    } catch (error) {
      this.onError(error);
    } finally {
      this.#inBatch = false;
      this.#arm();
    }
  }

  #arm(): void {
    if (this.#stopped) return;
    const next = this.#clock.nextDeadline();
    if (next === this.#armedFor && this.#timer) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = next;
    if (next === undefined) return;
    const wait = Math.max(0, next - this.virtualNow());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#armedFor = undefined;
      this.#batch(() => this.#clock.advanceTo(Math.max(next, this.virtualNow())));
    }, Math.ceil(wait));
  }
}
