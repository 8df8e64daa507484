// scripts/setup.sh in a checkout whose node_modules is a symlink to a shared install (a git
// worktree or clone set up with `ln -s <main>/node_modules`): a fresh checkout's lockfile is
// always newer than the install, and `npm ci` through the link would empty the shared
// directory that every other checkout uses. setup.sh must leave it alone.
import test from "ava";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../", import.meta.url).pathname;

test("setup.sh does not run npm ci through a symlinked node_modules, even with a newer lockfile", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "setup-link-"));
  try {
    const shared = join(dir, "shared-node_modules");
    mkdirSync(shared);
    writeFileSync(join(shared, ".package-lock.json"), "{}");
    writeFileSync(join(shared, "marker"), "other checkouts use this");
    const old = new Date(Date.now() - 3600_000);
    utimesSync(join(shared, ".package-lock.json"), old, old);
    const checkout = join(dir, "checkout");
    mkdirSync(join(checkout, "scripts"), { recursive: true });
    copyFileSync(join(root, "scripts/setup.sh"), join(checkout, "scripts/setup.sh"));
    writeFileSync(join(checkout, "package-lock.json"), "{}"); // newer than the shared install
    symlinkSync(shared, join(checkout, "node_modules"));
    // A stand-in npm that records being called (and would empty the install like npm ci).
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "npm"), `#!/bin/sh\necho "$@" > "${join(dir, "npm-called")}"\nrm -rf node_modules/* node_modules/.package-lock.json\n`);
    chmodSync(join(bin, "npm"), 0o755);
    // Every Debian package is installed here (this suite needs them all), so no apt-get runs.
    const r = spawnSync("bash", [join(checkout, "scripts/setup.sh")], { encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    t.is(r.status, 0, r.stderr);
    t.false(existsSync(join(dir, "npm-called")), "npm was not run");
    t.true(existsSync(join(shared, "marker")), "the shared install is intact");
    t.regex(r.stdout + r.stderr, /node_modules is a symlink/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
