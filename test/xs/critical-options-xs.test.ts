// The RFC 7252 option rules (test/coaps/critical-options.test.ts) with the node's firmware on
// XS: the same file in a child ava, only the engine of node 1 (the server) changed.
import test from "ava";
import { runOnEngine } from "./helpers/nested-ava.js";

test("4.02, 5.05 and 4.12 answers and a silent console hold with the server node on XS", async (t) => {
  const result = await runOnEngine("node,1=xs", ["test/coaps/critical-options.test.ts"]);
  t.deepEqual(result.failed, [], result.failures);
  t.true(result.passed.length >= 6, result.failures);
  t.true(result.reports.length >= 6 && result.reports.every((l) => l.startsWith("node 1 on XS")), "node 1 ran on XS in every test");
});
