import test from "ava";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = (project: string) =>
  spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", project, "--noEmit"], { cwd: root, encoding: "utf8" });

test("firmware type-checks strictly against ES2022 with no Node or DOM types", (t) => {
  const r = tsc("tsconfig.json");
  t.is(r.status, 0, r.stdout + r.stderr);
});

test("host side (host-sim, test, bench) type-checks strictly", (t) => {
  const r = tsc("tsconfig.node.json");
  t.is(r.status, 0, r.stdout + r.stderr);
});
