// Helpers for interop over real loopback sockets: a simulated node bound to a real UDP port
// (the simulator's real-socket mode, real-time clock) and third-party peers started and stopped by PID.
import { spawn, type ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSim, type Sim } from "../../host-sim/harness.js";
import { openRealUdp, type RealUdp } from "../../host-sim/real-udp.js";
import type { ScriptedConsole } from "../../host-sim/console.js";
import { loadDtlsBinding } from "../../host-sim/dtls-loader.js";
import type { DtlsBinding } from "../../src/platform/dtls-binding.js";
import { waitForUdpPort } from "../helpers/udp-ready.js";

export async function freeUdpPort(): Promise<number> {
  const s = createSocket({ type: "udp6", ipv6Only: false });
  await new Promise<void>((r) => s.bind(0, "::", () => r()));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

export interface RealNode {
  sim: Sim; udp: RealUdp; console: ScriptedConsole; port: number;
  /** The cipher suites the node's DTLS sessions negotiated, in order. */
  suites: number[];
  close(): void;
}

// Notes each nonzero suite an engine reports: DtlsSession asks its engine once, on connecting.
function suiteRecorder(inner: DtlsBinding, suites: number[]): DtlsBinding {
  return {
    createEngine: (now, options) => {
      const engine = inner.createEngine(now, options);
      const ask = engine.cipherSuite.bind(engine);
      engine.cipherSuite = () => { const s = ask(); if (s !== 0) suites.push(s); return s; };
      return engine;
    },
  };
}

/** One simulated node whose `coaps start` binds real UDP `port` on ::1 and 127.0.0.1. */
export async function realNode(): Promise<RealNode> {
  const port = await freeUdpPort();
  let udp: RealUdp | undefined;
  const suites: number[] = [];
  const sim = await createSim({ seed: 11, realTime: true, udpFor: () => udp!.udp, dtls: suiteRecorder(await loadDtlsBinding(), suites) });
  udp = await openRealUdp({ reserve: [5684], portMap: (p) => (p === 5684 ? port : p), inject: (fn) => sim.realTime!.inject(fn) });
  const console = sim.addNode(1).console;
  return { sim, udp, console, port, suites, close: () => { sim.close(); udp!.close(); } };
}

/** Types a line and waits for its result line. */
export async function command(con: ScriptedConsole, line: string): Promise<void> {
  con.send(line);
  await con.waitFor(/(Done|Error \d+: \w+)\r\n/, 2000);
}

export interface Peer { proc: ChildProcess; output(): string; exited: Promise<number | null>; stop(): void }

/** Starts a peer; its stdout and stderr are collected; stop() kills it by PID. */
export function startPeer(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Peer {
  const proc = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let out = "";
  proc.stdout!.on("data", (d: Buffer) => { out += d.toString("latin1"); });
  proc.stderr!.on("data", (d: Buffer) => { out += d.toString("latin1"); });
  const exited = new Promise<number | null>((r) => proc.on("exit", (code) => r(code)));
  return {
    proc, output: () => out, exited,
    stop: () => { if (proc.exitCode === null && proc.pid !== undefined) { try { process.kill(proc.pid, "SIGTERM"); } catch { /* gone */ } } },
  };
}

/** libcoap's coap-server-openssl on ::1 with PSK `secretPSK`, once it serves CoAPS on `port`. */
export async function startCoapsServer(): Promise<Peer & { readonly port: number }> {
  const plain = await freeUdpPort(); // coap-server serves CoAPS on plain + 1
  const server = startPeer("coap-server-openssl", ["-A", "::1", "-p", String(plain), "-k", "secretPSK"]);
  try {
    await waitForUdpPort(plain + 1, { pid: server.proc.pid!, exited: () => server.proc.exitCode !== null, withinMs: 5000 });
  } catch (e) {
    server.stop();
    throw e;
  }
  return { ...server, port: plain + 1 };
}

/** A node's console connects to startCoapsServer()'s server and waits for `coaps connected`. */
export async function connectToCoapsServer(con: ScriptedConsole, port: number): Promise<void> {
  for (const line of ["coaps psk secretPSK id", "coaps start", `coaps connect ::1 ${port}`]) await command(con, line);
  await con.waitFor("coaps connected\r\n", 5000);
}

/** Waits for a peer to exit, killing it after `ms`. */
export async function finished(peer: Peer, ms: number): Promise<string> {
  const timer = setTimeout(() => peer.stop(), ms);
  await peer.exited;
  clearTimeout(timer);
  return peer.output();
}

/** A GnuTLS priority override that leaves only OpenThread's suites (interop-peers.md). */
export function gnutlsOnlyCcm8(): string {
  const dir = mkdtempSync(join(tmpdir(), "coaps-gnutls-"));
  const file = join(dir, "priority.conf");
  const ciphers = ["AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305", "AES-128-CBC", "AES-256-CBC", "AES-128-CCM",
    "AES-256-CCM", "AES-256-CCM-8", "CAMELLIA-128-CBC", "CAMELLIA-256-CBC", "CAMELLIA-128-GCM", "CAMELLIA-256-GCM", "3DES-CBC"];
  const kx = ["ECDHE-PSK", "DHE-PSK", "RSA-PSK", "DHE-RSA", "ECDHE-RSA", "RSA"];
  writeFileSync(file, ["[overrides]", ...ciphers.map((c) => `tls-disabled-cipher = ${c}`), ...kx.map((k) => `tls-disabled-kx = ${k}`), ""].join("\n"));
  return file;
}

export const hexOf = (text: string): string => Buffer.from(text, "latin1").toString("hex");
