// Third-party peers for interop tests: started per test, stopped by PID (also on failure).
import { spawn, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Peer {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  output(): Buffer;
  waitFor(re: RegExp | string, ms?: number): Promise<void>;
  write(data: Uint8Array | string): void;
  stop(): void;
}

export function startPeer(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Peer {
  const proc = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  const out: Buffer[] = [];
  let err = "";
  let waiters: (() => void)[] = [];
  const wake = () => { const w = waiters; waiters = []; w.forEach((f) => f()); };
  proc.stdout!.on("data", (d: Buffer) => { out.push(d); wake(); });
  proc.stderr!.on("data", (d: Buffer) => { err += d.toString("latin1"); wake(); });
  proc.on("exit", wake);
  proc.stdin!.on("error", () => {});
  const peer: Peer = {
    proc,
    output: () => Buffer.concat(out),
    stdout: () => Buffer.concat(out).toString("latin1"),
    stderr: () => err,
    waitFor(re, ms = 10_000) {
      const test = () => typeof re === "string" ? (peer.stdout() + err).includes(re) : re.test(peer.stdout() + err);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${cmd}: no ${re} within ${ms} ms\nstdout: ${peer.stdout().slice(-2000)}\nstderr: ${err.slice(-2000)}`)), ms);
        const check = () => {
          if (test()) { clearTimeout(timer); resolve(); return; }
          if (proc.exitCode !== null || proc.signalCode !== null) { clearTimeout(timer); reject(new Error(`${cmd} exited (${proc.exitCode ?? proc.signalCode})\nstdout: ${peer.stdout().slice(-2000)}\nstderr: ${err.slice(-2000)}`)); return; }
          waiters.push(check);
        };
        check();
      });
    },
    write(data) { proc.stdin!.write(data); },
    stop() {
      if (proc.pid !== undefined && proc.exitCode === null && proc.signalCode === null) {
        try { process.kill(proc.pid, "SIGTERM"); } catch { /* gone */ }
      }
    },
  };
  return peer;
}

/** A UDP port that was free a moment ago (and, if `pair`, port+1 too). */
export async function freePort(pair = false): Promise<number> {
  for (;;) {
    const s = dgram.createSocket("udp4");
    await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
    const p = s.address().port;
    s.close();
    if (!pair || p >= 65535) { if (!pair) return p; continue; }
    const s2 = dgram.createSocket("udp4");
    const ok = await new Promise<boolean>((r) => { s2.once("error", () => r(false)); s2.bind(p + 1, "127.0.0.1", () => r(true)); });
    s2.close();
    if (ok) return p;
  }
}

/** GnuTLS system-priority override that leaves only OpenThread's suites (interop-peers.md). */
export function gnutlsOpenThreadPriorityFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "gnutls-ot-"));
  const ciphers = ["AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305", "AES-128-CBC", "AES-256-CBC", "AES-128-CCM",
    "AES-256-CCM", "AES-256-CCM-8", "CAMELLIA-128-CBC", "CAMELLIA-256-CBC", "CAMELLIA-128-GCM", "CAMELLIA-256-GCM", "3DES-CBC"];
  const kx = ["ECDHE-PSK", "DHE-PSK", "RSA-PSK", "DHE-RSA", "ECDHE-RSA", "RSA"];
  const file = join(dir, "priority.conf");
  writeFileSync(file, ["[overrides]", ...ciphers.map((c) => `tls-disabled-cipher = ${c}`), ...kx.map((k) => `tls-disabled-kx = ${k}`), ""].join("\n"));
  return file;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
