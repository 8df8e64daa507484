// Assertions shared by the transcript tests.
import type { ExecutionContext } from "ava";
import { loadTranscript, placeholderValues, Replay, specSim, type Label, type NodeOptions } from "./replay.js";

/** Each console equals the transcript (a final pending `> ` allowed), placeholders agree. */
export function assertConsoles(t: ExecutionContext, replay: Replay, settleMs = 3000): void {
  const results = replay.finish(settleMs);
  for (const [label, r] of results) {
    t.true(r.pattern.test(r.actual), `${label} console differs\nexpected ${JSON.stringify(r.expected)}\nactual   ${JSON.stringify(r.actual)}`);
  }
  for (const [name, values] of placeholderValues(results)) {
    t.is(values.size, 1, `[h32${name.slice(1)}] must be the same bytes on every console`);
  }
}

/** "Connected as in T1": the first 14 lines of T1, not compared. */
export async function connectedAsInT1(labels: readonly Label[] = ["S", "C"], extra: Partial<Record<Label, NodeOptions>> = {}): Promise<Replay> {
  const sim = await specSim(labels, extra);
  const replay = new Replay(sim, labels);
  replay.play(loadTranscript("t01.txt").slice(0, 14));
  replay.finish(0);
  replay.mark();
  return replay;
}

/** Asserts `actual` lies in [min, max] virtual ms. */
export function within(t: ExecutionContext, what: string, actual: number, min: number, max: number): void {
  t.true(actual >= min && actual <= max, `${what}: ${actual} ms, expected ${min}–${max} ms`);
}
