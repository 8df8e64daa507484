// The C engine under valgrind: 1,000 PSK create/handshake/data/close/free cycles (plus a few
// certificate-mode cycles, which are slow under valgrind) with zero leaks and zero errors.
import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;

test("1,000 engine cycles run clean under valgrind --leak-check=full", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "dtls-mem-"));
  try {
    const exe = join(dir, "engine_cycles");
    const cc = spawnSync("gcc", ["-std=c99", "-Wall", "-Wextra", "-Werror", "-O1", "-g", `-I${root}native`,
      `${root}test/dtls/c/engine_cycles.c`, `${root}native/dtls_engine.c`, "-lmbedtls", "-lmbedx509", "-lmbedcrypto", "-o", exe],
      { encoding: "utf8" });
    t.is(cc.status, 0, cc.stderr);
    const creds = ["leaf.pem", "leaf-key.pem", "ca.pem"].map((f) => `${root}native/credentials/${f}`);
    const run = spawnSync("valgrind", ["-q", "--leak-check=full", "--show-leak-kinds=all", "--errors-for-leak-kinds=all",
      "--error-exitcode=1", exe, "1000", "10", ...creds], { encoding: "utf8" });
    t.is(run.stderr, "", "valgrind reports nothing");
    t.is(run.status, 0);
    t.is(run.stdout.trim(), "ok 1000 psk cycles + x509 cycles");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
