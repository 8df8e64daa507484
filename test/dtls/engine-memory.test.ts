// The C engine under valgrind: 1,000 PSK create/handshake/data/close/free cycles (plus a few
// certificate-mode cycles, which are slow under valgrind) with zero leaks and zero errors, and
// no heap allocation per application record.
import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineSources } from "../../host-sim/engine-sources.js";

const root = new URL("../../", import.meta.url).pathname;

function build(t: import("ava").ExecutionContext, dir: string, defines: string[] = []): string {
  const exe = join(dir, "engine_cycles");
  const cc = spawnSync("gcc", ["-std=c99", "-Wall", "-Wextra", "-Werror", "-O1", "-g", ...defines, `-I${root}native`,
    `${root}test/dtls/c/engine_cycles.c`, ...engineSources(), "-lmbedtls", "-lmbedx509", "-lmbedcrypto", "-o", exe],
    { encoding: "utf8" });
  t.is(cc.status, 0, cc.stderr);
  return exe;
}

test("a connected session allocates nothing per record: heap allocations are the same for 0 and 2,000 records", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "dtls-alloc-"));
  try {
    const exe = build(t, dir);
    const allocs = (n: number): number => {
      const r = spawnSync("valgrind", [exe, "records", String(n)], { encoding: "utf8" });
      t.is(r.status, 0, r.stderr);
      const m = /total heap usage: ([\d,]+) allocs/.exec(r.stderr);
      if (!m) throw new Error(`no heap summary:\n${r.stderr}`);
      return Number(m[1]!.replace(/,/g, ""));
    };
    const none = allocs(0);
    t.true(none > 0);
    t.is(allocs(2000), none);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("1,000 engine cycles run clean under valgrind --leak-check=full", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "dtls-mem-"));
  try {
    const exe = build(t, dir);
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

test("a device-sized build with small queues still handshakes in both modes and carries records", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "dtls-small-"));
  try {
    const exe = build(t, dir, ["-DDTLS_ENGINE_RX_QUEUE_BYTES=1200", "-DDTLS_ENGINE_TX_QUEUE_BYTES=3000"]);
    const creds = ["leaf.pem", "leaf-key.pem", "ca.pem"].map((f) => `${root}native/credentials/${f}`);
    const cycles = spawnSync(exe, ["20", "2", ...creds], { encoding: "utf8" });
    t.is(cycles.status, 0, cycles.stderr);
    const records = spawnSync(exe, ["records", "500"], { encoding: "utf8" });
    t.is(records.status, 0, records.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
