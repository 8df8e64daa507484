// The conformance suite of the CoAPS shell (test/conformance/, all spec §13 transcripts) with the
// firmware on XS: every node in one run, and S alone on XS against C and N3 on Node in another
// (PSK, X.509 and the three-node transcript; the child processes cost the same as on Node).
// The suite's own files run unchanged in a child ava; only the engine differs.
import test from "ava";
import { workerAlive } from "../../host-sim/xs/xsnap-driver.js";
import { conformanceFiles, reportedPids, runOnEngine } from "./helpers/nested-ava.js";

const files = conformanceFiles();

test.serial("all conformance transcripts pass byte for byte with every node on XS", async (t) => {
  t.true(files.length >= 14, `expected the 14 transcript tests, found ${files.length}`);
  const result = await runOnEngine("xs", files);
  t.deepEqual(result.failed, [], result.failures);
  t.true(result.passed.length >= files.length, result.failures);
  t.is(result.exitCode, 0);
  // Every simulation reported its XS nodes, and no worker outlived its test.
  t.true(result.reports.length >= 2 * files.length - 3, `${result.reports.length} XS node reports`);
  t.true(result.reports.every((l) => / on XS \(pid \d+\): firmware heap \d+ slots/.test(l)));
  t.deepEqual(reportedPids(result.reports).filter(workerAlive), []);
});

test.serial("the transcripts also pass with the server on XS and the clients on Node", async (t) => {
  const mixed = files.filter((f) => /t0[12]-|t14-/.test(f));
  const result = await runOnEngine("node,1=xs", mixed);
  t.deepEqual(result.failed, [], result.failures);
  t.true(result.passed.length >= mixed.length, result.failures);
  t.true(result.reports.length >= mixed.length, "the server ran on XS");
  t.true(result.reports.every((l) => l.startsWith("node 1 on XS")), "only the server ran on XS");
});
