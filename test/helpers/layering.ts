// The import rules between the project's parts (test/layering.test.ts checks the tree).
//
// Firmware (src/) is layered; a file imports only from its own unit or a lower layer:
//
//   main                  device entry: the app on the Moddable platform
//   app                   startCoapsApp, the firmware every host runs (simulator, XS lane, device)
//   cli                   shell and `coaps` commands
//   coaps                 CoapSecureAgent
//   coap | dtls           the CoAP endpoint; the DTLS session (siblings: neither imports the other)
//   platform | net        the interfaces the firmware sees of the world; IP address text
//   bytes                 byte/text conversions, imports nothing
//
// The platform implementations (platform/moddable for the device, platform/xsnap for the XS
// lane) import only platform and bytes, and only main imports one (platform/moddable): the
// protocol layers see the platform interfaces alone, and the XS lane's runtime is bundled by
// host-sim/xs.
//
// Outside the firmware: src/ imports nothing outside src/ (no host-sim/, test/ or bench/);
// host-sim/ imports neither test/ nor bench/; bench/ does not import test/.
import ts from "typescript";
import { posix } from "node:path";

export interface SourceFile {
  /** Path from the repository root, with "/" separators. */
  readonly path: string;
  readonly text: string;
}

export interface Violation {
  readonly file: string;
  readonly imports: string;
  readonly why: string;
}

const LAYERS: readonly (readonly string[])[] = [
  ["bytes"],
  ["platform", "net"],
  ["coap", "dtls"],
  ["coaps"],
  ["cli"],
  ["app"],
  ["main"],
];
const IMPLEMENTATIONS: Readonly<Record<string, readonly string[]>> = {
  "platform/moddable": ["platform", "bytes"],
  "platform/xsnap": ["platform", "bytes"],
};
/** The only unit that may import a platform implementation, and which one. */
const ENTRY_IMPORTS: Readonly<Record<string, string>> = { main: "platform/moddable" };

/** The firmware unit of a path under src/ ("src/coap/x.ts" → "coap", "src/app.ts" → "app"). */
export function unitOf(path: string): string {
  const rest = path.slice("src/".length);
  for (const impl of Object.keys(IMPLEMENTATIONS)) if (rest.startsWith(`${impl}/`)) return impl;
  const slash = rest.indexOf("/");
  return slash < 0 ? rest.replace(/(\.d)?\.[jt]s$/, "") : rest.slice(0, slash);
}

const rankOf = (unit: string): number => LAYERS.findIndex((layer) => layer.includes(unit));

function firmwareRule(from: string, to: string): string | undefined {
  if (from === to) return undefined;
  const allowed = IMPLEMENTATIONS[from];
  if (allowed !== undefined) return allowed.includes(to) ? undefined : `${from} implements platform and imports only ${allowed.join(", ")}`;
  if (IMPLEMENTATIONS[to] !== undefined) return ENTRY_IMPORTS[from] === to ? undefined : `only main imports a platform implementation (${to})`;
  const f = rankOf(from), t = rankOf(to);
  if (f < 0) return `${from} is in no layer (add it to test/helpers/layering.ts)`;
  if (t < 0) return `${to} is in no layer (add it to test/helpers/layering.ts)`;
  if (t === f) return `${from} and ${to} are siblings in one layer`;
  if (t > f) return `${from} imports upward, from ${to}`;
  return undefined;
}

/** Relative imports of `file` (type-only and re-exports included), resolved from the root. */
export function importsOf(file: SourceFile): string[] {
  return ts.preProcessFile(file.text, true, true).importedFiles
    .map((i) => i.fileName)
    .filter((spec) => spec.startsWith("./") || spec.startsWith("../"))
    .map((spec) => posix.normalize(posix.join(posix.dirname(file.path), spec)));
}

const top = (path: string): string => path.slice(0, path.indexOf("/") + 1);

/** Every import in `files` that breaks a rule. */
export function layeringViolations(files: readonly SourceFile[]): Violation[] {
  const out: Violation[] = [];
  for (const file of files) {
    for (const target of importsOf(file)) {
      const add = (why: string) => out.push({ file: file.path, imports: target, why });
      const from = top(file.path), to = top(target);
      if (from === "src/") {
        if (to !== "src/") { add("src/ imports nothing outside src/"); continue; }
        const why = firmwareRule(unitOf(file.path), unitOf(target));
        if (why !== undefined) add(why);
      } else if (from === "host-sim/" && (to === "test/" || to === "bench/")) {
        add(`host-sim/ does not import ${to}`);
      } else if (from === "bench/" && to === "test/") {
        add("bench/ does not import test/");
      }
    }
  }
  return out;
}
