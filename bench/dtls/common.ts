// Shared by the DTLS benchmarks: coap-server-openssl as the peer, and the C reference client
// (bench/dtls/c/ref_client.c over the same engine) compiled fresh for each run.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, sleep } from "../net.js";
import { engineSources } from "../../host-sim/engine-sources.js";

const root = new URL("../../", import.meta.url).pathname;

export function buildReference(): string {
  const exe = join(mkdtempSync(join(tmpdir(), "dtls-bench-")), "ref_client");
  const r = spawnSync("gcc", ["-std=c99", "-O2", "-Wall", "-Wextra", `-I${root}native`, `${root}bench/dtls/c/ref_client.c`,
    ...engineSources(), "-lmbedtls", "-lmbedx509", "-lmbedcrypto", "-o", exe], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`building the C reference failed:\n${r.stderr}`);
  return exe;
}

export function runReference(exe: string, mode: "handshake" | "gets", port: number, count: number): number {
  const r = spawnSync(exe, [mode, String(port), String(count)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ref_client ${mode} failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/** coap-server-openssl with PSK secretPSK and no identity hint (node-coap-client needs that). Returns the DTLS port. */
export async function startCoapServer(): Promise<{ port: number; stop(): void }> {
  const p = await freePort(true);
  const proc: ChildProcess = spawn("coap-server-openssl", ["-A", "127.0.0.1", "-p", String(p), "-k", "secretPSK", "-h", ""], { stdio: "ignore" });
  const stop = () => { if (proc.pid && proc.exitCode === null) process.kill(proc.pid, "SIGTERM"); };
  if (!(await answersPlainCoap(p))) {
    stop();
    throw new Error("coap-server-openssl did not start");
  }
  return { port: p + 1, stop };
}

// Ready when its plain-CoAP port answers a GET (a loaded machine can take a while to start it).
async function answersPlainCoap(port: number): Promise<boolean> {
  const s = dgram.createSocket("udp4");
  let answered = false;
  s.on("message", () => { answered = true; });
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
  for (let i = 0; i < 100 && !answered; i++) {
    s.send(Uint8Array.of(0x50, 0x01, 0x12, i, 0xb4, 0x74, 0x69, 0x6d, 0x65), port, "127.0.0.1"); // NON GET /time
    await sleep(100);
  }
  s.close();
  return answered;
}

/** The same CON GET /time over plain CoAP (no DTLS) to the server's CoAP port, one datagram each
 * way through Node's dgram: the I/O floor the DTLS figures are read against. */
export async function openPlainCoap(dtlsPort: number): Promise<{ get(messageId: number): Promise<void>; close(): void }> {
  const s = dgram.createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
  await new Promise<void>((r) => s.connect(dtlsPort - 1, "127.0.0.1", r));
  let wake: (() => void) | undefined;
  s.on("message", () => wake?.());
  const req = Uint8Array.of(0x42, 0x01, 0, 0, 0xbe, 0xef, 0xb4, 0x74, 0x69, 0x6d, 0x65);
  return {
    get: (messageId) => {
      req[2] = (messageId >> 8) & 0xff;
      req[3] = messageId & 0xff;
      return new Promise<void>((r) => { wake = r; s.send(req); });
    },
    close: () => s.close(),
  };
}

/** npm node-coap-client, installed on demand into .tmp/bench-deps (not a dependency: its
 * optional platform packages break `npm ci` here). */
export interface NodeCoapClient {
  setSecurityParams(host: string, params: { psk: Record<string, string> }): void;
  request(url: string, method: "get"): Promise<{ code: { toString(): string } }>;
  reset(): void;
}

export async function loadNodeCoapClient(): Promise<NodeCoapClient> {
  const dir = join(root, ".tmp", "bench-deps");
  const entry = join(dir, "node_modules", "node-coap-client", "build", "CoapClient.js");
  if (!existsSync(entry)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), '{ "private": true }\n');
    const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--omit=optional", "--no-package-lock", "node-coap-client@2.1.0"],
      { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`installing node-coap-client failed:\n${r.stderr}`);
  }
  const mod = (await import(pathToFileURL(entry).href)) as { CoapClient?: NodeCoapClient; default?: { CoapClient: NodeCoapClient } };
  const client = mod.CoapClient ?? mod.default?.CoapClient;
  if (!client) throw new Error("node-coap-client: no CoapClient export");
  return client;
}
