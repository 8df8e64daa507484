// Bundles firmware for xsnap: one strict-mode IIFE script for the worker's `e` command. Without
// the "use strict" banner esbuild's IIFE would run sloppy, which is not how Moddable runs modules.
//
// The entry is generated: it imports the firmware's main (any module exporting a
// startCoapsApp-shaped function) and hands it to runOnXs, the XS event boundary.
import { buildSync } from "esbuild";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const XS_RUNTIME = fileURLToPath(new URL("../../src/platform/xsnap/runtime.ts", import.meta.url));
const cache = new Map<string, string>();

/** `module`: absolute path of the firmware module; `exportName`: its main function. */
export function bundleFirmwareForXs(module: string, exportName: string): string {
  const key = `${module}#${exportName}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const entry = [
    `import { runOnXs } from ${JSON.stringify(XS_RUNTIME)};`,
    `import { ${exportName} as main } from ${JSON.stringify(module)};`,
    "runOnXs(main);",
  ].join("\n");
  const result = buildSync({
    stdin: { contents: entry, resolveDir: dirname(module), sourcefile: "xs-entry.ts", loader: "ts" },
    bundle: true,
    format: "iife",
    target: "es2022",
    platform: "neutral",
    banner: { js: '"use strict";' },
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.text;
  cache.set(key, code);
  return code;
}
