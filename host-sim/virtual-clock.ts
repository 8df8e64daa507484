// One virtual clock drives every node of a run. Time moves only when the caller says so
// (advance / runUntil), so hours of protocol time run in milliseconds and a run is
// reproducible. Timers fire in deadline order; equal deadlines fire in creation order.
import type { Clock, TimerHandle, Timers } from "../src/platform/clock.js";

interface Entry {
  readonly deadline: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** A runaway chain of zero-delay timers would otherwise hang a test instead of failing it. */
const MAX_CALLBACKS_PER_INSTANT = 1_000_000;

function before(a: Entry, b: Entry): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

export class VirtualClock implements Clock, Timers {
  #now: number;
  #seq = 0;
  #heap: Entry[] = [];
  #live = 0;
  #running = false;
  /** Called when a timer is set that is now the earliest one (the real-time driver re-arms on it). */
  onEarliestChanged: (() => void) | undefined;

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  set(callback: () => void, delayMs: number): TimerHandle {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const entry: Entry = { deadline: this.#now + delay, seq: this.#seq++, callback, cancelled: false };
    this.#push(entry);
    this.#live++;
    if (this.#heap[0] === entry) this.onEarliestChanged?.();
    return entry as unknown as TimerHandle;
  }

  clear(handle: TimerHandle): void {
    const entry = handle as unknown as Entry;
    if (entry && !entry.cancelled) {
      // A fired entry is marked cancelled when it runs, so this cannot double-count.
      entry.cancelled = true;
      this.#live--;
    }
  }

  /** Deadline of the earliest pending timer, or undefined when none is pending. */
  nextDeadline(): number | undefined {
    this.#dropCancelled();
    return this.#heap[0]?.deadline;
  }

  /** Number of timers still pending. */
  pending(): number {
    return this.#live;
  }

  /** Runs every timer due at the current time, including ones they set with delay 0. Returns how many ran. */
  runDue(): number {
    return this.#runUntilTime(this.#now);
  }

  /** Moves time forward by `ms`, running each timer at its own deadline on the way. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError("advance: ms must be >= 0");
    this.advanceTo(this.#now + ms);
  }

  /** Moves time forward to `t` (no-op for the past, apart from running what is due). */
  advanceTo(t: number): void {
    this.#runUntilTime(Math.max(t, this.#now));
    if (t > this.#now) this.#now = t;
  }

  /**
   * Steps from deadline to deadline until `predicate()` holds (checked first, then after each
   * timer) or `limitMs` of virtual time has passed. Returns whether the predicate held. On
   * failure the clock stands at start + limitMs; on success, at the instant it became true.
   */
  runUntil(predicate: () => boolean, limitMs: number): boolean {
    const end = this.#now + limitMs;
    this.runDue();
    if (predicate()) return true;
    for (;;) {
      const next = this.nextDeadline();
      if (next === undefined || next > end) break;
      this.#now = Math.max(this.#now, next);
      this.#runOne();
      if (predicate()) {
        // Let the rest of this instant settle, as a real event loop would before anyone looks.
        this.runDue();
        return true;
      }
    }
    if (end > this.#now) this.#now = end;
    return predicate();
  }

  #runUntilTime(t: number): number {
    if (this.#running) throw new Error("VirtualClock: advance/runDue called from inside a timer callback");
    let ran = 0;
    let atInstant = 0;
    let instant = this.#now;
    for (;;) {
      const next = this.nextDeadline();
      if (next === undefined || next > t) break;
      if (next > this.#now) this.#now = next;
      if (this.#now !== instant) { instant = this.#now; atInstant = 0; }
      if (++atInstant > MAX_CALLBACKS_PER_INSTANT) {
        throw new Error(`VirtualClock: more than ${MAX_CALLBACKS_PER_INSTANT} timers at t=${this.#now} (zero-delay loop?)`);
      }
      this.#runOne();
      ran++;
    }
    return ran;
  }

  #runOne(): void {
    const entry = this.#pop();
    if (!entry) return;
    entry.cancelled = true;
    this.#live--;
    this.#running = true;
    try {
      entry.callback();
    } finally {
      this.#running = false;
    }
  }

  #dropCancelled(): void {
    while (this.#heap.length > 0 && this.#heap[0]!.cancelled) this.#pop();
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      // Swaps through a temporary: a destructuring swap runs the array iterator on XS.
      const t = heap[i]!;
      heap[i] = heap[parent]!;
      heap[parent] = t;
      i = parent;
    }
  }

  #pop(): Entry | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        const t = heap[i]!;
        heap[i] = heap[m]!;
        heap[m] = t;
        i = m;
      }
    }
    return top;
  }
}
