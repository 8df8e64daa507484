import test from "ava";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

test("the device entry and every board variant type-check as mcconfig compiles them, against our own Moddable declarations", (t) => {
  const r = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "test/device/tsconfig.device.json", "--listFiles"], {
    cwd: root,
    encoding: "utf8",
  });
  const lines = r.stdout.split("\n").map((f) => f.replace(/\\/g, "/"));
  const errors = lines.filter((l) => l.includes("error TS"));
  t.is(r.status, 0, errors.join("\n") + r.stderr);
  // The check covered the device graph (not an empty program) and no Node types leaked in.
  for (const want of ["src/main.ts", "src/app.ts", "src/platform/moddable/board-nrf52.ts", "src/platform/moddable/dtls-native.ts",
    "src/platform/moddable/udp6.ts", "src/platform/moddable/sdk.d.ts"]) {
    t.true(lines.some((f) => f.endsWith(want)), `${want} not in the device type-check`);
  }
  t.false(lines.some((f) => f.includes("/@types/node/")), "Node types leaked into the device graph");
});

/** Runs tsc on one of test/device's configs; returns the files it read and its errors. */
function tsc(config: string): { status: number | null; files: string[]; errors: string } {
  const r = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", config, "--listFiles"], { cwd: root, encoding: "utf8" });
  const lines = r.stdout.split("\n").map((f) => f.replace(/\\/g, "/"));
  return { status: r.status, files: lines, errors: lines.filter((l) => l.includes("error TS")).join("\n") + r.stderr };
}

test("our declarations of the Moddable modules agree with the SDK's published ones (@moddable/typings)", (t) => {
  const r = tsc("test/device/tsconfig.sdk-typings.json");
  t.is(r.status, 0, r.errors);
  for (const want of ["@moddable/typings/embedded_io/serial.d.ts", "@moddable/typings/embedded_io/socket/udp.d.ts",
    "@moddable/typings/timer.d.ts", "@moddable/typings/wifi.d.ts", "src/platform/moddable/sdk.d.ts",
    "src/platform/moddable/sdk-udp.d.ts", "src/platform/moddable/sdk-wifi.d.ts", "test/device/sdk-conformance.ts"]) {
    t.true(r.files.some((f) => f.endsWith(want)), `${want} not in the check`);
  }
});

test("the device graph also type-checks with the SDK's global declarations present, as under mcconfig", (t) => {
  const r = tsc("test/device/tsconfig.device-sdk.json");
  t.is(r.status, 0, r.errors);
  t.true(r.files.some((f) => f.endsWith("@moddable/typings/xs.d.ts")));
  t.true(r.files.some((f) => f.endsWith("src/main.ts")));
});
