// Engine contracts from native/dtls_engine.h that a review found broken, checked in C under
// valgrind (test/dtls/c/engine_defects.c, one mode per contract).
import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineSources } from "../../host-sim/engine-sources.js";

const root = new URL("../../", import.meta.url).pathname;
let exe = "";
let dir = "";
let buildError = "";

test.before(() => {
  dir = mkdtempSync(join(tmpdir(), "dtls-defects-"));
  exe = join(dir, "engine_defects");
  const cc = spawnSync("gcc", ["-std=c99", "-Wall", "-Wextra", "-Werror", "-O1", "-g", `-I${root}native`,
    `${root}test/dtls/c/engine_defects.c`, ...engineSources(), "-lmbedtls", "-lmbedx509", "-lmbedcrypto", "-o", exe],
  { encoding: "utf8" });
  if (cc.status !== 0) buildError = cc.stderr;
});

test.after.always(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function check(t: import("ava").ExecutionContext, mode: string, ...files: string[]): void {
  t.is(buildError, "", "the driver builds warning-free");
  if (buildError) return;
  const r = spawnSync("valgrind", ["-q", "--leak-check=full", "--errors-for-leak-kinds=definite", "--error-exitcode=9", exe, mode, ...files],
    { encoding: "utf8", timeout: 120_000 });
  t.is(r.stderr, "", "valgrind reports nothing");
  t.is(r.stdout.trim(), `ok ${mode}`);
  t.is(r.status, 0);
}

test("a connected server discards a datagram whose second record is an epoch-0 ClientHello (a junk record in front does not smuggle it in)", (t) => {
  check(t, "reconnect");
});

test("create refuses a certificate paired with another private key as InvalidInput", (t) => {
  check(t, "mismatch", `${root}native/credentials/leaf.pem`, `${root}test/dtls/fixtures/rogue-leaf-key.pem`, `${root}native/credentials/ca.pem`);
});

test("a client's ClientHello is queued by create, with the first retransmission due 8 s later", (t) => {
  check(t, "hello-at-create");
});

test("feed with a full read queue returns QueueFull and keeps nothing, so every datagram it accepts is read back in order", (t) => {
  check(t, "rx-full");
});

test("write with a full send queue returns QueueFull, so every write that returns None has its datagram queued", (t) => {
  check(t, "tx-full");
});

test("close with no room for close_notify still closes but reports QueueFull in error(); with room it queues the alert", (t) => {
  check(t, "close-full");
});

test("an x509 ClientHello from forged ids gets only HelloVerifyRequests from a PSK server; the real peer's cookie-bearing hello fails both sides with handshake_failure", (t) => {
  check(t, "forged-hello", `${root}native/credentials/leaf.pem`, `${root}native/credentials/leaf-key.pem`, `${root}native/credentials/ca.pem`);
});
