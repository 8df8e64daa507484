// The codec and the endpoint give the same results on XS (the firmware's engine) as on Node.
import test from "ava";
import { fileURLToPath } from "node:url";
import { runParityScenario } from "./helpers/parity-scenario.js";
import { runOnXs } from "./helpers/run-on-xs.js";

const SCENARIO = fileURLToPath(new URL("./helpers/parity-scenario.ts", import.meta.url));

test("a codec and endpoint workout gives identical results on XS and on Node", (t) => {
  const fromXs = runOnXs(SCENARIO, "runParityScenario");
  const onNode = runParityScenario();
  t.truthy(fromXs);
  t.true(onNode.length > 1000);
  t.deepEqual(JSON.parse(fromXs!), JSON.parse(onNode));
});
