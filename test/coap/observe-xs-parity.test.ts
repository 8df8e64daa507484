// Observe and /.well-known/core give the same results on XS (the firmware's engine) as on Node.
import test from "ava";
import { buildSync } from "esbuild";
import { fileURLToPath } from "node:url";
import { XsnapWorker } from "../../host-sim/xs/xsnap-driver.js";
import { runObserveScenario } from "./helpers/observe-scenario.js";

const SCENARIO = fileURLToPath(new URL("./helpers/observe-scenario.ts", import.meta.url));
const TEXT = fileURLToPath(new URL("../../src/bytes/text.ts", import.meta.url));

test("an observe and link-format workout gives identical results on XS and on Node", (t) => {
  const entry = [
    `import { runObserveScenario } from ${JSON.stringify(SCENARIO)};`,
    `import { utf8Encode } from ${JSON.stringify(TEXT)};`,
    "const bytes = utf8Encode(runObserveScenario());",
    "issueCommand(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));",
  ].join("\n");
  const script = buildSync({
    stdin: { contents: entry, resolveDir: process.cwd(), sourcefile: "parity-entry.ts", loader: "ts" },
    bundle: true, format: "iife", target: "es2022", platform: "neutral", banner: { js: '"use strict";' },
    write: false, logLevel: "silent",
  }).outputFiles[0]!.text;
  let fromXs: string | undefined;
  const worker = new XsnapWorker({ onCommand: (bytes) => { fromXs = Buffer.from(bytes).toString("utf8"); return new Uint8Array(0); } });
  try {
    worker.evaluate(script);
  } finally {
    worker.close();
  }
  const onNode = runObserveScenario();
  t.truthy(fromXs);
  t.true(onNode.length > 1000);
  t.deepEqual(JSON.parse(fromXs!), JSON.parse(onNode));
});
