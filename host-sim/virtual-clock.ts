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
  /**
   * Zero-delay timers, in creation order: most timers of a run (every datagram delivery, every
   * console notification) are due at once, and a queue costs less than the heap, on XS
   * especially (the simulation runs there too: host-sim/xs/in-process/). Their deadlines never
   * decrease (time only moves forward), so the queue stays in (deadline, seq) order and the
   * earliest timer is the earlier of its head and the heap's top.
   */
  #due: Entry[] = [];
  #dueHead = 0;
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
    // Zero, negative, NaN and Infinity alike are due now (as before, a non-finite delay is 0).
    const later = delayMs > 0 && delayMs !== Infinity;
    const entry: Entry = { deadline: later ? this.#now + delayMs : this.#now, seq: this.#seq++, callback, cancelled: false };
    this.#live++;
    if (later) {
      this.#push(entry);
      if (this.#heap[0] === entry && this.onEarliestChanged !== undefined) this.onEarliestChanged();
    } else {
      this.#due.push(entry);
      // The real-time driver must wake for it unless something earlier is already due.
      if (this.onEarliestChanged !== undefined && this.#earliest() === entry) this.onEarliestChanged();
    }
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
    return this.#earliest()?.deadline;
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
      const entry = this.#earliest();
      if (entry === undefined || entry.deadline > end) break;
      if (entry.deadline > this.#now) this.#now = entry.deadline;
      this.#run(entry);
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
      const entry = this.#earliest();
      if (entry === undefined || entry.deadline > t) break;
      if (entry.deadline > this.#now) this.#now = entry.deadline;
      if (this.#now !== instant) { instant = this.#now; atInstant = 0; }
      if (++atInstant > MAX_CALLBACKS_PER_INSTANT) {
        throw new Error(`VirtualClock: more than ${MAX_CALLBACKS_PER_INSTANT} timers at t=${this.#now} (zero-delay loop?)`);
      }
      this.#run(entry);
      ran++;
    }
    return ran;
  }

  /**
   * The earliest pending timer, left in place (cancelled ones met on the way are dropped):
   * the due queue's head or the heap's top, whichever comes first in (deadline, seq) order.
   */
  #earliest(): Entry | undefined {
    const due = this.#due;
    let head = this.#dueHead;
    while (head < due.length && due[head]!.cancelled) head++;
    if (head === due.length) {
      if (head > 0) { due.length = 0; head = 0; }
    } else if (head > 1024 && head * 2 > due.length) {
      due.splice(0, head); // a long burst: drop what has run so the queue does not grow for ever
      head = 0;
    }
    this.#dueHead = head;
    const heap = this.#heap;
    while (heap.length > 0 && heap[0]!.cancelled) this.#pop();
    const queued = head < due.length ? due[head] : undefined;
    const top = heap.length > 0 ? heap[0] : undefined;
    if (queued === undefined) return top;
    return top !== undefined && before(top, queued) ? top : queued;
  }

  /** Takes `entry` (what #earliest just returned) off its queue and runs it. */
  #run(entry: Entry): void {
    if (this.#dueHead < this.#due.length && this.#due[this.#dueHead] === entry) this.#dueHead++;
    else this.#pop();
    entry.cancelled = true;
    this.#live--;
    this.#running = true;
    try {
      entry.callback();
    } finally {
      this.#running = false;
    }
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
