// Scenario runner: plain-text scripted checks on simulated nodes (library; the CLI is
// scenario-cli.ts). One directive a line:
//   <n> <text>    types <text> and CR on node n's console (n = 1..32; the node is created,
//                 with its firmware started, when the first such line for it is reached)
//   wait <ms>     advances the virtual clock by ms, running everything due on the way
//   # ...         a comment (a line whose first non-blank character is #); blank lines are skipped
// In typed text, {addr N} is node N's address, fdde:ad00:beef:0:0:0:0:<N in hex>.
// After each directive everything due at the current virtual time runs; after the last one
// the run stops. Output: for each node in id order, a line "=== node <n> ===" (LF), then the
// node's console bytes exactly as its UART wrote them (CR LF and `> ` prompts kept), then one LF.
import { createSim, type SimOptions } from "./harness.js";
import { defaultNodeAddress } from "./ipv6.js";

export const MAX_SCENARIO_NODE = 32;

export type Directive =
  | { readonly line: number; readonly kind: "type"; readonly node: number; readonly text: string }
  | { readonly line: number; readonly kind: "wait"; readonly ms: number };

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
    const typed = /^(\d+)(?: (.*))?$/.exec(s);
    if (!typed) throw new ScenarioError(file, line, `expected "<node> <text>", "wait <ms>" or "# comment", got ${JSON.stringify(s)}`);
    const node = Number(typed[1]);
    if (node < 1 || node > MAX_SCENARIO_NODE) throw new ScenarioError(file, line, `node ${typed[1]}: node ids are ${NODE_RANGE}`);
    out.push({ line, kind: "type", node, text: expandAddresses(typed[2] ?? "", file, line) });
  });
  return out;
}

/** Network and engine options; `nodes` is not used (the scenario creates them). */
export type ScenarioOptions = Omit<SimOptions, "nodes" | "realTime" | "udpFor">;

export interface ScenarioResult {
  /** Console bytes per node id, in id order. */
  readonly consoles: ReadonlyMap<number, string>;
  /** The runner's output text (see the file comment). */
  readonly output: string;
  /** Virtual time at the end of the run, ms. */
  readonly endTime: number;
  /** One line per node whose runtime reports something (XS heap use), else empty. */
  readonly reports: readonly string[];
}

export function formatConsoles(consoles: ReadonlyMap<number, string>): string {
  return [...consoles].sort(([a], [b]) => a - b).map(([id, bytes]) => `=== node ${id} ===\n${bytes}\n`).join("");
}

export async function runScenario(text: string, options: ScenarioOptions = {}, file = "scenario"): Promise<ScenarioResult> {
  const directives = parseScenario(text, file);
  const sim = await createSim(options);
  try {
    for (const d of directives) {
      if (d.kind === "wait") {
        sim.advance(d.ms);
        continue;
      }
      if (!sim.hasNode(d.node)) sim.addNode(d.node);
      sim.console(d.node).send(d.text);
    }
    const consoles = sim.transcripts();
    const reports = sim.nodeIds().map((id) => sim.node(id).report()).filter((r): r is string => r !== undefined);
    return { consoles, output: formatConsoles(consoles), endTime: sim.clock.now(), reports };
  } finally {
    sim.close();
  }
}
