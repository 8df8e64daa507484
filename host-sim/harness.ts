// Test harness: simulated nodes on one SimNetwork and one virtual clock.
//
//   const sim = await createSim({ seed: 1, nodes: [1, 2] });            // firmware: src/app.ts
//   const sim = await createSim({ nodes: [
//     { id: 1, addresses: ["fdde:ad00:beef:0:9903:14b:27e0:5744"], extraAddresses: ["fdde:ad00:beef:0:0:ff:fe00:fc00"] },
//     { id: 2, addresses: ["fdde:ad00:beef:0:9e68:576f:714c:f395"] },
//   ], link: { delayMs: 5, loss: 0.1 } });
//   const s = sim.console(1);
//   s.send("coaps start");                    // types the line + CR, runs what is due now
//   s.expect("Done\r\n> ", 0);                // within 0 virtual ms: must already be there
//   sim.advance(2000);                        // two virtual seconds pass
//   s.expect(/coaps disconnected\r\n/, 3000); // runs the clock up to 3000 ms until it appears
//   sim.console(2).transcript();              // every byte node 2's UART wrote
//   sim.close();
//
// Options (all optional):
//   seed         network PRNG and per-node RandomSource seed (default 1)
//   nodes        ids (1 = fdde:ad00:beef:0:0:0:0:1) or NodeSpec {id, addresses?, extraAddresses?, ipv4?, starter?}
//   link         default LinkSettings {delayMs, jitterMs, loss, duplicate, reorder, partitioned} (default all 0)
//   firmware     a FirmwareMain (startCoapsApp-shaped), a NodeStarter (e.g. host-sim/xs's NodeRuntime), or "none"
//                to attach nodes without starting anything; default: startCoapsApp from src/app.ts
//   starterFor   per node id runtime, e.g. (id) => id === 2 ? xsRuntime(fw) : undefined (undefined = firmware)
//   dtls         DtlsBinding; default: host-sim/dtls-napi.ts when it loads
//   capture      { pcap: file, keyLog?: file, linkType?: "ipv6" | "raw" } (raw also holds IPv4)
//   appOptions   passed to startCoapsApp (e.g. { port })
//   realTime     virtual time follows the wall clock (interactive use, real-socket interop);
//                consoles then use `await console.waitFor(...)` instead of expect
//   udpFor       replaces a node's UdpFactory, e.g. real loopback sockets from openRealUdp; gets
//                the node's simulated factory to wrap (e.g. an IPv4-only platform)
// Nodes start in the order given; each has printed its first `> ` once createSim returns.
import type { DtlsBinding } from "../src/platform/dtls-binding.js";
import type { UdpFactory } from "../src/platform/udp.js";
import { slabAllocator } from "../src/bytes/alloc.js";
import { RealTimeDriver } from "./real-time.js";
import { VirtualClock } from "./virtual-clock.js";
import { SimNetwork, type LinkSettings, type NodeAddressing } from "./sim-network.js";
import { simUdpFactory } from "./sim-udp.js";
import { seededRandomSource } from "./prng.js";
import { SimNode } from "./sim-node.js";
import { KeyLogWriter, PcapWriter, type PcapLinkType } from "./pcap.js";
import { loadDtlsBinding, trackingBinding } from "./dtls-loader.js";
import { loadFirmware, starterFor, type AppOptions, type FirmwareMain, type NodeStarter } from "./firmware.js";
import type { ConsoleDriver, ScriptedConsole } from "./console.js";

export interface NodeSpec extends NodeAddressing {
  readonly id: number;
  /** Runtime for this node only (e.g. XS); default: the sim's firmware. */
  readonly starter?: NodeStarter;
}

export interface CaptureOptions {
  readonly pcap: string;
  readonly keyLog?: string;
  readonly linkType?: PcapLinkType;
}

export interface SimOptions {
  readonly seed?: number;
  readonly nodes?: ReadonlyArray<number | NodeSpec>;
  readonly link?: Partial<LinkSettings>;
  readonly firmware?: FirmwareMain | NodeStarter | "none";
  readonly starterFor?: (id: number) => NodeStarter | undefined;
  readonly dtls?: DtlsBinding;
  readonly capture?: CaptureOptions;
  readonly appOptions?: AppOptions;
  readonly realTime?: boolean;
  readonly udpFor?: (id: number, simulated: UdpFactory) => UdpFactory | undefined;
  /** Each line a node writes to its log (platform.log); every node also keeps them in SimNode.log. */
  readonly onLog?: (node: number, line: string) => void;
}

export class Sim {
  readonly clock: VirtualClock;
  readonly network: SimNetwork;
  readonly seed: number;
  readonly #nodes = new Map<number, SimNode>();
  readonly #starter: NodeStarter | undefined;
  readonly #starterFor: ((id: number) => NodeStarter | undefined) | undefined;
  readonly #dtls: DtlsBinding;
  /**
   * Every node's Platform.allocBytes: encoded messages cut from slabs, as V8 allocates each
   * ArrayBuffer off-heap at a cost of 1–2 µs on some machines (src/bytes/alloc.ts).
   */
  readonly #allocBytes = slabAllocator();
  readonly #appOptions: AppOptions | undefined;
  readonly #closers: Array<() => void> = [];
  readonly #driver: ConsoleDriver;
  readonly #udpFor: ((id: number, simulated: UdpFactory) => UdpFactory | undefined) | undefined;
  readonly #onLog: ((node: number, line: string) => void) | undefined;
  /** Set in real-time mode: outside input goes through realTime.inject. */
  readonly realTime: RealTimeDriver | undefined;

  /** Use createSim; this constructor takes already-loaded firmware and DTLS binding. */
  constructor(o: SimOptions & { starter: NodeStarter | undefined; dtls: DtlsBinding }) {
    this.seed = o.seed ?? 1;
    this.clock = new VirtualClock();
    this.network = new SimNetwork({ clock: this.clock, seed: this.seed, ...(o.link ? { link: o.link } : {}) });
    this.#starter = o.starter;
    this.#starterFor = o.starterFor;
    this.#appOptions = o.appOptions;
    this.#udpFor = o.udpFor;
    this.#onLog = o.onLog;
    const clock = this.clock;
    if (o.realTime) {
      const rt = new RealTimeDriver(clock);
      this.realTime = rt;
      this.#closers.push(() => rt.stop());
      this.#driver = {
        inject: (fn) => rt.inject(fn),
        runUntil: () => { throw new Error("real-time simulation: use `await console.waitFor(...)`, not expect"); },
      };
    } else {
      this.#driver = {
        inject: (fn) => { fn(); clock.runDue(); },
        runUntil: (predicate, withinMs) => clock.runUntil(predicate, withinMs),
      };
    }
    let dtls = o.dtls;
    if (o.capture) {
      const pcap = new PcapWriter(o.capture.pcap, o.capture.linkType ? { linkType: o.capture.linkType } : {});
      const keyLog = o.capture.keyLog ? new KeyLogWriter(o.capture.keyLog) : undefined;
      const tracked = keyLog ? trackingBinding(dtls) : undefined;
      if (tracked) dtls = tracked.binding;
      const flushKeys = () => { for (const k of tracked?.collectKeyLogs() ?? []) keyLog!.add(k); };
      this.network.addTap((d) => { flushKeys(); pcap.write(d); });
      this.#closers.push(() => { flushKeys(); pcap.close(); keyLog?.close(); });
    }
    this.#dtls = dtls;
  }

  /** Adds a node, attaches it to the network and starts its firmware (unless firmware is "none"). */
  addNode(spec: number | NodeSpec): SimNode {
    const s: NodeSpec = typeof spec === "number" ? { id: spec } : spec;
    const iface = this.network.addNode(s.id, s);
    const node = new SimNode({
      id: s.id, clock: this.clock, udp: this.#udpFor?.(s.id, simUdpFactory(iface)) ?? simUdpFactory(iface), random: seededRandomSource(this.seed, s.id),
      dtls: this.#dtls, driver: this.#driver, addresses: iface.addresses.map((a) => a.text), allocBytes: this.#allocBytes,
      ...(this.#onLog ? { onLog: (line: string) => this.#onLog!(s.id, line) } : {}),
    });
    this.#nodes.set(s.id, node);
    const starter = s.starter ?? this.#starterFor?.(s.id) ?? this.#starter;
    if (starter) this.#driver.inject(() => node.start(starter, this.#appOptions));
    return node;
  }

  node(id: number): SimNode {
    const n = this.#nodes.get(id);
    if (!n) throw new Error(`no node ${id} in this simulation`);
    return n;
  }

  hasNode(id: number): boolean {
    return this.#nodes.has(id);
  }

  console(id: number): ScriptedConsole {
    return this.node(id).console;
  }

  nodeIds(): number[] {
    return [...this.#nodes.keys()].sort((a, b) => a - b);
  }

  advance(ms: number): void {
    this.#virtualOnly("advance");
    this.clock.advance(ms);
  }

  /** Runs everything due now (in real-time mode: at the current wall time). */
  runDue(): void {
    this.#driver.inject(() => undefined);
  }

  runUntil(predicate: () => boolean, limitMs: number): boolean {
    this.#virtualOnly("runUntil");
    return this.clock.runUntil(predicate, limitMs);
  }

  #virtualOnly(what: string): void {
    // In real-time mode the wall clock moves time; jumping ahead would starve every timer.
    if (this.realTime) throw new Error(`Sim.${what}: not available in real-time mode (time follows the wall clock)`);
  }

  /** Each node's console bytes, by id. */
  transcripts(): Map<number, string> {
    return new Map(this.nodeIds().map((id) => [id, this.node(id).console.transcript()]));
  }

  /** Stops every node's firmware and closes the capture files. Repeatable. */
  close(): void {
    for (const n of this.#nodes.values()) n.stop();
    for (const c of this.#closers.splice(0)) c();
  }
}

export async function createSim(options: SimOptions = {}): Promise<Sim> {
  const fw = options.firmware;
  let starter: NodeStarter | undefined;
  if (fw === "none") starter = undefined;
  else if (typeof fw === "function") starter = starterFor(fw);
  else if (fw) starter = fw;
  else starter = starterFor(await loadFirmware());
  const dtls = options.dtls ?? (await loadDtlsBinding());
  const sim = new Sim({ ...options, starter, dtls });
  for (const spec of options.nodes ?? []) sim.addNode(spec);
  return sim;
}

/** One step of a multi-node transcript: type a line on a node, let virtual time pass, or act. */
export type TranscriptStep =
  | { readonly node: number; readonly send: string }
  | { readonly wait: number }
  | ((sim: Sim) => void);

/** Runs the steps in order and returns each node's console bytes for byte-exact comparison. */
export function runTranscript(sim: Sim, steps: readonly TranscriptStep[]): Map<number, string> {
  for (const step of steps) {
    if (typeof step === "function") { step(sim); sim.runDue(); }
    else if ("wait" in step) sim.advance(step.wait);
    else sim.console(step.node).send(step.send);
  }
  return sim.transcripts();
}

/**
 * The expected console bytes of a spec §13 transcript: for each label ("S", "C", "N3"), its
 * lines joined with CR LF. Commentary (`#`), blank lines and code fences are skipped. The
 * spec leaves out a final pending `> `; compare with `consoleMatches`.
 */
export function specConsoles(transcript: string, labels: Readonly<Record<string, number>>): Map<number, string> {
  const out = new Map<number, string>(Object.values(labels).map((id) => [id, ""]));
  for (const raw of transcript.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (line === "" || line.startsWith("#") || line.startsWith("```")) continue;
    const bar = line.indexOf("|");
    const id = bar > 0 ? labels[line.slice(0, bar)] : undefined;
    if (id === undefined) throw new Error(`transcript line without a known label: ${JSON.stringify(line)}`);
    out.set(id, `${out.get(id)!}${line.slice(bar + 1)}\r\n`);
  }
  return out;
}

/** True when `actual` is `expected`, possibly followed by the pending prompt the spec does not show. */
export function consoleMatches(actual: string, expected: string): boolean {
  return actual === expected || actual === `${expected}> `;
}
