import test from "ava";
import { readFileSync } from "node:fs";
import { interleave, ratios, spread, verdict, verdictLine } from "../bench/harness.js";
import { type BenchResults, END, START, renderTable, withTable } from "../bench/readme-table.js";
import { responseCounter } from "../bench/xs/responses.js";
import type { ConsoleWire } from "../host-sim/console.js";

const root = new URL("../", import.meta.url);

test("a spread is the median, min, max and interpolated quartiles of the rounds", (t) => {
  t.deepEqual(spread([5, 1, 4, 2, 3]), { median: 3, min: 1, max: 5, q1: 2, q3: 4, n: 5 });
  // An even count takes the mean of the middle two; quartiles interpolate between neighbours.
  t.deepEqual(spread([10, 40, 20, 30]), { median: 25, min: 10, max: 40, q1: 17.5, q3: 32.5, n: 4 });
  t.throws(() => spread([]));
  t.throws(() => spread([1, Number.NaN]));
});

test("ratios pair the rounds of two contenders, and the verdict judges their median", (t) => {
  const ours = [10, 30, 20, 40, 50, 60, 70], peer = [5, 10, 10, 10, 10, 30, 10];
  const r = spread(ratios(ours, peer));
  t.is(r.median, 3); // per round: 2 3 2 4 5 2 7
  t.is(r.min, 2);
  t.is(r.max, 7);
  t.throws(() => ratios([1, 2], [1]));
  const met = verdict("x / y", r, ">=", 3);
  t.true(met.pass);
  t.is(verdictLine(met), "PASS: x / y 3.00× >= 3.00× (min–max 2.00–7.00×, IQR 2.00–4.50, n=7)");
  t.false(verdict("x / y", r, ">=", 3.01).pass);
  t.true(verdict("t", spread([1.5, 1, 2]), "<=", 1.5).pass);
  t.is(verdictLine(verdict("t", spread([1.6, 1, 2]), "<=", 1.5)).slice(0, 5), "MISS:");
});

test("interleave runs every contender once per round, rotating the order, and drops warm-up rounds", async (t) => {
  const order: string[] = [];
  const make = (name: string) => ({ name, run: (round: number) => { order.push(`${name}${round}`); return round; } });
  const r = await interleave([make("a"), make("b"), make("c")], { rounds: 7, warmup: 1, quiet: true });
  t.deepEqual(order.slice(0, 12), ["c-1", "a-1", "b-1", "a0", "b0", "c0", "b1", "c1", "a1", "c2", "a2", "b2"]);
  t.deepEqual(r.get("a"), [0, 1, 2, 3, 4, 5, 6]);
  t.is(order.length, 3 * 8);
  await t.throwsAsync(() => interleave([make("a")], { rounds: 6, quiet: true }), { message: /at least 7 rounds/ });
});

test("the README's benchmark table is the one generated from the committed bench/results.json", (t) => {
  const results = JSON.parse(readFileSync(new URL("bench/results.json", root), "utf8")) as BenchResults;
  const readme = readFileSync(new URL("README.md", root), "utf8");
  const block = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END));
  t.is(block, `\n${renderTable(results)}\n`);
  t.is(withTable(readme, results), readme);
  // Every verdict in the JSON is in the table, with its median and PASS/MISS.
  for (const b of results.benchmarks) {
    for (const v of b.verdicts) t.regex(block, new RegExp(`\\| ${v.label.replace(/[/()]/g, "\\$&")} \\| \\*\\*[^|]+\\*\\* \\|.*\\| ${v.pass ? "PASS" : "\\*\\*MISS\\*\\*"} \\|`));
  }
});

test("the table generator refuses a README without markers and results without verdicts", (t) => {
  const results = JSON.parse(readFileSync(new URL("bench/results.json", root), "utf8")) as BenchResults;
  t.throws(() => withTable("# no markers\n", results), { message: /bench-table/ });
  t.throws(() => renderTable({ ...results, benchmarks: [] }), { message: /no verdicts/ });
});

test("the XS benchmark counts each response line once, also when the console splits it", async (t) => {
  let emit: (text: string) => void = () => {};
  const wire = { onOutput: (listener: (text: string) => void) => { emit = listener; return () => {}; } } as unknown as ConsoleWire;
  const responses = responseCounter(wire);
  const line = "coaps response from fdde:ad00:beef:0:9903:14b:27e0:5744 with payload: 48656c6c6f\r\n> ";
  emit(line);
  t.is(responses.count, 1);
  for (const chunk of ["coaps resp", "onse from ::1 with payload: 00\r\n", "> coaps response from ::1\r\ncoaps response f", "rom ::1\r\n"]) emit(chunk);
  t.is(responses.count, 4);
  emit("coaps get r\r\nDone\r\n"); // other output is not a response
  t.is(responses.count, 4);
  const next = responses.next(1000);
  emit(line);
  await next;
  t.is(responses.count, 5);
  await t.throwsAsync(() => responses.next(10), { message: /no response/ });
});
