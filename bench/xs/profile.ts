// Where a GET's time goes on the XS lane: round trips (deliveries and natives by opcode), XS
// compute units and host wall time per GET, for both nodes of a connected pair on virtual time.
// Run: npx tsx bench/xs/profile.ts [gets] [--methods]
import { createSim } from "../../host-sim/harness.js";
import { loadFirmwareModule, type RunningNode, runtimeFor } from "../../host-sim/xs/runtime.js";
import { Native } from "../../src/platform/xsnap/ops.js";
import { responseCounter } from "./responses.js";

const GETS = Number(process.argv[2] ?? 300);
// --methods: the firmware with compute units counted per method (bench/xs/meter-firmware.ts).
const methods = process.argv.includes("--methods");
const S = "fdde:ad00:beef:0:9903:14b:27e0:5744";
const firmware = methods
  ? await loadFirmwareModule(new URL("./meter-firmware.ts", import.meta.url).pathname, "startMeteredApp")
  : await loadFirmwareModule();
const runtime = runtimeFor(firmware, "xs");
const nodes = new Map<number, RunningNode>();
const sim = await createSim({
  seed: 3, nodes: [{ id: 1, addresses: [S] }, { id: 2 }], firmware: "none",
  starterFor: (id) => ({ start: (platform, options, name) => { const r = runtime.start(platform, options, name); nodes.set(id, r); return r; } }),
});
const [s, c] = [sim.console(1), sim.console(2)];
for (const line of ["coaps psk secretPSK id1", "coaps start", "coaps resource test-resource", "coaps set Hello"]) { s.send(line); s.expect("Done\r\n", 10); }
for (const line of ["coaps psk secretPSK id1", "coaps start", `coaps connect ${S}`]) { c.send(line); c.expect("Done\r\n", 10); }
c.expect("coaps connected\r\n", 5000);
const responses = responseCounter(sim.node(2).wire);
const gets = (n: number) => {
  for (let i = 0; i < n; i++) {
    const before = responses.count;
    c.send("coaps get test-resource con");
    if (!sim.runUntil(() => responses.count > before, 10_000)) throw new Error("no response");
  }
};
gets(50);
if (methods) for (const id of [1, 2]) nodes.get(id)!.xs!.evaluate("meterReport()");
const xs = [nodes.get(1)!.xs!, nodes.get(2)!.xs!];
const before = xs.map((x) => ({ ...x.stats, natives: new Map(x.stats.natives) }));
const t0 = performance.now();
gets(GETS);
const wall = performance.now() - t0;
const names = new Map<number, string>(Object.entries(Native).map(([k, v]) => [v, k]));
console.log(`${GETS} GETs in ${wall.toFixed(0)} ms: ${(wall / GETS).toFixed(3)} ms per GET (both nodes)`);
xs.forEach((x, i) => {
  const b = before[i]!;
  const per = (v: number) => (v / GETS).toFixed(2);
  const ops = [...x.stats.natives].map(([op, n]) => [op, n - (b.natives.get(op) ?? 0)] as const).filter(([, n]) => n > 0);
  const natives = ops.reduce((a, [, n]) => a + n, 0);
  console.log(`${i === 0 ? "server" : "client"}: deliveries ${per(x.stats.deliveries - b.deliveries)}, natives ${per(natives)} ` +
    `(${ops.map(([op, n]) => `${names.get(op)} ${per(n)}`).join(", ")}), compute ${per(x.stats.compute - b.compute)}, ` +
    `deliver ${(( x.stats.deliverMs - b.deliverMs) / GETS).toFixed(3)} ms (serving natives ${((x.stats.serveMs - b.serveMs) / GETS).toFixed(3)} ms)`);
});
if (methods) {
  for (const [id, label] of [[1, "server"], [2, "client"]] as const) {
    // The report comes back as the message of an error thrown by the evaluated script.
    try { nodes.get(id)!.xs!.evaluate("throw new Error(meterReport())"); } catch (e) {
      console.log(`${label}: compute units per GET by method (inclusive), calls per GET`);
      for (const line of (e as Error).message.split("\n")) {
        const [k, units, calls] = line.replace(/^.*?Error: /, "").split(" ");
        if (k !== "proxy:wrapped") console.log(`  ${k!.padEnd(40)} ${(Number(units) / GETS).toFixed(0).padStart(7)} ${(Number(calls) / GETS).toFixed(2).padStart(6)}`);
      }
    }
  }
}
sim.close();
