// Interactive sessions for `npm start`:
//   - two nodes in one terminal (no node id): node 1 and node 2 on one simulated network;
//     Ctrl-T switches which console you type into. Complete lines the other node prints show
//     up at once, labelled "[node 2]", and your half-typed line is redrawn after them.
//   - one node per terminal (`npm start -- <id>`): this terminal is node <id>'s UART; the other
//     nodes run in other terminals and are reached over the loopback bridge (bridge.ts).
//   - real-socket mode (`--real`): the node's UDP ports are real ports on ::1 and 127.0.0.1.
// Virtual time follows the wall clock in all three.
import { createSim, type Sim } from "./harness.js";
import { loadFirmware, starterFor as starterOf } from "./firmware.js";
import { attachTerminal, LineBound, type Terminal } from "./terminal.js";
import { openBridge, type Bridge } from "./bridge.js";
import { openRealUdp, type RealUdp } from "./real-udp.js";
import type { SimNode } from "./sim-node.js";
import type { LinkSettings } from "./sim-network.js";
import { writeFileSync } from "node:fs";
import { loadDtlsBinding } from "./dtls-loader.js";
import { MscRecorder } from "./msc/recorder.js";
import { renderHtml, renderSvg } from "./msc/render.js";

export interface InteractiveOptions {
  /** undefined = the two-node session. */
  readonly nodeId: number | undefined;
  readonly real: boolean;
  readonly portOffset: number;
  readonly basePort: number | undefined;
  readonly firmware: string | undefined;
  /** XS lane engine selection (host-sim/xs/engine-option.ts), undefined = Node. */
  readonly engine: string | undefined;
  readonly seed: number;
  readonly link: Partial<LinkSettings>;
  readonly pcap: string | undefined;
  readonly keyLog: string | undefined;
  /** Files for the message sequence chart (SVG) and the HTML view, written when the session ends. */
  readonly msc?: string | undefined;
  readonly html?: string | undefined;
  /** Diagnostic lines (e.g. why `coaps start` failed) on the node consoles too. */
  readonly verbose?: boolean;
}

// Styling only on a terminal, so piped output stays plain text.
const STYLE = process.stdout.isTTY === true;
const DIM = STYLE ? "\x1b[2m" : "", BOLD = STYLE ? "\x1b[1m" : "", RESET = STYLE ? "\x1b[0m" : "";
const CTRL_T = 0x14;

/** Text after the last line end: the prompt and whatever is half typed. */
function openLine(text: string): string {
  return text.slice(text.lastIndexOf("\n") + 1);
}

/** Receive buffer of the console's line discipline (spec §1.1): 639 characters. */
const LINE_BUFFER = 639;

/** The node's half-typed line after `bytes` are typed, as its line discipline keeps it (spec §1.1). */
function typedLine(line: string, bytes: Uint8Array): string {
  for (const b of bytes) {
    if (b === 0x0d || b === 0x0a) line = "";
    else if (b === 0x08 || b === 0x7f) line = line.slice(0, -1);
    else if (line.length < LINE_BUFFER) line += String.fromCharCode(b);
  }
  return line;
}

export async function runInteractive(o: InteractiveOptions): Promise<number> {
  // The XS lane is loaded only when asked for: a Node-only run never needs xsnap.
  const starterFor = o.engine === undefined
    ? undefined
    : await (await import("./xs/engine-option.js")).starterForEngines(o.engine, o.firmware);
  const main = starterFor ? undefined : await loadFirmware(o.firmware);
  let realUdp: RealUdp | undefined;
  let bridge: Bridge | undefined;
  let sim: Sim | undefined;
  let term: Terminal | undefined;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => { finish = resolve; });
  const chart = o.msc || o.html ? new MscRecorder(`npm start session (seed ${o.seed})`) : undefined;
  const writeChart = () => {
    if (!chart || !sim) return;
    const c = chart.chart();
    if (o.msc) writeFileSync(o.msc, renderSvg(c));
    if (o.html) writeFileSync(o.html, renderHtml(c));
  };
  const cleanup = () => {
    term?.release();
    try { writeChart(); } catch (error) { process.stderr.write(`moddable-coaps simulator: chart not written: ${(error as Error).message}\n`); }
    sim?.close();
    bridge?.close();
    realUdp?.close();
  };
  try {
    const capture = o.pcap ? { pcap: o.pcap, ...(o.keyLog ? { keyLog: o.keyLog } : {}) } : undefined;
    let inject: (fn: () => void) => void = () => undefined;
    if (o.real && o.nodeId !== undefined) {
      realUdp = await openRealUdp({
        reserve: [5684], portMap: (p) => p + o.portOffset, inject: (fn) => inject(fn),
        onError: (e) => term?.write(`\r\n[simulator] ${e.message}\r\n`),
      }).catch((error: Error) => {
        throw new Error(`${error.message} on loopback (another program has it; pick another with --port-offset)`);
      });
    }
    sim = await createSim({
      seed: o.seed, link: o.link, realTime: true,
      ...(main ? { firmware: starterOf(main) } : { firmware: "none" as const, starterFor: starterFor! }),
      ...(capture ? { capture } : {}),
      ...(realUdp ? { udpFor: () => realUdp!.udp } : {}),
      ...(chart ? { dtls: chart.wrapBinding(await loadDtlsBinding()) } : {}),
      ...(o.verbose ? { appOptions: { verbose: true } } : {}),
      onLog: (id, line) => term?.write(`\r\n[simulator] node ${id}: ${line}\r\n`),
    });
    chart?.attach(sim);
    const rt = sim.realTime!;
    inject = (fn) => rt.inject(fn);
    rt.onError = (error) => {
      term?.write(`\r\n[simulator] firmware error: ${(error as Error).stack ?? String(error)}\r\n`);
      finish(1);
    };
    if (o.nodeId !== undefined && !o.real) {
      bridge = await openBridge({ network: sim.network, nodeId: o.nodeId, inject, ...(o.basePort ? { basePort: o.basePort } : {}) });
    }
    const ids = o.nodeId === undefined ? [1, 2] : [o.nodeId];
    let focus = 0;
    const nodes: SimNode[] = [];
    // What each node's console shows after its last line end, as the terminal got it (bounded):
    // kept here so a redraw never rereads the node's whole transcript.
    const openLines = new Map<SimNode, string>();
    // Each node's half-typed line. A node does not redraw it after an asynchronous line (spec
    // §1.1), so its echo can scroll away; switching back to the node shows it again.
    const typed = new Map<SimNode, string>();
    let typing: SimNode | undefined; // the node whose keys are being delivered (its echo is no async line)
    term = attachTerminal({
      onInput: (bytes) => {
        const node = nodes[focus]; // the node in focus when the key was pressed
        if (!node) return;
        typed.set(node, typedLine(typed.get(node) ?? "", bytes));
        // inject runs the node's read and echo before it returns.
        typing = node;
        try { inject(() => node.wire.type(bytes)); } finally { typing = undefined; }
      },
      keys: ids.length > 1 ? new Map([[CTRL_T, () => switchTo((focus + 1) % nodes.length)]]) : new Map(),
      onEnd: () => finish(0),
    });
    const t = term;
    let screen = ""; // what the terminal shows on its current line
    const show = (text: string) => { t.write(text); screen = openLine(screen + text); };

    t.write(banner(o, ids, sim, realUdp, bridge, await dtlsLibrary(o.engine, ids)));
    const switchTo = (i: number) => {
      focus = i;
      const n = nodes[i]!;
      const where = realUdp ? "real sockets on loopback" : n.address;
      show(`${screen === "" ? "" : "\r\n"}${BOLD}=== node ${n.id} (${where}) ===${RESET}\r\n`);
      show(openLines.get(n) ?? "");
    };
    for (const id of ids) {
      const node = sim.addNode(id);
      nodes.push(node);
      openLines.set(node, openLine(node.wire.output()));
      let pending = "";
      // Lines reach the terminal cut at TERMINAL_LINE_LIMIT bytes (docs/coaps-shell.md, "Console").
      const bound = new LineBound();
      node.wire.onOutput((raw) => {
        const text = bound.filter(raw);
        let open = openLine(openLines.get(node)! + text);
        // An asynchronous line ended the line the echo was on: the pending input goes after it.
        if (typing !== node && text.includes("\n")) open += typed.get(node) ?? "";
        openLines.set(node, open);
        if (nodes[focus] === node) { show(text); return; }
        // Another node's complete lines appear labelled; the focused half line is redrawn after.
        pending += text;
        const end = pending.lastIndexOf("\n");
        if (end < 0) return;
        const lines = pending.slice(0, end + 1).split("\r\n").filter((l) => l !== "" && l !== "\n");
        pending = pending.slice(end + 1);
        if (lines.length === 0) return;
        const label = lines.map((l) => `${DIM}[node ${node.id}] ${l.replace(/^> /, "")}${RESET}\r\n`).join("");
        t.write(`${screen === "" ? "" : "\r\n"}${label}`);
        screen = "";
        show(openLines.get(nodes[focus]!) ?? "");
      });
      if (nodes.length === 1) switchTo(0);
    }
    for (const node of nodes) chart?.addNode(node);
    const code = await done;
    t.write(`\r\n`);
    return code;
  } catch (error) {
    term?.release();
    throw error;
  } finally {
    cleanup();
  }
}

/**
 * "Mbed TLS 2.28.3 (N-API addon)", as a device prints its linked library at boot. XS nodes have
 * no mbedTLS of their own in xsnap: their DTLS engines are the host's N-API engines, driven
 * through the xsnap proxy (src/platform/xsnap/dtls-proxy.ts, host-sim/xs/xs-node.ts).
 */
async function dtlsLibrary(engine: string | undefined, ids: readonly number[]): Promise<string> {
  let version: string;
  try {
    const { napiMbedtlsVersion } = await import("./dtls-napi.js");
    version = napiMbedtlsVersion();
  } catch (error) {
    return `not available (${(error as Error).message.split("\n")[0]})`;
  }
  const select = engine === undefined ? undefined : (await import("./xs/runtime.js")).parseEngineSelection(engine);
  const xs = ids.filter((id) => select?.(String(id)) === "xs");
  if (xs.length === 0) return `${version} (N-API addon)`;
  if (xs.length === ids.length) return `${version} (host N-API addon, used by XS through the xsnap proxy)`;
  return `${version} (N-API addon; XS node ${xs.join(" and ")} uses it through the xsnap proxy)`;
}

function banner(o: InteractiveOptions, ids: number[], sim: Sim, realUdp: RealUdp | undefined, bridge: Bridge | undefined, dtls: string): string {
  const lines: string[] = [];
  if (ids.length > 1) {
    lines.push(`${BOLD}moddable-coaps simulator${RESET}: nodes 1 and 2 on one simulated network.`);
    lines.push(`  node 1  fdde:ad00:beef:0:0:0:0:1`, `  node 2  fdde:ad00:beef:0:0:0:0:2`);
    lines.push(`${BOLD}Ctrl-T${RESET} switches between the two consoles, ${BOLD}Ctrl-C${RESET} quits. Try: coaps help (walkthrough: docs/simulator.md)`);
  } else if (realUdp) {
    const p = realUdp.ports.get(5684);
    lines.push(`${BOLD}moddable-coaps simulator${RESET}: node ${ids[0]} with real sockets: port 5684 is [::1]:${p} and 127.0.0.1:${p}.`);
    lines.push(`Ctrl-C quits.`);
  } else {
    lines.push(`${BOLD}moddable-coaps simulator${RESET}: node ${ids[0]} (fdde:ad00:beef:0:0:0:0:${ids[0]!.toString(16)}), loopback bridge 127.0.0.1:${bridge?.port}.`);
    lines.push(`Other nodes: \`npm start -- <id>\` (1-32) in other terminals. Ctrl-C quits.`);
  }
  lines.push(`DTLS: ${dtls}.`);
  if (o.pcap) lines.push(`Capturing to ${o.pcap}${o.keyLog ? ` (keys: ${o.keyLog})` : ""}.`);
  const charts = [o.msc, o.html].filter((f) => f !== undefined);
  if (charts.length > 0) lines.push(`Message sequence chart: ${charts.join(" and ")}, written when you quit.`);
  void sim;
  return `${lines.join("\r\n")}\r\n`;
}
