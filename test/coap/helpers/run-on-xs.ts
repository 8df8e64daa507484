// Runs a scenario module's exported function inside the real XS engine (xsnap) and returns the
// string it produced, so a test can compare it with the same function run on Node.
import { buildSync } from "esbuild";
import { fileURLToPath } from "node:url";
import { XsnapWorker } from "../../../host-sim/xs/xsnap-driver.js";

const TEXT = fileURLToPath(new URL("../../../src/bytes/text.ts", import.meta.url));

/** `modulePath` is a file path; `exportName` names a function of no arguments returning a string. */
export function runOnXs(modulePath: string, exportName: string): string | undefined {
  const entry = [
    `import { ${exportName} } from ${JSON.stringify(modulePath)};`,
    `import { utf8Encode } from ${JSON.stringify(TEXT)};`,
    `const bytes = utf8Encode(${exportName}());`,
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
  return fromXs;
}
