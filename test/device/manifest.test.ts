import test from "ava";
import { builtinModules } from "node:module";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  filesOf, matchPlatform, moduleMap, nodeResolve, readManifest, runtimeImports, sourcesOf, xsResolve,
  type Manifest, type PlatformBlock,
} from "./manifest-model.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const read = (f: string) => readFileSync(join(root, f), "utf8");

/** The platforms the manifest builds, and the board module each must get. */
const DEVICE_PLATFORMS: ReadonlyArray<readonly [platform: string, board: string]> = [
  ["esp32/nodemcu", "src/platform/moddable/board.ts"],
  ["esp32/esp32s3_cdc", "src/platform/moddable/board.ts"],
  ["esp32/esp32c3_cdc", "src/platform/moddable/board.ts"],
  ["esp32/esp32c6_cdc", "src/platform/moddable/board.ts"],
  ["nrf52/moddable_four", "src/platform/moddable/board-nrf52.ts"],
  ["lin", "src/platform/moddable/board-lin.ts"],
];

/** Modules of the SDK itself; only the sdk*.js shims name them. */
const SDK_MODULES = new Set(["embedded:io/serial", "embedded:io/socket/udp", "timer", "time", "mc/config", "wifi", "net"]);

function manifest(): Manifest {
  return readManifest(root);
}

/** Walks the runtime import graph from main as XS resolves it on `platform`. */
function walk(m: Manifest, platform: string) {
  const map = moduleMap(root, m, platform);
  const reached = new Map<string, string>(); // module name -> file
  const problems: string[] = [];
  const sdk = new Set<string>();
  const visit = (name: string, file: string) => {
    if (reached.has(name)) return;
    reached.set(name, file);
    for (const spec of runtimeImports(read(file))) {
      if (!spec.startsWith(".")) {
        sdk.add(spec);
        if (!SDK_MODULES.has(spec)) problems.push(`${file} imports unknown module "${spec}"`);
        else if (!/^src\/platform\/moddable\/sdk[\w-]*\.js$/.test(file)) problems.push(`${file} imports "${spec}" outside the sdk shims`);
        continue;
      }
      const target = xsResolve(name, spec);
      const mapped = map.get(target);
      const nodeFile = nodeResolve(root, file, spec);
      if (!mapped || mapped.length === 0) {
        problems.push(`${file} imports "${spec}": module "${target}" is not in the manifest for ${platform}`);
        continue;
      }
      if (mapped.length > 1) problems.push(`module "${target}" has several sources on ${platform}: ${mapped.join(", ")}`);
      // Module names mirror the tree, so XS loads the file Node would; the board module is
      // the one deliberate exception (each platform maps it to its own variant).
      if (target !== "platform/moddable/board" && mapped[0] !== nodeFile) {
        problems.push(`"${target}" is ${mapped[0]} on ${platform} but ${file} means ${nodeFile}`);
      }
      visit(target, mapped[0]!);
    }
  };
  const main = map.get("main");
  if (!main) problems.push(`no "main" module on ${platform}`);
  else visit("main", main[0]!);
  return { reached, problems, sdk, map };
}

test("manifest.json is valid JSON with the includes, creation-free app settings and platforms the build needs", (t) => {
  const m = manifest();
  t.deepEqual(m.include, ["$(MODDABLE)/examples/manifest_base.json", "$(MODDABLE)/modules/io/manifest.json"]);
  t.truthy(m.platforms["esp32"]);
  t.truthy(m.platforms["nrf52"]);
  t.truthy(m.platforms["lin"]);
  t.regex(m.platforms["..."]?.error ?? "", /esp32/);
});

test("every module path the manifest names exists", (t) => {
  const m = manifest();
  const blocks: PlatformBlock[] = [m, ...Object.values(m.platforms)];
  const missing = blocks.flatMap((b) => sourcesOf(b.modules)).filter((s) => filesOf(root, s).length === 0);
  t.deepEqual(missing, []);
  const sdkconfig = m.platforms["esp32"]?.build?.["SDKCONFIGPATH"] ?? "";
  t.true(existsSync(join(root, sdkconfig, "sdkconfig.defaults")), "SDKCONFIGPATH has no sdkconfig.defaults");
});

for (const [platform, board] of DEVICE_PLATFORMS) {
  test(`on ${platform} every module main reaches is listed under its mirrored name, and the board is ${board.split("/").pop()}`, (t) => {
    const { reached, problems } = walk(manifest(), platform);
    t.deepEqual(problems, []);
    t.is(reached.get("platform/moddable/board"), board);
    t.true(reached.has("app"));
    t.true(reached.has("coaps/agent"));
  });
}

test("the walk catches a module the manifest forgot", (t) => {
  const m = manifest();
  const modules = { ...m.modules };
  delete modules["platform/moddable/device"];
  const { problems } = walk({ ...m, modules }, "esp32/nodemcu");
  t.true(problems.some((p) => p.includes(`module "platform/moddable/device" is not in the manifest`)), problems.join("\n"));
});

test("only ESP32 gets Wi-Fi and udp6, only nRF52 goes without DTLS, and the SDK modules each needs exist there", (t) => {
  const m = manifest();
  const esp = walk(m, "esp32/nodemcu"), nrf = walk(m, "nrf52/moddable_four"), lin = walk(m, "lin");
  t.true(esp.reached.has("platform/moddable/udp6") && esp.sdk.has("wifi"));
  t.false(lin.reached.has("platform/moddable/udp6") || lin.sdk.has("wifi"), "lin has no lwIP and no wifi module");
  t.false(nrf.sdk.has("embedded:io/socket/udp") || nrf.sdk.has("wifi"), "nRF52 has no sockets");
  t.false(nrf.reached.has("platform/moddable/dtls-native"), "nRF52 has no mbedTLS");
  const cOf = (p: string) => sourcesOf(matchPlatform(m.platforms, p)?.modules).concat(sourcesOf(m.modules)).filter((s) => s.endsWith(".c") || !s.includes("."));
  t.true(cOf("nrf52").every((s) => !/dtls|udp6/.test(s)));
  t.true(cOf("lin").some((s) => s.endsWith("xs_dtls.c")) && !cOf("lin").some((s) => s.includes("udp6")));
});

test("no Node-only module is listed: nothing from host-sim, test or bench, and no listed script imports a Node builtin", (t) => {
  const m = manifest();
  const node = new Set(builtinModules.flatMap((b) => [b, `node:${b}`]));
  const listed = [m, ...Object.values(m.platforms)].flatMap((b) => sourcesOf(b.modules)).flatMap((s) => filesOf(root, s));
  t.deepEqual(listed.filter((f) => !/^(src|native)\//.test(f)), []);
  // Moddable's own "net" shares a name with Node's; the sdk shims are the one place it may appear.
  const shim = (f: string) => /^src\/platform\/moddable\/sdk[\w-]*\.js$/.test(f);
  const offenders = listed.filter((f) => /\.(ts|js)$/.test(f)).flatMap((f) =>
    runtimeImports(read(f)).filter((s) => node.has(s) && !(shim(f) && SDK_MODULES.has(s))).map((s) => `${f}: ${s}`));
  t.deepEqual(offenders, []);
});

test("main is not preloaded, and preloaded modules are pure logic (no platform/moddable, no SDK module)", (t) => {
  const m = manifest();
  t.false(m.preload.includes("main"));
  t.deepEqual(m.preload.filter((p) => p.startsWith("platform/moddable")), []);
  const { reached } = walk(m, "esp32/nodemcu");
  const matches = (name: string) => m.preload.some((p) => (p.endsWith("/*") ? name.startsWith(p.slice(0, -1)) : name === p));
  const bad = [...reached].filter(([name, file]) => matches(name) && runtimeImports(read(file)).some((s) => !s.startsWith(".")));
  t.deepEqual(bad, []);
});

test("the typescript options match the firmware tsconfig: strict, ES2022 target and lib", (t) => {
  const opts = manifest().typescript.tsconfig.compilerOptions;
  const base = JSON.parse(read("tsconfig.base.json")) as { compilerOptions: Record<string, unknown> };
  const fw = JSON.parse(read("tsconfig.json")) as { compilerOptions: { lib: string[] } };
  t.is(opts["strict"], true);
  t.is(String(opts["target"]).toLowerCase(), String(base.compilerOptions["target"]).toLowerCase());
  t.deepEqual((opts["lib"] as string[]).map((l) => l.toLowerCase()), fw.compilerOptions.lib.map((l) => l.toLowerCase()));
  for (const k of ["verbatimModuleSyntax", "isolatedModules", "noImplicitOverride", "noFallthroughCasesInSwitch"]) {
    t.is(opts[k], base.compilerOptions[k], k);
  }
});

test("the *_cdc blocks repeat the esp32 block exactly, except that the shell moves to UART0", (t) => {
  const { esp32, ...rest } = manifest().platforms;
  for (const [name, block] of Object.entries(rest).filter(([n]) => n.endsWith("_cdc") && !n.includes("h2"))) {
    const { config, ...same } = block;
    t.deepEqual(same, esp32, name);
    t.is(config?.["shellPort"], 0, name);
  }
});

test("esp32 wires mbedTLS: IDF dependency, config-file define, TF-PSA include dirs; lin links it with one LIBRARIES word", (t) => {
  const m = manifest();
  const esp = m.platforms["esp32"]!;
  t.deepEqual(esp.dependency, [{ idf: "mbedtls" }]);
  // As ESP-IDF 6.0's components/mbedtls/CMakeLists.txt; the layouts they give are checked in
  // mbedtls-config-chain.test.ts.
  t.deepEqual(esp.defines?.["mbedtls"], {
    config_file: "#mbedtls/esp_config.h",
    tf_psa_crypto_user_config_file: "#mbedtls/esp_config.h",
    major_version: 4,
  });
  const star = esp.modules?.["*"] as string[];
  t.true(star.some((s) => s.startsWith("$(IDF_PATH)/components/mbedtls/port/include")));
  const libs = m.platforms["lin"]?.build?.["LIBRARIES ?="] ?? "";
  t.regex(libs, /-lmbedtls.*-lmbedx509.*-lmbedcrypto/);
  t.notRegex(libs, /\s/, "mcconfig escapes spaces in build values (moddable-target.md §9)");
});

test("nRF52 builds say that CoAPS needs an IP stack, and ESP32-H2 is refused", (t) => {
  const p = manifest().platforms;
  t.regex(p["nrf52"]?.warning ?? "", /IP stack/);
  t.regex(p["esp32/esp32h2"]?.error ?? "", /Wi-Fi/);
  t.regex(read("src/platform/moddable/board-nrf52.ts"), /no IP stack/);
});

test("every config key the device code reads is set by the manifest or is a documented command-line key", (t) => {
  const m = manifest();
  const keys = new Set([m, ...Object.values(m.platforms)].flatMap((b) => Object.keys(b.config ?? {})));
  const commandLine = new Set(["ssid", "password"]); // README, "On a board"
  const dir = "src/platform/moddable";
  const read419 = readdirSync(join(root, dir)).filter((f) => f.endsWith(".ts")).map((f) => read(join(dir, f))).join("\n");
  const used = new Set([...read419.matchAll(/config\[\s*"(\w+)"\s*\]|(?:num|config)\("(\w+)"\)/g)].map((x) => (x[1] ?? x[2])!));
  t.true(used.has("shellBaud") && used.has("coapsPort"));
  t.deepEqual([...used].filter((k) => !keys.has(k) && !commandLine.has(k)), []);
});

// The in-process XS machine's entries are bundled for XS only (host-sim/xs/in-process/machine.ts
// hands their paths to esbuild) and run the device's DTLS binding there; Node never imports them.
const XS_ONLY_ENTRIES = new Set([join("host-sim", "xs", "in-process", "entry.ts"), join("bench", "xs", "bare-entry.ts")]);

test("the device-only code stays out of Node's import graph", (t) => {
  const offenders: string[] = [];
  const scan = (dir: string) => {
    for (const f of readdirSync(join(root, dir))) {
      const p = join(dir, f);
      if (statSync(join(root, p)).isDirectory()) {
        if (f !== "node_modules" && p !== join("test", "device") && p !== join("src", "platform", "moddable")) scan(p);
      } else if (/\.(ts|mjs|js)$/.test(f) && p !== join("src", "main.ts") && !XS_ONLY_ENTRIES.has(p)) {
        for (const spec of runtimeImports(read(p))) {
          if (/platform\/moddable\/|(^|\/)main\.js$/.test(spec)) offenders.push(`${relative(root, join(root, p))}: ${spec}`);
        }
      }
    }
  };
  for (const d of ["src", "host-sim", "test", "bench", "scripts"]) if (existsSync(join(root, d))) scan(d);
  t.deepEqual(offenders, []);
});
