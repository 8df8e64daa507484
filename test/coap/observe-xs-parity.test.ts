// Observe and /.well-known/core give the same results on XS (the firmware's engine) as on Node.
import test from "ava";
import { fileURLToPath } from "node:url";
import { runObserveScenario } from "./helpers/observe-scenario.js";
import { runOnXs } from "./helpers/run-on-xs.js";

const SCENARIO = fileURLToPath(new URL("./helpers/observe-scenario.ts", import.meta.url));

test("an observe and link-format workout gives identical results on XS and on Node", (t) => {
  const fromXs = runOnXs(SCENARIO, "runObserveScenario");
  const onNode = runObserveScenario();
  t.truthy(fromXs);
  t.true(onNode.length > 1000);
  t.deepEqual(JSON.parse(fromXs!), JSON.parse(onNode));
});
