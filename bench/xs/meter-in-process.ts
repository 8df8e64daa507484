// Where a GET's work goes when the whole simulation runs in one XS machine (the target's
// measure, bench/xs/gets.bench.ts): XS instructions per GET by method, exclusive (minus the
// wrapped methods it calls) and inclusive, simulator (sim:) and firmware apart. Instructions,
// not time: the count is the same on every run and on any machine, so a change to the firmware
// can be judged by it before a timed benchmark. Uses the metering runner (build.ts).
// Run: npx tsx bench/xs/meter-in-process.ts [gets] [--total]   (--total: the count per GET only)
import { fileURLToPath } from "node:url";
import { InProcessXsSim, inProcessBundle } from "../../host-sim/xs/in-process/machine.js";
import type { InProcessRequest } from "../../host-sim/xs/in-process/protocol.js";

const GETS = Number(process.argv[2] ?? 2000);
const S = "fdde:ad00:beef:0:9903:14b:27e0:5744", C = "fdde:ad00:beef:0:9e68:576f:714c:f395";
const xs = await InProcessXsSim.open({ variant: "metering", bundle: inProcessBundle(fileURLToPath(new URL("./meter-entry.ts", import.meta.url))) });
const call = <T>(r: InProcessRequest | { op: "meter" | "meter-wrap" }) => xs.call<T>(r as InProcessRequest);
try {
  await call({ op: "start", seed: 3, nodes: [{ id: 1, addresses: [S] }, { id: 2, addresses: [C] }] });
  const typed = async (node: number, line: string) => {
    await call({ op: "send", node, line });
    await call({ op: "expect", node, text: "Done\r\n", withinMs: 10 });
  };
  for (const line of ["coaps psk secretPSK id1", "coaps start", "coaps resource test-resource", "coaps set Hello"]) await typed(1, line);
  for (const line of ["coaps psk secretPSK id1", "coaps start", `coaps connect ${S}`]) await typed(2, line);
  await call({ op: "expect", node: 2, text: "coaps connected\r\n", withinMs: 5000 });
  const gets = (count: number) => call({ op: "repeat", node: 2, line: "coaps get test-resource con", marker: "coaps response from", count, withinMs: 10_000 });
  await gets(100);
  type Meter = { rows: Array<[string, number, number, number, number, number]>; total: number };
  const per = (v: number) => Math.round(v / GETS);
  const start = await call<Meter>({ op: "meter" });
  await gets(GETS);
  const plain = await call<Meter>({ op: "meter" });
  console.log(`${GETS} GETs, XS instructions per GET (both nodes and the simulator): ${per(plain.total - start.total)}`);
  if (process.argv.includes("--total")) process.exit(0);
  await call({ op: "meter-wrap" });
  await gets(100);
  const before = await call<Meter>({ op: "meter" });
  await gets(GETS);
  const m = await call<Meter>({ op: "meter" });
  const plainPerGet = (plain.total - start.total) / GETS;
  const wrappedPerGet = (m.total - before.total) / GETS;
  const calls = m.rows.reduce((a, r) => a + r[3], 0) / GETS;
  // What one wrapper costs (its caller pays it): the difference spread over the wrapped calls.
  const overhead = (wrappedPerGet - plainPerGet) / calls;
  const own = (r: Meter["rows"][number]) => r[2] - overhead * r[4];
  let sim = 0, firmware = 0;
  for (const r of m.rows) if (r[0].startsWith("sim:")) sim += own(r); else firmware += own(r);
  console.log(`by method, with ${calls.toFixed(0)} wrapped calls per GET costing about ${overhead.toFixed(0)} instructions each (taken out below):`);
  console.log(`  own instructions in simulator methods ${per(sim)}, in firmware methods ${per(firmware)}; outside any wrapped method ${Math.round(plainPerGet - (sim + firmware) / GETS)}`);
  console.log(`  ${"method".padEnd(42)} ${"own".padStart(7)} ${"inclusive".padStart(9)} ${"calls".padStart(6)}`);
  for (const r of m.rows.sort((a, b) => own(b) - own(a))) {
    const inclusive = r[1] - overhead * r[5]; // the wrappers of everything it called taken out
    if (per(own(r)) === 0 && per(inclusive) === 0) continue;
    console.log(`  ${r[0].padEnd(42)} ${String(per(own(r))).padStart(7)} ${String(per(inclusive)).padStart(9)} ${(r[3] / GETS).toFixed(2).padStart(6)}`);
  }
} finally {
  await xs.close();
}
