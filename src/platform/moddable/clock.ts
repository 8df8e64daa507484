// Clock and Timers on Moddable's `time` and `timer` modules.
import type { Clock, TimerHandle, Timers } from "../clock.js";
import { Time, Timer, type TimerId } from "./sdk.js";

/** Time.ticks: milliseconds since boot (a 32-bit counter on ESP32, so it wraps after ~49 days). */
export const moddableClock: Clock = {
  now: () => Time.ticks,
};

// A one-shot Moddable timer is released once it fires, so the handle remembers whether it
// fired: clearing it afterwards must stay a no-op, as the Timers contract says.
interface Pending {
  id: TimerId | undefined;
}

export const moddableTimers: Timers = {
  set(callback: () => void, delayMs: number): TimerHandle {
    const pending: Pending = { id: undefined };
    pending.id = Timer.set(() => {
      pending.id = undefined;
      callback();
    }, Math.max(0, delayMs));
    return pending as unknown as TimerHandle;
  },
  clear(handle: TimerHandle): void {
    const pending = handle as unknown as Pending;
    if (pending.id === undefined) return;
    Timer.clear(pending.id);
    pending.id = undefined;
  },
};
