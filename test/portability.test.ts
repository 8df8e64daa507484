import test from "ava";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { scanSource, scanTree } from "./helpers/portability.js";

const root = fileURLToPath(new URL("..", import.meta.url));

test("firmware under src/ uses no Node module and no global that XS lacks", (t) => {
  const findings = scanTree(root, join(root, "src"));
  t.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.what}`), []);
});

test("the portability check catches Node imports and globals", (t) => {
  const bad = [
    `import { readFileSync } from "node:fs";`,
    `import dgram from "dgram";`,
    `const b = Buffer.from("x");`,
    `if (process.env.X) {}`,
    `setTimeout(() => {}, 1);`,
    `const m = require("path");`,
    `console.log("hi");`,
    `module.exports = {};`,
  ].join("\n");
  const found = scanSource("x.ts", bad, false).map((f) => f.what);
  t.deepEqual(found, [
    `imports "node:fs"`, `imports "dgram"`,
    "uses global Buffer", "uses global process", "uses global setTimeout", "uses global require", "uses global console", "uses global module",
  ]);
});

test("the portability check ignores comments, strings, properties and Moddable modules on the device side", (t) => {
  const ok = [
    `// Buffer and process are mentioned in a comment`,
    `const s = "console.log(Buffer)";`,
    `this.process(); obj.setTimeout = 1; const o = { console: 1 };`,
    `import Timer from "timer";`,
    `import Serial from "embedded:io/serial";`,
    `declare module "mc/config" { const config: Record<string, unknown>; export default config; }`,
  ].join("\n");
  t.deepEqual(scanSource("src/platform/moddable/x.ts", ok, true), []);
  t.is(scanSource("src/coap/x.ts", ok, false).length, 2, "Moddable modules are refused outside src/platform/moddable");
});
