// XS heap per extra server session (coaps sessions <n>): the server's firmware on XS with
// `coaps sessions 8`, eight clients (on Node) connecting one after another, each then serving
// three CON GETs. The live heap after a collection (heap snapshot; host-sim/xs/heap.ts), beyond
// the loaded firmware, is taken with one peer and with all eight; (eight - one) / 7 is one extra
// session on a 32-bit MCU (16-byte slots). Counts, not timings: the figures repeat exactly.
// Goal: <= 6 KB of JS heap per extra session. test/xs/sessions-heap.test.ts asserts the same bound.
// Run: npx tsx bench/xs/sessions-heap.bench.ts
import { formatHeap, mcuBytes } from "../../host-sim/xs/heap.js";
import { PER_SESSION_GOAL_BYTES, SESSIONS, measureSessionsHeap } from "../../host-sim/xs/sessions-heap.js";

const h = await measureSessionsHeap();
const kb = (n: number) => (n / 1024).toFixed(2);
console.log(`XS heap of the server firmware, live after a collection, beyond the loaded code (coaps sessions ${SESSIONS}):`);
console.log(`  default single session, one peer served: ${formatHeap(h.single)}`);
console.log(`  coaps sessions ${SESSIONS}, one peer served:   ${formatHeap(h.one)}`);
console.log(`  coaps sessions ${SESSIONS}, ${SESSIONS} peers served: ${formatHeap(h.all)}`);
console.log(`  first session with n = ${SESSIONS} vs the single-session node: ${kb(mcuBytes(h.one) - mcuBytes(h.single))} KB (32-bit)`);
const met = h.perExtraMcuBytes <= PER_SESSION_GOAL_BYTES;
console.log(`  per extra session: ${kb(h.perExtraMcuBytes)} KB on a 32-bit MCU (goal <= ${kb(PER_SESSION_GOAL_BYTES)} KB: ${met ? "met" : "MISSED"})`);
if (!met) process.exitCode = 1;
