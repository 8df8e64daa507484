// Time and timers, shaped like Moddable's `timer` module (Timer.set / Timer.clear) so the
// device implementation is a one-liner and the host can run them on a virtual clock.

/** Monotonic milliseconds. Only differences matter; the origin is the platform's. */
export interface Clock {
  now(): number;
}

/** Opaque handle returned by `Timers.set`. */
export type TimerHandle = { readonly __timer: unique symbol };

export interface Timers {
  /** Calls `callback` once after `delayMs` (0 = as soon as possible, never synchronously). */
  set(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a pending timer. Clearing a fired or cleared timer is a no-op. */
  clear(handle: TimerHandle): void;
}
