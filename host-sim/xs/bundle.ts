// Bundles an XS entry module (TypeScript under src/ or test/) into one strict-mode IIFE script
// for xsnap's `e` command. Without the "use strict" banner esbuild's IIFE would run sloppy,
// which is not how Moddable runs modules.
import { buildSync } from "esbuild";

const cache = new Map<string, string>();

export function bundleForXs(entry: string): string {
  const hit = cache.get(entry);
  if (hit !== undefined) return hit;
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    format: "iife",
    target: "es2022",
    platform: "neutral",
    banner: { js: '"use strict";' },
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.text;
  cache.set(entry, code);
  return code;
}
