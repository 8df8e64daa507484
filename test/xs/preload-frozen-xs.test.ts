// The preload walk (test/helpers/preload-frozen.ts) inside the XS engine, on the same modules
// the manifest preloads: XS's view of what is frozen must agree with Node's, constant tables
// included (test/device/preload-frozen.test.ts is the Node side).
import test from "ava";
import { fileURLToPath } from "node:url";
import { runtimeFor, type Firmware } from "../../host-sim/xs/runtime.js";
import { moduleMap, readManifest } from "../device/manifest-model.js";
import { PRELOADED, startPreloadWalk } from "./firmware/preload-walk.js";
import { lanePlatform, ScriptedConsole, UdpHub } from "./helpers/lane-platform.js";
import { VirtualClock } from "../../host-sim/virtual-clock.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const walkFirmware: Firmware = {
  main: startPreloadWalk,
  module: fileURLToPath(new URL("./firmware/preload-walk.ts", import.meta.url)),
  exportName: "startPreloadWalk",
};

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

const isPrototypePath = (path: string): boolean => /\.prototype$/.test(path);

test("the walk firmware imports exactly the modules the manifest preloads", (t) => {
  const names = moduleMap(root, readManifest(root), "esp32/nodemcu");
  const preloaded = readManifest(root).preload.flatMap((entry) =>
    entry.endsWith("/*") ? [...names.keys()].filter((n) => n.startsWith(entry.slice(0, -1)) && names.get(n)!.some((f) => f.endsWith(".ts"))) : [entry]);
  t.deepEqual(Object.keys(PRELOADED).sort(), [...new Set(preloaded)].sort());
});

test("inside XS every constant table of the preloaded modules is deeply frozen, as on Node", (t) => {
  const xs = walk("xs");
  const node = walk("node");
  t.regex(xs.report ?? "", /on XS/);
  t.is(xs.lines[0], `walked ${Object.keys(PRELOADED).length} modules`);
  t.is(xs.lines.at(-1), "end");
  t.deepEqual(xs.lines.filter((l) => !isPrototypePath(l)), [`walked ${Object.keys(PRELOADED).length} modules`, "end"]);
  t.deepEqual(xs.lines, node.lines, "XS and Node see the same unfrozen objects");
});
