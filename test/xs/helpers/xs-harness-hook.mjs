// Module resolve hook (node:module register): while MODDABLE_COAPS_ENGINE is set, every import
// of host-sim/harness.ts resolves to test/xs/helpers/xs-harness.ts, which starts the default
// firmware on the selected engine. This lets the conformance suite (test/conformance/) run on
// XS unchanged. Plain JS: hooks run on the loader thread, before any TypeScript loader.
const HARNESS = "/host-sim/harness.ts";
const WRAPPER = new URL("./xs-harness.ts", import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.url.endsWith(HARNESS) && context.parentURL !== WRAPPER) return { ...resolved, url: WRAPPER };
  return resolved;
}
