import test from "ava";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, relative, sep } from "node:path";
import { listTs } from "./helpers/portability.js";
import { layeringViolations, unitOf, type SourceFile } from "./helpers/layering.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const tree = (...dirs: string[]): SourceFile[] =>
  dirs.flatMap((d) => listTs(join(root, d))).map((p) => ({ path: relative(root, p).split(sep).join("/"), text: readFileSync(p, "utf8") }));

/**
 * bench/ files that still import test/ helpers, as "file -> import". They are being moved out
 * of test/; once they are, this list must be emptied (the test below fails on a stale entry).
 */

test("src/, host-sim/ and bench/ import only along the layers of test/helpers/layering.ts", (t) => {
  const found = layeringViolations(tree("src", "host-sim", "bench")).map((v) => `${v.file} -> ${v.imports}`);
  t.deepEqual(found, []);
});

test("every firmware file belongs to a layer", (t) => {
  const units = new Set(tree("src").map((f) => unitOf(f.path)));
  t.deepEqual([...units].sort(), ["app", "bytes", "cli", "coap", "coaps", "dtls", "main", "net", "platform", "platform/moddable", "platform/xsnap"]);
});

test("the layering check refuses upward, sibling and outward imports, type-only ones included", (t) => {
  const file = (path: string, ...imports: string[]): SourceFile => ({ path, text: imports.map((i) => `import type { X } from "${i}";`).join("\n") });
  const found = layeringViolations([
    file("src/coap/a.ts", "../coaps/types.js", "../dtls/session.js", "../platform/udp.js", "../bytes/text.js", "./b.js"),
    file("src/coaps/a.ts", "../platform/moddable/udp.js", "../../host-sim/console.js"),
    file("src/main.ts", "./platform/moddable/device.js", "./platform/xsnap/platform.js", "./app.js"),
    file("src/platform/xsnap/a.ts", "../../net/address.js", "../index.js"),
    file("src/bytes/a.ts", "../net/address.js"),
    file("src/newthing/a.ts", "../bytes/text.js"),
    file("bench/x.bench.ts", "../test/dtls/helpers/pair.js", "../host-sim/harness.js", "../src/app.js"),
    file("host-sim/a.ts", "../test/helpers/portability.js", "../bench/dtls/common.js", "../src/app.js"),
  ]).map((v) => `${v.file} -> ${v.imports}: ${v.why}`);
  t.deepEqual(found, [
    "src/coap/a.ts -> src/coaps/types.js: coap imports upward, from coaps",
    "src/coap/a.ts -> src/dtls/session.js: coap and dtls are siblings in one layer",
    "src/coaps/a.ts -> src/platform/moddable/udp.js: only main imports a platform implementation (platform/moddable)",
    "src/coaps/a.ts -> host-sim/console.js: src/ imports nothing outside src/",
    "src/main.ts -> src/platform/xsnap/platform.js: only main imports a platform implementation (platform/xsnap)",
    "src/platform/xsnap/a.ts -> src/net/address.js: platform/xsnap implements platform and imports only platform, bytes",
    "src/bytes/a.ts -> src/net/address.js: bytes imports upward, from net",
    "src/newthing/a.ts -> src/bytes/text.js: newthing is in no layer (add it to test/helpers/layering.ts)",
    "bench/x.bench.ts -> test/dtls/helpers/pair.js: bench/ does not import test/",
    "host-sim/a.ts -> test/helpers/portability.js: host-sim/ does not import test/",
    "host-sim/a.ts -> bench/dtls/common.js: host-sim/ does not import bench/",
  ]);
});

test("imports in comments and strings are not imports; re-exports and multi-line imports are", (t) => {
  const text = [
    `// import { x } from "../cli/shell.js";`,
    `const s = 'import y from "../cli/shell.js"';`,
    `export type * from "../coaps/types.js";`,
    `import {\n  z,\n} from "../cli/shell.js";`,
  ].join("\n");
  t.deepEqual(layeringViolations([{ path: "src/coap/a.ts", text }]).map((v) => v.imports), ["src/coaps/types.js", "src/cli/shell.js"]);
});
