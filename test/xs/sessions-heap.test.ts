// Issue 12: with `coaps sessions 8`, each session beyond the first costs at most 6 KB of XS heap
// on a 32-bit MCU (live slots and chunks after a collection: counts, not timings).
import test from "ava";
import { formatHeap, mcuBytes } from "../../host-sim/xs/heap.js";
import { PER_SESSION_GOAL_BYTES, measureSessionsHeap } from "../../host-sim/xs/sessions-heap.js";

test("each extra server session costs at most 6 KB of XS heap (32-bit figure)", async (t) => {
  const h = await measureSessionsHeap();
  t.log(`one peer: ${formatHeap(h.one)}`);
  t.log(`eight peers: ${formatHeap(h.all)}`);
  t.log(`single-session node, one peer: ${formatHeap(h.single)}`);
  t.log(`per extra session: ${(h.perExtraMcuBytes / 1024).toFixed(2)} KB on a 32-bit MCU`);
  // The eight sessions are really held: the heap grows with them.
  t.true(mcuBytes(h.all) > mcuBytes(h.one), "eight sessions take more heap than one");
  t.true(h.perExtraMcuBytes > 256, "an extra session holds a DtlsSession, a slot and a CoAP endpoint");
  t.true(h.perExtraMcuBytes <= PER_SESSION_GOAL_BYTES, `${h.perExtraMcuBytes.toFixed(0)} bytes per extra session`);
});
