// The XS heap cost of each extra server session (`coaps sessions 8`): the server's firmware
// runs on XS, eight clients on Node connect one after another, each then GETs its resource a
// few times (so its session and its slot's CoAP endpoint are in steady use). The live heap
// after a collection is taken with one peer served and with all eight; the difference over
// seven is the cost of one extra session. Deterministic counts (heap snapshots), no timings.
// Used by test/xs/sessions-heap.test.ts and bench/xs/sessions-heap.bench.ts (docs/coaps-shell.md "Several sessions").
import { createSim } from "../harness.js";
import { heapDelta, mcuBytes, type XsHeapUse } from "./heap.js";
import { loadFirmwareModule, type RunningNode, runtimeFor } from "./runtime.js";

export const SESSIONS = 8;
/** Issue 12's goal for each session beyond the first, on a 32-bit MCU. */
export const PER_SESSION_GOAL_BYTES = 6 * 1024;
const SERVER = "fdde:ad00:beef:0:0:0:0:1";
const GETS_EACH = 3;

export interface SessionsHeap {
  /** Server firmware heap (beyond the loaded code) with one peer connected and served. */
  readonly one: XsHeapUse;
  /** The same with all eight peers connected and served. */
  readonly all: XsHeapUse;
  /** A single-session server (the default) with its one peer, for comparison. */
  readonly single: XsHeapUse;
  /** (all - one) / 7 on a 32-bit MCU, in bytes. */
  readonly perExtraMcuBytes: number;
}

async function measure(sessions: number): Promise<XsHeapUse[]> {
  const runtime = runtimeFor(await loadFirmwareModule(), "xs");
  let server: RunningNode | undefined;
  const clients = Array.from({ length: sessions }, (_, i) => i + 2);
  const sim = await createSim({
    seed: 11, nodes: [1, ...clients],
    starterFor: (id) => (id === 1 ? { start: (p, o, n) => (server = runtime.start(p, o, n)) } : undefined),
  });
  try {
    const s = sim.console(1);
    const lines = [...(sessions > 1 ? [`coaps sessions ${sessions}`] : []), "coaps psk secret123 id1", "coaps start", "coaps resource res", "coaps set hello"];
    for (const line of lines) { s.send(line); s.expect(`${line}\r\nDone\r\n`, 10); }
    const samples: XsHeapUse[] = [];
    for (const id of clients) {
      const c = sim.console(id);
      for (const line of ["coaps psk secret123 id1", "coaps start", `coaps connect ${SERVER}`]) { c.send(line); c.expect("Done\r\n", 10); }
      c.expect("coaps connected\r\n", 5000);
      for (let i = 0; i < GETS_EACH; i++) { c.send("coaps get res con"); c.expect("coaps response from", 5000); }
      const use = server!.xs!.heapUse();
      samples.push(heapDelta(use.now, use.baseline));
    }
    return samples;
  } finally {
    sim.close();
  }
}

export async function measureSessionsHeap(): Promise<SessionsHeap> {
  const samples = await measure(SESSIONS);
  const [single] = await measure(1);
  const one = samples[0]!, all = samples[SESSIONS - 1]!;
  return { one, all, single: single!, perExtraMcuBytes: (mcuBytes(all) - mcuBytes(one)) / (SESSIONS - 1) };
}
