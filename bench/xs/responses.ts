// Counting the client's response lines for the XS benchmarks.
import type { ConsoleWire } from "../../host-sim/console.js";

/**
 * Counts "coaps response from" lines as the console prints them. Searching the whole
 * transcript after every GET would cost time growing with the run (the transcript grows by
 * ~120 bytes a GET), slowing the faster engine's rounds most and flattering the ratio.
 */
export function responseCounter(wire: ConsoleWire): { readonly count: number; next(ms: number): Promise<void> } {
  const LINE = "coaps response from";
  let tail = "", count = 0;
  let waiter: (() => void) | undefined;
  wire.onOutput((text) => {
    const window = tail + text;
    for (let at = window.indexOf(LINE); at >= 0; at = window.indexOf(LINE, at + 1)) count++;
    // Keep what could be the start of a line split across chunks (too short to hold a whole one).
    tail = window.slice(-(LINE.length - 1));
    const w = waiter;
    waiter = undefined;
    w?.();
  });
  return {
    get count() { return count; },
    next(ms) {
      const target = count + 1;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no response")), ms);
        const check = () => { if (count >= target) { clearTimeout(timer); resolve(); } else waiter = check; };
        check();
      });
    },
  };
}
