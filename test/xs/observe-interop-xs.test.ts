// The libcoap Observe and /.well-known/core interop tests (test/interop/observe-coaps.test.ts)
// with the node's firmware on XS: the same file in a child ava, real sockets and real time, only
// the engine changed. Binds real UDP ports: run under the port lock.
import test from "ava";
import { workerAlive } from "../../host-sim/xs/xsnap-driver.js";
import { reportedPids, runOnEngine } from "./helpers/nested-ava.js";

test("libcoap observes a node on XS, reads its /.well-known/core, and the node observes coap-server", async (t) => {
  const result = await runOnEngine("xs", ["test/interop/observe-coaps.test.ts"]);
  t.deepEqual(result.failed, [], result.failures);
  t.is(result.passed.length, 5, result.failures);
  t.is(result.reports.length, 5, "each test's node ran on XS");
  t.true(result.reports.every((l) => l.startsWith("node 1 on XS")));
  t.deepEqual(reportedPids(result.reports).filter(workerAlive), []);
});
