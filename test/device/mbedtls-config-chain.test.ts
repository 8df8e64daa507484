// The device build compiles the DTLS engine outside ESP-IDF's CMake (moddable-target.md §4.2),
// so it must see Mbed TLS 4's configuration exactly as the library ESP-IDF 6.0 built: same
// defines, same config header chain (user crypto config -> TF-PSA-Crypto build_info -> TLS
// config), ESP's PSA driver headers on the path. Otherwise the structures the engine embeds
// have another layout than the library's: memory corruption at the first handshake.
//
// Checked against stand-ins of that header chain (native/ci-stubs/esp-idf, laid out like
// $(IDF_PATH)): a reference program is compiled the way IDF's components/mbedtls/CMakeLists.txt
// compiles the library and prints the sizes of the structures the engine embeds; then
// native/xs_dtls_engine.c is compiled the way mcconfig compiles it, with mc.defines.h generated
// from the manifest's "defines" and the manifest's include folders, and the stand-in headers
// assert those sizes.
import test from "ava";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { matchPlatform, readManifest, type PlatformBlock } from "./manifest-model.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const native = join(root, "native");
const idfPath = join(native, "ci-stubs/esp-idf");
const mbedtlsComponent = join(idfPath, "components/mbedtls");

/** ESP-IDF 6.0 components/mbedtls/CMakeLists.txt: the definitions on every mbedtls target
 * (MBEDTLS_CONFIG_FILE, TF_PSA_CRYPTO_USER_CONFIG_FILE through set_config_files_compile_definitions,
 * MBEDTLS_MAJOR_VERSION) and its include folders, component ones first, then the targets' own. */
const IDF_DEFINES = [
  '-DMBEDTLS_CONFIG_FILE="mbedtls/esp_config.h"',
  '-DTF_PSA_CRYPTO_USER_CONFIG_FILE="mbedtls/esp_config.h"',
  "-DMBEDTLS_MAJOR_VERSION=4",
];
const IDF_INCLUDES = [
  "port/include", "mbedtls/include", "mbedtls/library", "mbedtls/tf-psa-crypto/core",
  "mbedtls/tf-psa-crypto/drivers/builtin/src", "port/psa_driver/include",
  "mbedtls/tf-psa-crypto/include", "mbedtls/tf-psa-crypto/drivers/builtin/include",
].map((d) => `-I${join(mbedtlsComponent, d)}`);

/** The mbedTLS structures the engine embeds by value (struct dtls_engine, native/dtls_engine_internal.h), as the stand-in headers name their checks. */
const STRUCTS: Record<string, string> = {
  SSL_CONTEXT: "mbedtls_ssl_context",
  SSL_CONFIG: "mbedtls_ssl_config",
  X509_CRT: "mbedtls_x509_crt",
  PK_CONTEXT: "mbedtls_pk_context",
};

/** make.esp32.mk: after the manifest's folders, Moddable's own list, which has Mbed TLS's include/. */
const MODDABLE_INC_DIRS = ["$(IDF_PATH)/components/mbedtls/mbedtls/include/"];

const CFLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror"];

async function gcc(args: string[]): Promise<string> {
  try {
    await run("gcc", [...CFLAGS, ...args], { cwd: root });
    return "";
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return err.stderr || err.message;
  }
}

/** Sizes of STRUCTS in a program compiled the IDF way. */
async function idfReferenceSizes(dir: string): Promise<Record<string, number>> {
  const src = join(dir, "reference.c");
  const lines = Object.entries(STRUCTS).map(([k, s]) => `  printf("${k} %zu\\n", sizeof(${s}));`);
  writeFileSync(src, `#include "mbedtls/ssl.h"\n#include <stdio.h>\nint main(void) {\n${lines.join("\n")}\n  return 0;\n}\n`);
  const exe = join(dir, "reference");
  const out = await gcc([...IDF_DEFINES, ...IDF_INCLUDES, src, "-o", exe]);
  if (out) throw new Error(`the IDF-way reference does not compile:\n${out}`);
  const { stdout } = await run(exe);
  return Object.fromEntries(stdout.trim().split("\n").map((l) => l.split(" ")).map(([k, v]) => [k!, Number(v)]));
}

/** mcconfig.js generateDefines: nested keys joined by "_", upper-cased; "#..." strings quoted. */
function mcDefines(defines: Record<string, unknown>, prefix = "MODDEF_"): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(defines)) {
    const name = prefix + key.toUpperCase();
    if (typeof value === "number" || typeof value === "boolean") out.push(`#define ${name} (${String(value)})`);
    else if (typeof value === "string") out.push(value.startsWith("#") ? `#define ${name} "${value.slice(1)}"` : `#define ${name} ${value}`);
    else if (value !== null && typeof value === "object" && !Array.isArray(value)) out.push(...mcDefines(value as Record<string, unknown>, name + "_"));
  }
  return out;
}

/** mcconfig's C include folders for one platform block: folders ("…/") and the folders of
 * headers named in "*" sources, in manifest order, then Moddable's own. */
function moddableIncludes(topLevel: PlatformBlock, block: PlatformBlock): string[] {
  const sources = [topLevel, block].flatMap((b) => {
    const star = b.modules?.["*"];
    return star === undefined ? [] : Array.isArray(star) ? star : [star];
  });
  const folders: string[] = [];
  for (const s of [...sources, ...MODDABLE_INC_DIRS]) {
    const path = s.replace("$(IDF_PATH)", idfPath).replace(/^\.\//, `${root}/`);
    const folder = s.endsWith("/") ? path : s.endsWith(".h") ? dirname(path) : undefined;
    if (folder !== undefined && !folders.includes(folder)) folders.push(folder);
  }
  return folders.map((f) => `-I${f}`);
}

interface DeviceBuild { platform: string; block: PlatformBlock }

/** Every ESP32 platform block that compiles the engine. */
function esp32EngineBuilds(): DeviceBuild[] {
  const manifest = readManifest(root);
  return Object.keys(manifest.platforms)
    .filter((name) => name === "esp32" || name.startsWith("esp32/"))
    .map((platform) => ({ platform, block: matchPlatform(manifest.platforms, platform)! }))
    .filter(({ block }) => JSON.stringify(block.modules?.["*"] ?? []).includes("./native/xs_dtls_engine.c"));
}

/** Compiles `engine` (default: native/xs_dtls_engine.c) as mcconfig would for `block`, with the
 * reference sizes asserted; "" when it compiles. */
async function compileLikeMcconfig(dir: string, block: PlatformBlock, sizes: Record<string, number>, engine = join(native, "xs_dtls_engine.c")): Promise<string> {
  const manifest = readManifest(root);
  const gen = mkdtempSync(join(dir, "mc-"));
  const defines = { ...(manifest.defines ?? {}), ...(block.defines ?? {}) };
  writeFileSync(join(gen, "mc.defines.h"), `/* generated like mcconfig's mc.defines.h */\n${mcDefines(defines).join("\n")}\n`);
  const checks = Object.entries(sizes).map(([k, v]) => `-DCI_STUB_IDF_SIZEOF_${k}=${v}`);
  return gcc(["-fsyntax-only", "-DESP32=1", ...checks, ...moddableIncludes(manifest, block), `-I${gen}`, engine]);
}

test("the manifest builds the engine on ESP32 with the config chain ESP-IDF 6.0 builds Mbed TLS 4 with", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "coaps-idf-chain-"));
  try {
    const sizes = await idfReferenceSizes(dir);
    const builds = esp32EngineBuilds();
    t.true(builds.length >= 1, "some ESP32 platform block compiles native/xs_dtls_engine.c");
    for (const { platform, block } of builds) t.is(await compileLikeMcconfig(dir, block, sizes), "", platform);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The first ESP32 block, with `change` applied to a deep copy. */
function mutated(change: (b: PlatformBlock) => void): PlatformBlock {
  const block = JSON.parse(JSON.stringify(esp32EngineBuilds()[0]!.block)) as PlatformBlock;
  change(block);
  return block;
}

const mbedtlsDefines = (b: PlatformBlock) => b.defines!["mbedtls"] as Record<string, unknown>;
const withoutFolder = (b: PlatformBlock, folder: string) => {
  b.modules!["*"] = (b.modules!["*"] as string[]).filter((s) => !s.includes(folder));
};

test("the check fails when the crypto half of the chain misses ESP's user config (TLS config only)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "coaps-idf-chain-"));
  try {
    const block = mutated((b) => { delete mbedtlsDefines(b)["tf_psa_crypto_user_config_file"]; });
    t.regex(await compileLikeMcconfig(dir, block, await idfReferenceSizes(dir)), /mbedtls_ssl_context_layout_differs_from_the_library_built_by_esp_idf/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the check fails when ESP's PSA driver headers are not on the include path", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "coaps-idf-chain-"));
  try {
    const block = mutated((b) => withoutFolder(b, "port/psa_driver/include"));
    t.regex(await compileLikeMcconfig(dir, block, await idfReferenceSizes(dir)), /psa_crypto_driver_esp_sha_contexts\.h: No such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the check fails without MBEDTLS_CONFIG_FILE (Mbed TLS's default TLS options)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "coaps-idf-chain-"));
  try {
    const block = mutated((b) => { delete mbedtlsDefines(b)["config_file"]; });
    t.regex(await compileLikeMcconfig(dir, block, await idfReferenceSizes(dir)), /_layout_differs_from_the_library_built_by_esp_idf/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the check fails when the wrapper maps the user config to TF_PSA_CRYPTO_CONFIG_FILE (replacing psa/crypto_config.h)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "coaps-idf-chain-"));
  try {
    const wrapper = readFileSync(join(native, "xs_dtls_engine.c"), "utf8");
    t.true(wrapper.includes("define TF_PSA_CRYPTO_USER_CONFIG_FILE"));
    const wrong = join(dir, "xs_dtls_engine.c"); // finds the engine's files through -I native/
    writeFileSync(wrong, wrapper.replace(/\bTF_PSA_CRYPTO_USER_CONFIG_FILE\b/g, "TF_PSA_CRYPTO_CONFIG_FILE"));
    const block = esp32EngineBuilds()[0]!.block;
    t.regex(await compileLikeMcconfig(dir, block, await idfReferenceSizes(dir), wrong), /mbedtls_pk_context_layout_differs_from_the_library_built_by_esp_idf/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
