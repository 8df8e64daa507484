// The preload walk (test/helpers/preload-frozen.ts) inside the XS engine, on the modules the
// manifest preloads: XS's view of what is frozen must agree with Node's, with no constant table
// left unfrozen (test/device/preload-frozen.test.ts is the Node side). The walk firmware is
// generated from the manifest's preload list, so a module added there is walked too.
import test from "ava";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runtimeFor, type Firmware, type FirmwareMain } from "../../host-sim/xs/runtime.js";
import { VirtualClock } from "../../host-sim/virtual-clock.js";
import { moduleMap, readManifest } from "../device/manifest-model.js";
import { lanePlatform, ScriptedConsole, UdpHub } from "./helpers/lane-platform.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Preloaded module name -> absolute source path, as in the manifest. */
function preloaded(): Map<string, string> {
  const manifest = readManifest(root);
  const names = moduleMap(root, manifest, "esp32/nodemcu");
  const out = new Map<string, string>();
  for (const entry of manifest.preload) {
    const matches = entry.endsWith("/*") ? [...names.keys()].filter((n) => n.startsWith(entry.slice(0, -1))) : [entry];
    for (const name of matches) {
      const file = names.get(name)?.find((f) => f.endsWith(".ts"));
      if (file) out.set(name, join(root, file));
    }
  }
  return out;
}

/** A firmware module importing every preloaded module and printing the walk's findings. */
function walkSource(modules: Map<string, string>): string {
  const entries = [...modules];
  return [
    `import { unfrozenPaths } from ${JSON.stringify(join(root, "test/helpers/preload-frozen.ts"))};`,
    ...entries.map(([, file], i) => `import * as m${i} from ${JSON.stringify(file)};`),
    `const PRELOADED = { ${entries.map(([name], i) => `${JSON.stringify(name)}: m${i}`).join(", ")} };`,
    "export function startPreloadWalk(platform) {",
    "  const serial = platform.serial({ onReadable: () => undefined });",
    "  const say = (line) => serial.write(Uint8Array.from(`${line}\\r\\n`, (c) => c.charCodeAt(0) & 0xff));",
    "  say(`walked ${Object.keys(PRELOADED).length} modules`);",
    "  for (const path of unfrozenPaths(PRELOADED)) say(path);",
    "  say(\"end\");",
    "  return { close: () => undefined };",
    "}",
    "",
  ].join("\n");
}

const modules = preloaded();
const dir = mkdtempSync(join(tmpdir(), "coaps-preload-walk-"));
const module = join(dir, "preload-walk.ts");
writeFileSync(module, walkSource(modules));
const main = (await import(pathToFileURL(module).href) as { startPreloadWalk: FirmwareMain }).startPreloadWalk;
const walkFirmware: Firmware = { main, module, exportName: "startPreloadWalk" };
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

/** Lines the walk prints on one engine. */
function walk(engine: "node" | "xs"): { lines: string[]; report: string | undefined } {
  const console = new ScriptedConsole();
  const running = runtimeFor(walkFirmware, engine).start(lanePlatform(new UdpHub(new VirtualClock(0)), "a", console, 1), { port: 5684 }, "a");
  try {
    return { lines: console.transcript.split("\r\n").filter((l) => l !== ""), report: running.report() };
  } finally {
    running.close();
  }
}

test("inside XS every object the preloaded modules reach is frozen or frozen by xsl itself, as on Node", (t) => {
  t.true(modules.has("app") && modules.has("coap/index") && modules.size > 20);
  const xs = walk("xs");
  const node = walk("node");
  t.regex(xs.report ?? "", /on XS/);
  const header = `walked ${modules.size} modules`;
  t.deepEqual(xs.lines, [header, "end"]);
  // Same set (namespace key order of `export *` differs between the engines).
  t.deepEqual([...xs.lines].sort(), [...node.lines].sort(), "XS and Node see the same unfrozen objects");
});
