// The `--engine` option of the simulator and the scenario runner, in one place:
//   --engine xs            every node on XS
//   --engine node          every node on Node (the default)
//   --engine 1=xs,2=node   per node id; a bare engine first sets the default ("node,2=xs")
// Hook for host-sim/main.ts and scenario-cli.ts:
//   const { engine, rest } = takeEngineOption(argv);
//   const sim = await createSim({ ..., starterFor: await starterForEngines(engine, firmwareFile) });
import type { NodeStarter } from "../firmware.js";
import { type EngineName, type Firmware, loadFirmwareModule, parseEngineSelection, runtimeFor } from "./runtime.js";

/** Removes `--engine <spec>` / `--engine=<spec>` from argv. */
export function takeEngineOption(argv: readonly string[]): { engine: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let engine: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--engine") {
      engine = argv[++i];
      if (engine === undefined) throw new Error("--engine needs a value: xs, node, or per node id like 1=xs,2=node");
    } else if (arg.startsWith("--engine=")) {
      engine = arg.slice("--engine=".length);
    } else {
      rest.push(arg);
    }
  }
  if (engine !== undefined) parseEngineSelection(engine); // fail early on a typo
  return { engine, rest };
}

/**
 * The runtime for each node id under an engine selection. `firmware` is a module path exporting
 * startCoapsApp (default src/app.ts) or an already loaded Firmware. XS messages of the firmware's
 * console.log go to `onLog` (default: stderr, prefixed with the node id).
 */
export async function starterForEngines(
  spec: string | undefined,
  firmware?: string | Firmware,
  onLog: (node: string, text: string) => void = (node, text) => process.stderr.write(`[xs ${node}] ${text}\n`),
): Promise<(id: number) => NodeStarter> {
  const select = parseEngineSelection(spec);
  const fw = typeof firmware === "object" ? firmware : await loadFirmwareModule(firmware);
  const runtimes = new Map<EngineName, NodeStarter>();
  return (id) => {
    const engine = select(String(id));
    let runtime = runtimes.get(engine);
    if (runtime === undefined) runtimes.set(engine, runtime = runtimeFor(fw, engine, onLog));
    return runtime;
  };
}
