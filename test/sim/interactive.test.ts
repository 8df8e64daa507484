// Drives `npm start` in tmux sessions, as a person would in terminals.
import test from "ava";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createSocket } from "node:dgram";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = fileURLToPath(new URL("../..", import.meta.url));
// node --import tsx is one process per node; the tsx CLI would add a second.
const NODE_TSX = [process.execPath, "--import", "tsx"];
const ECHO = "test/sim/fixtures/echo-firmware.ts";
const BASE = 46100 + (process.pid % 50) * 40;

function tmux(...args: string[]): string {
  const r = spawnSync("tmux", args, { encoding: "utf8", cwd: root });
  if (r.status !== 0) throw new Error(`tmux ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** Starts `main.ts <args>` in a detached tmux session; the pane says EXITED <code> when it ends. */
function start(session: string, args: string): void {
  tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "40", `${NODE_TSX.join(" ")} host-sim/main.ts ${args}; echo EXITED $?; sleep 60`);
}

/** The visible screen; tmux drops trailing spaces, so the pending prompt `> ` shows as `>`. */
function screen(session: string): string {
  return tmux("capture-pane", "-p", "-t", session).replace(/[ \t]+$/gm, "");
}

async function waitScreen(session: string, re: RegExp, ms = 15_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const s = screen(session);
    if (re.test(s)) return s;
    if (Date.now() > end) throw new Error(`tmux ${session}: no ${re} on screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function keys(session: string, ...k: string[]): void {
  tmux("send-keys", "-t", session, ...k);
}

function kill(session: string): void {
  spawnSync("tmux", ["kill-session", "-t", session]);
}

test("a terminal node shows the prompt, echoes typing and prints a coaps command's result", async (t) => {
  const s = `sim-int-${process.pid}-a`;
  start(s, `1 --base-port ${BASE}`);
  try {
    await waitScreen(s, /^>$/m);
    keys(s, "coaps isclosex", "BSpace", "d", "Enter");
    const shown = await waitScreen(s, /Done\n>$/m);
    t.regex(shown, /=== node 1 \(fdde:ad00:beef:0:0:0:0:1\) ===\n> coaps isclosed\nyes\nDone\n>$/m);
    keys(s, "C-c");
    t.regex(await waitScreen(s, /EXITED/), /EXITED 0/);
  } finally {
    kill(s);
  }
});

test("nodes in two terminals reach each other by simulated address over the loopback bridge", async (t) => {
  const a = `sim-int-${process.pid}-b1`, b = `sim-int-${process.pid}-b2`;
  start(a, `3 --base-port ${BASE} --firmware ${ECHO}`);
  start(b, `4 --base-port ${BASE} --firmware ${ECHO}`);
  try {
    await waitScreen(a, /^>$/m);
    await waitScreen(b, /^>$/m);
    keys(a, "udp open 5684", "Enter");
    await waitScreen(a, /Done/);
    keys(b, "udp open 9", "Enter", "udp send fdde:ad00:beef::3 5684 hi from four", "Enter");
    await waitScreen(a, /udp from fdde:ad00:beef:0:0:0:0:4 9: hi from four/);
    keys(a, "udp send fdde:ad00:beef:0:0:0:0:4 9 back", "Enter");
    await waitScreen(b, /udp from fdde:ad00:beef:0:0:0:0:3 5684: back/);
    // The same node id again: one clear message, exit code 1, nothing left running.
    const r = spawnSync(NODE_TSX[0]!, [...NODE_TSX.slice(1), "host-sim/main.ts", "3", "--base-port", String(BASE), "--firmware", ECHO], { cwd: root, encoding: "utf8", input: "", timeout: 20_000 });
    t.is(r.status, 1);
    t.is(r.stderr.trim(), `moddable-coaps simulator: node 3 is already running in another terminal (127.0.0.1:${BASE + 3} is in use)`);
    // Closing the terminal ends the node (SIGHUP) and frees its port for a new run.
    kill(a);
    await new Promise((r2) => setTimeout(r2, 500));
    start(a, `3 --base-port ${BASE} --firmware ${ECHO}`);
    await waitScreen(a, /^>$/m);
  } finally {
    kill(a); kill(b);
  }
});

test("the two-node session switches consoles with Ctrl-T and labels the other node's lines", async (t) => {
  const s = `sim-int-${process.pid}-c`;
  start(s, `--firmware ${ECHO}`);
  try {
    await waitScreen(s, /=== node 1 .*\n>$/m);
    t.regex(screen(s), /Ctrl-T switches between the two consoles/);
    keys(s, "udp open 5", "Enter");
    await waitScreen(s, /Done\n>$/m);
    keys(s, "C-t");
    await waitScreen(s, /=== node 2 \(fdde:ad00:beef:0:0:0:0:2\) ===\n>$/m);
    keys(s, "udp open 6", "Enter", "udp send fdde:ad00:beef::1 5 ping", "Enter");
    t.regex(await waitScreen(s, /\[node 1\]/), /\[node 1\] udp from fdde:ad00:beef:0:0:0:0:2 6: ping\n>$/m);
  } finally {
    kill(s);
  }
});

test("switching back to a node shows its half-typed line, also after an asynchronous line scrolled its echo away", async (t) => {
  const s = `sim-int-${process.pid}-h`;
  start(s, `--firmware ${ECHO}`);
  try {
    await waitScreen(s, /=== node 1 .*\n>$/m);
    keys(s, "udp open 5", "Enter");
    await waitScreen(s, /Done\n>$/m);
    keys(s, "udp se");
    await waitScreen(s, /^> udp se$/m);
    keys(s, "C-t");
    await waitScreen(s, /=== node 2 .*\n>$/m);
    // Node 1 prints an asynchronous line right after its partial echo (spec §1.1).
    keys(s, "udp open 6", "Enter", "udp send fdde:ad00:beef::1 5 ping", "Enter");
    await waitScreen(s, /\[node 1\] udp from fdde:ad00:beef:0:0:0:0:2 6: ping\n>$/m);
    keys(s, "C-t");
    t.regex(await waitScreen(s, /=== node 1 .*===\n.+$/m), /=== node 1 \(fdde:ad00:beef:0:0:0:0:1\) ===\nudp se$/m);
    keys(s, "nd", "C-t", "C-t");
    await waitScreen(s, /=== node 2 .*\n>\n=== node 1 .*\n.+$/m);
    t.regex(screen(s).trimEnd(), /=== node 1 \(fdde:ad00:beef:0:0:0:0:1\) ===\nudp send$/);
  } finally {
    kill(s);
  }
});

test("the banner names the DTLS library each engine's nodes really use", async (t) => {
  const node = `sim-int-${process.pid}-dn`, xs = `sim-int-${process.pid}-dx`, mixed = `sim-int-${process.pid}-dm`;
  start(node, `7 --base-port ${BASE} --firmware ${ECHO}`);
  start(xs, `8 --base-port ${BASE} --firmware ${ECHO} --engine xs`);
  start(mixed, `--firmware ${ECHO} --engine 2=xs`);
  try {
    const dtls = async (s: string) => /^DTLS: .*$/m.exec(await waitScreen(s, /^DTLS: .*\n(.|\n)*>$/m, 60_000))![0];
    t.regex(await dtls(node), /^DTLS: Mbed TLS \d+\.\d+\.\d+ \(N-API addon\)\.$/);
    // xsnap has no mbedTLS linked in: XS nodes drive the host's engines through the proxy.
    t.regex(await dtls(xs), /^DTLS: Mbed TLS \d+\.\d+\.\d+ \(host N-API addon, used by XS through the xsnap proxy\)\.$/);
    t.regex(await dtls(mixed), /^DTLS: Mbed TLS \d+\.\d+\.\d+ \(N-API addon; XS node 2 uses it through the xsnap proxy\)\.$/);
  } finally {
    kill(node); kill(xs); kill(mixed);
  }
});

function run(...args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(NODE_TSX[0]!, [...NODE_TSX.slice(1), "host-sim/main.ts", ...args], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on("close", (status) => { clearTimeout(timer); resolve({ status, stderr }); });
  });
}

test("bad command lines and a taken port give one clear message and a non-zero exit", async (t) => {
  const blocker = createSocket("udp4");
  await new Promise<void>((r) => blocker.bind(0, "127.0.0.1", () => r()));
  const blocked = blocker.address().port;
  const cases = [
    [["33"], `unknown node id "33": use 1-32`],
    [["two"], `unknown node id "two": use 1-32`],
    [["1", "2"], "one node id only (got 1 and 2)"],
    [["--real"], "--real needs a node id (npm start -- 1 --real)"],
    [["1", "--firmware", "test/sim/fixtures/missing.ts"], "cannot load firmware test/sim/fixtures/missing.ts"],
    [["1", "--real", "--msc", "x.svg"], "--msc and --html chart the simulated network, not --real sockets"],
    [["--html"], "--html needs a file"],
    [["1", "--real", "--port-offset", String(blocked - 5684)], `port ${blocked} in use on loopback (another program has it; pick another with --port-offset)`],
  ] as const;
  let results;
  try {
    results = await Promise.all(cases.map(([args]) => run(...args)));
  } finally {
    blocker.close();
  }
  for (const [i, [args, message]] of cases.entries()) {
    const r = results[i]!;
    t.not(r.status, 0, args.join(" "));
    t.is(r.stderr.trim().split("\n").length, 1, r.stderr);
    t.true(r.stderr.startsWith(`moddable-coaps simulator: ${message}`), r.stderr);
  }
});

const labelsOf = (svg: string) => [...svg.matchAll(/<text class="label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

test("the two-node session writes its message sequence chart and HTML view when it ends", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sim-int-msc-"));
  const s = `sim-int-${process.pid}-m`;
  start(s, `--msc ${dir}/run.svg --html ${dir}/run.html`);
  try {
    await waitScreen(s, /=== node 1 .*\n>$/m);
    t.regex(screen(s), /Message sequence chart: .*run\.svg and .*run\.html, written when you quit\./);
    for (const line of ["coaps psk k id", "coaps start", "coaps resource r"]) {
      keys(s, line, "Enter");
      await waitScreen(s, new RegExp(`${line}\\nDone\\n>$`, "m"));
    }
    keys(s, "C-t");
    await waitScreen(s, /=== node 2 .*\n>$/m);
    keys(s, "coaps psk k iz", "BSpace", "d", "Enter", "coaps start", "Enter", "coaps connect fdde:ad00:beef::1", "Enter");
    await waitScreen(s, /^> coaps connected$/m);
    keys(s, "coaps get r", "Enter");
    await waitScreen(s, /coaps response from fdde:ad00:beef:0:0:0:0:1 with payload: 30/);
    keys(s, "C-c");
    t.regex(await waitScreen(s, /EXITED/), /EXITED 0/);
    const svg = readFileSync(join(dir, "run.svg"), "utf8");
    const labels = labelsOf(svg);
    t.deepEqual(labels.slice(0, 6), ["ClientHello", "HelloVerifyRequest", "ClientHello", "ServerHello, ServerHelloDone",
      "ClientKeyExchange, ChangeCipherSpec, Finished", "ChangeCipherSpec, Finished"]);
    t.regex(labels[6]!, /^NON GET MID \d+ tok [0-9a-f]{4} \/r$/);
    t.regex(labels[7]!, /^ACK 2\.05 MID \d+ tok [0-9a-f]{4} · 1 B$/);
    // Typed lines, as completed with Enter (the backspace applied).
    const typed = [...svg.matchAll(/<g class="note"[^>]*data-node="(\d)"[^>]*data-kind="input"[^>]*>.*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => `${m[1]} ${m[2]}`);
    t.deepEqual(typed, ["1 &gt; coaps psk k id", "1 &gt; coaps start", "1 &gt; coaps resource r",
      "2 &gt; coaps psk k id", "2 &gt; coaps start", "2 &gt; coaps connect fdde:ad00:beef::1", "2 &gt; coaps get r"]);
    // The echo of a line (backspaces and all) is not drawn again as something the node printed.
    const printed = [...svg.matchAll(/<g class="note"[^>]*data-node="(\d)"[^>]*data-kind="output"[^>]*>.*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => `${m[1]} ${m[2]}`);
    t.deepEqual(printed, ["1 coaps connected", "2 coaps connected", "1 coaps request from fdde:ad00:beef:0:0:0:0:2 GET",
      "1 coaps response sent", "2 coaps response from fdde:ad00:beef:0:0:0:0:1 with payload: 30"]);
    const html = readFileSync(join(dir, "run.html"), "utf8");
    t.true(html.includes(svg.replace(/^<\?xml[^>]*>\n/, "")));
    t.regex(html, /<section class="console" data-node="2">.*<pre>&gt; coaps psk k id\nDone\n/s);
  } finally {
    kill(s);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a terminal node's chart shows what it forwarded over the bridge and what came back", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sim-int-msc-"));
  const a = `sim-int-${process.pid}-ma`, b = `sim-int-${process.pid}-mb`;
  start(a, `5 --base-port ${BASE} --firmware ${ECHO} --msc ${dir}/five.svg`);
  start(b, `6 --base-port ${BASE} --firmware ${ECHO}`);
  try {
    await waitScreen(a, /^>$/m);
    await waitScreen(b, /^>$/m);
    keys(b, "udp open 9", "Enter");
    await waitScreen(b, /Done\n>$/m);
    keys(a, "udp open 7", "Enter", "udp send fdde:ad00:beef::6 9 out", "Enter");
    await waitScreen(b, /udp from fdde:ad00:beef:0:0:0:0:5 7: out/);
    keys(b, "udp send fdde:ad00:beef::5 7 back", "Enter");
    await waitScreen(a, /udp from fdde:ad00:beef:0:0:0:0:6 9: back/);
    keys(a, "C-c");
    t.regex(await waitScreen(a, /EXITED/), /EXITED 0/);
    const svg = readFileSync(join(dir, "five.svg"), "utf8");
    const arrows = [...svg.matchAll(/<g class="msg" data-from="(\d+)" data-to="(\d+)"[^>]*data-outcome="([a-z-]+)"/g)].map((m) => `${m[1]}>${m[2]} ${m[3]}`);
    t.deepEqual(arrows, ["5>6 forwarded", "6>5 delivered"]);
    t.deepEqual(labelsOf(svg), ["UDP 3 B", "UDP 4 B"]);
    t.is((svg.match(/<g class="lifeline"/g) ?? []).length, 2);
  } finally {
    kill(a); kill(b);
    rmSync(dir, { recursive: true, force: true });
  }
});
