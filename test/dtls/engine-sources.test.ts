// The engine is every native/dtls_*.c, and each build that compiles it names all of them:
// binding.gyp (the host addon, and through host-sim/engine-sources.ts the C drivers
// and benchmarks), the device wrapper native/xs_dtls_engine.c (one translation unit behind
// the manifest's mbedTLS configuration) and scripts/check-mbedtls-version.sh. The manifest
// lists the wrapper and the engine's headers, never an engine .c file (it would be compiled a
// second time, without the configuration).
import test from "ava";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { engineSourceNames } from "../../host-sim/engine-sources.js";
import { readManifest } from "../device/manifest-model.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const inNative = (re: RegExp) => readdirSync(join(root, "native")).filter((f) => re.test(f)).sort();
const engineC = inNative(/^dtls_.*\.c$/);
const engineH = inNative(/^dtls_.*\.h$/);

test("binding.gyp builds every engine file", (t) => {
  t.true(engineC.length >= 2);
  t.deepEqual(engineSourceNames().map((s) => s.replace(/^native\//, "")).sort(), engineC);
});

test("the device wrapper compiles every engine file, dtls_engine.c first", (t) => {
  const wrapper = readFileSync(join(root, "native/xs_dtls_engine.c"), "utf8");
  const included = [...wrapper.matchAll(/^#include "(dtls_[^"]*\.c)"/gm)].map((m) => m[1]!);
  t.is(included[0], "dtls_engine.c");
  t.deepEqual([...included].sort(), engineC);
});

test("every manifest block that builds the wrapper lists the engine's headers and no engine .c file", (t) => {
  const manifest = readManifest(root);
  const blocks = Object.entries(manifest.platforms)
    .map(([name, b]) => [name, b.modules?.["*"]] as const)
    .filter(([, star]) => JSON.stringify(star ?? []).includes("./native/xs_dtls_engine.c"));
  t.true(blocks.length >= 1);
  for (const [name, star] of blocks) {
    const sources = (Array.isArray(star) ? star : [star]) as string[];
    t.deepEqual(engineH.filter((h) => !sources.includes(`./native/${h}`)), [], `${name} misses headers`);
    t.deepEqual(sources.filter((s) => /native\/dtls_.*\.c$/.test(s)), [], `${name} compiles an engine file outside the wrapper`);
  }
});

test("the by-hand version check compiles every engine file", (t) => {
  t.regex(readFileSync(join(root, "scripts/check-mbedtls-version.sh"), "utf8"), /"\$root"\/native\/dtls_\*\.c/);
});
