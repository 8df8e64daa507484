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
