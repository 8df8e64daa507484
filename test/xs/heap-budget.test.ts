// The XS heap of a node that is connected and serving (shell + agent + one DTLS session) fits
// a 48 KB budget on a 32-bit MCU, and serving requests does not make it grow. Heap counts
// are live slots and chunk bytes after a collection: deterministic, not timings.
import test from "ava";
import { createSim } from "../../host-sim/harness.js";
import { formatHeap, heapDelta, mcuBytes } from "../../host-sim/xs/heap.js";
import { loadFirmwareModule, type RunningNode, runtimeFor } from "../../host-sim/xs/runtime.js";

const BUDGET_BYTES = 48 * 1024;
const S = "fdde:ad00:beef:0:9903:14b:27e0:5744";

test("a serving node's XS heap stays within 48 KB on a 32-bit MCU and does not grow with requests", async (t) => {
  const runtime = runtimeFor(await loadFirmwareModule(), "xs");
  const nodes = new Map<number, RunningNode>();
  const sim = await createSim({
    seed: 5, nodes: [{ id: 1, addresses: [S] }, 2], firmware: "none",
    starterFor: (id) => ({ start: (p, o, n) => { const r = runtime.start(p, o, n); nodes.set(id, r); return r; } }),
  });
  t.teardown(() => sim.close());
  const [s, c] = [sim.console(1), sim.console(2)];
  for (const line of ["coaps psk secretPSK id1", "coaps start", "coaps resource test-resource", "coaps set Hello"]) { s.send(line); s.expect("Done\r\n", 10); }
  for (const line of ["coaps psk secretPSK id1", "coaps start", `coaps connect ${S}`]) { c.send(line); c.expect("Done\r\n", 10); }
  c.expect("coaps connected\r\n", 5000);
  const server = nodes.get(1)!.xs!;
  const gets = (n: number) => {
    for (let i = 0; i < n; i++) { c.send("coaps get test-resource con"); c.expect("coaps response from", 5000); }
  };
  gets(20);
  const early = server.heapUse();
  gets(200);
  const late = server.heapUse();
  const use = heapDelta(late.now, late.baseline);
  t.log(`server firmware heap after 220 GETs: ${formatHeap(use)}`);
  t.true(mcuBytes(use) <= BUDGET_BYTES, formatHeap(use));
  t.true(use.slots > 100, "the started firmware holds its shell, agent and session");
  const growth = heapDelta(late.now, early.now);
  t.log(`growth over 200 GETs: ${growth.slots} slots, ${growth.chunkBytes} chunk bytes`);
  t.true(growth.slots <= 32 && growth.chunkBytes <= 1024, `heap grew by ${formatHeap(growth)} over 200 GETs`);
});
