// Scenario runner: plain-text scripted checks on simulated nodes (library; the CLI is
// scenario-cli.ts). One directive a line:
//   <n> <text>    types <text> and CR on node n's console (n = 1..32; the node is created,
//                 with its firmware started, when the first such line for it is reached)
//   wait <ms>     advances the virtual clock by ms, running everything due on the way
//   loss <n> <m> <p>          datagrams between nodes n and m (both ways) are lost with probability p (0..1)
//   partition <ids> | <ids>   cuts every link between the two groups (e.g. "partition 1 2 | 3")
//   heal                      lifts every partition (loss settings stay)
//                 (loss and partition name only nodes that some "<n> <text>" line starts,
//                 before or after them)
//   # ...         a comment (a line whose first non-blank character is #); blank lines are skipped
// In typed text, {addr N} is node N's address, fdde:ad00:beef:0:0:0:0:<N in hex>.
// After each directive everything due at the current virtual time runs; after the last one
// the run stops. Output: for each node in id order, a line "=== node <n> ===" (LF), then the
// node's console bytes exactly as its UART wrote them (CR LF and `> ` prompts kept), then one LF.
import { createSim, type SimOptions } from "./harness.js";
import { defaultNodeAddress } from "./ipv6.js";
import { loadDtlsBinding } from "./dtls-loader.js";
import { MscRecorder, type Chart } from "./msc/recorder.js";

export const MAX_SCENARIO_NODE = 32;

export type Directive =
  | { readonly line: number; readonly kind: "type"; readonly node: number; readonly text: string }
  | { readonly line: number; readonly kind: "wait"; readonly ms: number }
  | { readonly line: number; readonly kind: "loss"; readonly a: number; readonly b: number; readonly p: number }
  | { readonly line: number; readonly kind: "partition"; readonly groups: readonly [readonly number[], readonly number[]] }
  | { readonly line: number; readonly kind: "heal" };

export class ScenarioError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = "ScenarioError";
  }
}

const NODE_RANGE = `1-${MAX_SCENARIO_NODE}`;

function expandAddresses(text: string, file: string, line: number): string {
  return text.replace(/\{addr ([^}]*)\}/g, (_m, n: string) => {
    if (!/^\d+$/.test(n) || Number(n) < 1 || Number(n) > MAX_SCENARIO_NODE) {
      throw new ScenarioError(file, line, `{addr ${n}}: node ids are ${NODE_RANGE}`);
    }
    return defaultNodeAddress(Number(n));
  });
}

function nodeId(text: string, file: string, line: number): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_SCENARIO_NODE) {
    throw new ScenarioError(file, line, `node ${text}: node ids are ${NODE_RANGE}`);
  }
  return Number(text);
}

const words = (s: string): string[] => s.trim().split(/\s+/).filter((w) => w !== "");

/** The network directives (loss, partition, heal), or undefined if the line is none of them. */
function parseNetworkDirective(s: string, file: string, line: number): Directive | undefined {
  const [head, ...args] = words(s);
  if (head === "heal") {
    if (args.length > 0) throw new ScenarioError(file, line, `heal takes no arguments, got "${args.join(" ")}"`);
    return { line, kind: "heal" };
  }
  if (head === "loss") {
    if (args.length !== 3) throw new ScenarioError(file, line, `loss needs "loss <node> <node> <probability 0..1>", got "${args.join(" ")}"`);
    const a = nodeId(args[0]!, file, line), b = nodeId(args[1]!, file, line);
    if (a === b) throw new ScenarioError(file, line, `loss needs two different nodes, got ${a} twice`);
    const p = Number(args[2]);
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(args[2]!) || !(p >= 0 && p <= 1)) {
      throw new ScenarioError(file, line, `loss probability must be a number in 0..1, got "${args[2]}"`);
    }
    return { line, kind: "loss", a, b, p };
  }
  if (head === "partition") {
    const sides = args.join(" ").split("|");
    const groups = sides.map((side) => words(side).map((w) => nodeId(w, file, line)));
    if (groups.length !== 2 || groups.some((g) => g.length === 0)) {
      throw new ScenarioError(file, line, `partition needs two groups of node ids separated by "|", e.g. "partition 1 2 | 3"`);
    }
    const both = groups[0]!.find((id) => groups[1]!.includes(id));
    if (both !== undefined) throw new ScenarioError(file, line, `partition: node ${both} is on both sides`);
    return { line, kind: "partition", groups: [groups[0]!, groups[1]!] };
  }
  return undefined;
}

export function parseScenario(text: string, file = "scenario"): Directive[] {
  const out: Directive[] = [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  lines.forEach((raw, i) => {
    const line = i + 1;
    const s = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (s.trim() === "" || s.trimStart().startsWith("#")) return;
    const wait = /^wait(?:\s+(.*))?$/.exec(s.trim());
    if (wait) {
      const arg = (wait[1] ?? "").trim();
      if (!/^\d+$/.test(arg)) throw new ScenarioError(file, line, `wait needs a whole number of milliseconds, got "${arg}"`);
      out.push({ line, kind: "wait", ms: Number(arg) });
      return;
    }
    const network = parseNetworkDirective(s, file, line);
    if (network) {
      out.push(network);
      return;
    }
    const typed = /^(\d+)(?: (.*))?$/.exec(s);
    if (!typed) {
      throw new ScenarioError(file, line, `expected "<node> <text>", "wait <ms>", "loss <n> <m> <p>", "partition <ids> | <ids>", "heal" or "# comment", got ${JSON.stringify(s)}`);
    }
    const node = Number(typed[1]);
    if (node < 1 || node > MAX_SCENARIO_NODE) throw new ScenarioError(file, line, `node ${typed[1]}: node ids are ${NODE_RANGE}`);
    out.push({ line, kind: "type", node, text: expandAddresses(typed[2] ?? "", file, line) });
  });
  // A network directive may come before a node's first line (setting up the links it starts
  // on), but a node no line of the scenario types on never exists: naming it is a mistake.
  const started = new Set(out.flatMap((d) => (d.kind === "type" ? [d.node] : [])));
  for (const d of out) {
    const ids = d.kind === "loss" ? [d.a, d.b] : d.kind === "partition" ? [...d.groups[0], ...d.groups[1]] : [];
    const missing = ids.find((id) => !started.has(id));
    if (missing !== undefined) {
      throw new ScenarioError(file, d.line, `${d.kind}: node ${missing} is never started (no "${missing} <text>" line in the scenario)`);
    }
  }
  return out;
}

/** Network and engine options; `nodes` is not used (the scenario creates them). */
export type ScenarioOptions = Omit<SimOptions, "nodes" | "realTime" | "udpFor"> & {
  /** Record a message sequence chart of the run (result.chart), titled as given. */
  readonly chart?: { readonly title?: string };
};

export interface ScenarioResult {
  /** Console bytes per node id, in id order. */
  readonly consoles: ReadonlyMap<number, string>;
  /** The runner's output text (see the file comment). */
  readonly output: string;
  /** Virtual time at the end of the run, ms. */
  readonly endTime: number;
  /** One line per node whose runtime reports something (XS heap use), else empty. */
  readonly reports: readonly string[];
  /** The message sequence chart, when options.chart asked for one (render with host-sim/msc/render.ts). */
  readonly chart?: Chart;
}

export function formatConsoles(consoles: ReadonlyMap<number, string>): string {
  return [...consoles].sort(([a], [b]) => a - b).map(([id, bytes]) => `=== node ${id} ===\n${bytes}\n`).join("");
}

const failedRunCharts = new WeakMap<object, Chart>();

/** The chart of a run that threw (up to the failure), when options.chart asked for one. */
export function chartOfFailedRun(error: unknown): Chart | undefined {
  return typeof error === "object" && error !== null ? failedRunCharts.get(error) : undefined;
}

export async function runScenario(text: string, options: ScenarioOptions = {}, file = "scenario"): Promise<ScenarioResult> {
  const directives = parseScenario(text, file);
  const { chart, ...simOptions } = options;
  const msc = chart ? new MscRecorder(chart.title) : undefined;
  const sim = await createSim(msc ? { ...simOptions, dtls: msc.wrapBinding(simOptions.dtls ?? (await loadDtlsBinding())) } : simOptions);
  msc?.attach(sim);
  try {
    for (const d of directives) {
      switch (d.kind) {
        case "wait": sim.advance(d.ms); break;
        case "loss":
          msc?.network(`loss ${d.a} ${d.b} ${d.p}`);
          sim.network.setLink(d.a, d.b, { loss: d.p });
          sim.runDue();
          break;
        case "partition":
          msc?.network(`partition ${d.groups[0].join(" ")} | ${d.groups[1].join(" ")}`);
          sim.network.partition(d.groups[0], d.groups[1]);
          sim.runDue();
          break;
        case "heal":
          msc?.network("heal");
          sim.network.heal();
          sim.runDue();
          break;
        case "type":
          if (!sim.hasNode(d.node)) {
            const node = sim.addNode(d.node);
            msc?.addNode(node);
          }
          sim.console(d.node).send(d.text);
      }
    }
    const consoles = sim.transcripts();
    const reports = sim.nodeIds().map((id) => sim.node(id).report()).filter((r): r is string => r !== undefined);
    return { consoles, output: formatConsoles(consoles), endTime: sim.clock.now(), reports, ...(msc ? { chart: msc.chart() } : {}) };
  } catch (error) {
    if (msc && typeof error === "object" && error !== null) failedRunCharts.set(error, msc.chart());
    throw error;
  } finally {
    sim.close();
  }
}
