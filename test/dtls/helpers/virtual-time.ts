// A virtual clock with timers for DTLS tests: nothing waits on wall-clock time.
import type { Clock, Timers, TimerHandle } from "../../../src/platform/clock.js";

interface Entry { at: number; seq: number; fn: () => void; cancelled: boolean }

export class VirtualTime implements Clock, Timers {
  #now: number;
  #seq = 0;
  #queue: Entry[] = [];

  constructor(start = 1_000) { this.#now = start; }

  now(): number { return this.#now; }

  set(callback: () => void, delayMs: number): TimerHandle {
    const e: Entry = { at: this.#now + Math.max(0, delayMs), seq: this.#seq++, fn: callback, cancelled: false };
    this.#queue.push(e);
    return e as unknown as TimerHandle;
  }

  clear(handle: TimerHandle): void { (handle as unknown as Entry).cancelled = true; }

  /** Runs due timers in order until `until` (absolute) or until `stop()` is true. */
  runUntil(until: number, stop: () => boolean = () => false): void {
    for (;;) {
      if (stop()) return;
      this.#queue = this.#queue.filter((e) => !e.cancelled);
      if (this.#queue.length === 0) break;
      let next = this.#queue[0]!;
      for (const e of this.#queue) if (e.at < next.at || (e.at === next.at && e.seq < next.seq)) next = e;
      if (next.at > until) break;
      this.#queue.splice(this.#queue.indexOf(next), 1);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    if (until > this.#now && Number.isFinite(until)) this.#now = until;
  }

  advance(ms: number, stop?: () => boolean): void { this.runUntil(this.#now + ms, stop); }

  pending(): number { return this.#queue.filter((e) => !e.cancelled).length; }
}

/** Small seeded PRNG (mulberry32) so lossy runs replay exactly. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
