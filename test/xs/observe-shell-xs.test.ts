// Observe and /.well-known/core on the shell (test/coaps/observe-shell.test.ts, and with
// `coaps sessions 2`: observe-sessions.test.ts) with the firmware on XS: the same files in a
// child ava with every firmware node on XS (server and client), so the observable resource,
// `coaps set` notifications and `coaps observe`/`cancel` run on XS.
// (The test that starts node 1 with its own app options and the raw-peer tests' node 2 keep
// their own runtimes.)
import test from "ava";
import { workerAlive } from "../../host-sim/xs/xsnap-driver.js";
import { reportedPids, runOnEngine } from "./helpers/nested-ava.js";

test("the observe shell tests pass with the firmware nodes on XS", async (t) => {
  const result = await runOnEngine("xs", ["test/coaps/observe-shell.test.ts", "test/coaps/observe-sessions.test.ts", "test/coaps/observe-races.test.ts"]);
  t.deepEqual(result.failed, [], result.failures);
  t.true(result.passed.length >= 17, result.failures);
  t.is(result.exitCode, 0);
  t.true(result.reports.some((l) => l.startsWith("node 1 on XS")), "the server ran on XS");
  t.true(result.reports.some((l) => l.startsWith("node 2 on XS")), "the client ran on XS");
  t.deepEqual(reportedPids(result.reports).filter(workerAlive), []);
});
