// The one harness every benchmark uses, so a figure means the same thing everywhere:
//   - contenders run in interleaved rounds (at least 7), the order rotating each round, so
//     machine load drifting during a run hits every contender alike;
//   - gc() between contenders when the engine exposes it (npm run bench starts Node with
//     --expose-gc), so one contender's garbage is not collected on the next one's time;
//   - every figure is reported as its median with its spread (min–max and interquartile range);
//   - a ratio is taken per round (the two contenders of a round ran under the same load) and
//     its median is what the verdict line "PASS/MISS: <figure> <op> <target>" judges.
// Results go to the JSON file named by BENCH_RESULTS (npm run bench collects them into
// bench/results.json, from which scripts/bench-table.mjs writes the README's table).
import { writeFileSync } from "node:fs";

export const MIN_ROUNDS = 7;

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** First and third quartile (linear interpolation between order statistics). */
  readonly q1: number;
  readonly q3: number;
  readonly n: number;
}

/** Quantile q (0..1) of sorted values, interpolating linearly between neighbours. */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at), hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error("spread of no values");
  if (values.some((v) => !Number.isFinite(v))) throw new Error(`spread of non-finite values: ${values.join(", ")}`);
  const s = [...values].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), min: s[0]!, max: s[s.length - 1]!, q1: quantile(s, 0.25), q3: quantile(s, 0.75), n: s.length };
}

/** Per-round ratios a[i] / b[i] of two contenders measured in the same rounds. */
export function ratios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new Error("ratios: contenders ran a different number of rounds");
  return a.map((x, i) => x / b[i]!);
}

export type Op = ">=" | "<=";

export interface Verdict {
  readonly label: string;
  readonly value: Spread;
  readonly op: Op;
  readonly target: number;
  readonly unit: string;
  readonly pass: boolean;
}

/** Judges the median against the target. */
export function verdict(label: string, value: Spread, op: Op, target: number, unit = "×"): Verdict {
  const pass = op === ">=" ? value.median >= target : value.median <= target;
  return { label, value, op, target, unit, pass };
}

/** A number for people: 3 significant digits below 100, thousands separated above. */
export function fmt(v: number): string {
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString("en-US");
  return v.toPrecision(3);
}

export function fmtSpread(s: Spread, unit = ""): string {
  return `${fmt(s.median)}${unit} (min–max ${fmt(s.min)}–${fmt(s.max)}, IQR ${fmt(s.q1)}–${fmt(s.q3)}, n=${s.n})`;
}

export function verdictLine(v: Verdict): string {
  return `${v.pass ? "PASS" : "MISS"}: ${v.label} ${fmt(v.value.median)}${v.unit} ${v.op} ${fmt(v.target)}${v.unit}` +
    ` (min–max ${fmt(v.value.min)}–${fmt(v.value.max)}${v.unit}, IQR ${fmt(v.value.q1)}–${fmt(v.value.q3)}, n=${v.value.n})`;
}

export interface Contender {
  readonly name: string;
  /** One round's figure (ops/s, µs, ...). */
  run(round: number): number | Promise<number>;
}

const gc = (globalThis as { gc?: () => void }).gc;
export const hasGc = typeof gc === "function";

/**
 * Runs `rounds` interleaved rounds of every contender, in an order rotated each round, with
 * gc() between contenders. `warmup` rounds run first and are discarded. Progress goes to stderr.
 */
export async function interleave(contenders: readonly Contender[], options: { rounds?: number; warmup?: number; quiet?: boolean } = {}): Promise<Map<string, number[]>> {
  const rounds = options.rounds ?? MIN_ROUNDS;
  if (rounds < MIN_ROUNDS) throw new Error(`at least ${MIN_ROUNDS} rounds (asked for ${rounds})`);
  const out = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  const warmup = options.warmup ?? 1;
  if (!options.quiet) process.stderr.write(`  ${warmup} warm-up + ${rounds} rounds of ${contenders.map((c) => c.name).join(" / ")}: `);
  for (let round = -warmup; round < rounds; round++) {
    const shift = ((round % contenders.length) + contenders.length) % contenders.length;
    const order = contenders.map((_, i) => contenders[(i + shift) % contenders.length]!);
    for (const c of order) {
      gc?.();
      const v = await c.run(round);
      if (round >= 0) out.get(c.name)!.push(v);
    }
    if (!options.quiet) process.stderr.write(round < 0 ? "w " : `${round + 1} `);
  }
  if (!options.quiet) process.stderr.write("\n");
  return out;
}

export interface Figure { readonly name: string; readonly unit: string; readonly value: Spread }

/** What one benchmark file reports; npm run bench collects these into bench/results.json. */
export interface BenchReport {
  readonly id: string;
  readonly title: string;
  /** Contenders and side figures, each with its spread. */
  readonly figures: Figure[];
  /** Targets judged; the first is the headline (the one hardest to meet). */
  readonly verdicts: Verdict[];
  readonly notes?: string[];
}

/** Prints figures and verdict lines, and writes the report where BENCH_RESULTS says. */
export function report(r: BenchReport): void {
  console.log(`\n${r.title}`);
  for (const f of r.figures) console.log(`  ${f.name}: ${fmtSpread(f.value, f.unit === "×" ? "×" : ` ${f.unit}`)}`);
  for (const n of r.notes ?? []) console.log(`  note: ${n}`);
  for (const v of r.verdicts) console.log(verdictLine(v));
  const file = process.env["BENCH_RESULTS"];
  if (file) writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
}

/** Repeats `fn` until `ms` have passed; returns calls per second (fn does `batch` operations). */
export function opsPerSecond(fn: () => void, ms: number, batch = 1): number {
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 50; i++) fn();
    calls += 50;
    now = performance.now();
  }
  return (calls * batch * 1000) / (now - start);
}
