// The DTLS engine's C files, as the host addon builds them: binding.gyp's sources without the
// N-API glue. Every C driver, benchmark and script compiles exactly these
// (test/dtls/engine-sources.test.ts keeps binding.gyp, the device wrapper and native/dtls_*.c
// in agreement).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));

/** Paths relative to the repository root, in binding.gyp's order. */
export function engineSourceNames(): string[] {
  const gyp = JSON.parse(readFileSync(join(root, "binding.gyp"), "utf8")) as { targets: { sources: string[] }[] };
  return gyp.targets[0]!.sources.filter((s) => s !== "native/napi_dtls.c");
}

/** Absolute paths, for a compiler command line. */
export function engineSources(): string[] {
  return engineSourceNames().map((s) => join(root, s));
}
