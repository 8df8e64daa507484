// Node runtimes: where a simulated node's firmware runs. The same host Platform (virtual clock,
// SimNetwork or real sockets, console, N-API DTLS) serves both; only the engine differs.
//   node: the firmware's main is called directly in this process.
//   xs:   the firmware is bundled and run in an xsnap worker (XsNode); natives proxy to the
//         same platform object.
// The simulator and the scenario runner pick a runtime per node id with parseEngineSelection.
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Platform } from "../../src/platform/index.js";
import { formatHeap, heapDelta } from "./heap.js";
import { XsNode } from "./xs-node.js";

export type EngineName = "node" | "xs";
export interface StartOptions { port?: number }
export type FirmwareMain = (platform: Platform, options: StartOptions) => { close(): void };

/** One firmware: its main for Node, and where that main lives, to bundle it for XS. */
export interface Firmware {
  readonly main: FirmwareMain;
  /** Absolute path of the module exporting main. */
  readonly module: string;
  readonly exportName: string;
}

export interface RunningNode {
  readonly engine: EngineName;
  /** Set when the node runs on XS: heap, meter, pid. */
  readonly xs: XsNode | undefined;
  /** One line for the end of a scripted run (XS heap use); undefined on Node. */
  report(): string | undefined;
  close(): void;
}

export interface NodeRuntime {
  readonly engine: EngineName;
  start(platform: Platform, options?: StartOptions, name?: string): RunningNode;
}

export function nodeRuntime(firmware: Firmware): NodeRuntime {
  return {
    engine: "node",
    start(platform, options = {}) {
      const app = firmware.main(platform, options);
      return { engine: "node", xs: undefined, report: () => undefined, close: () => app.close() };
    },
  };
}

export function xsRuntime(firmware: Firmware, onLog?: (node: string, text: string) => void): NodeRuntime {
  return {
    engine: "xs",
    start(platform, options = {}, name = "xs") {
      const node = new XsNode(platform, {
        module: firmware.module, exportName: firmware.exportName, name, ...(onLog ? { onLog: (text: string) => onLog(name, text) } : {}),
      });
      try {
        node.start(options);
      } catch (error) {
        node.kill();
        throw error;
      }
      return { engine: "xs", xs: node, report: () => xsHeapReport(node), close: () => node.close() };
    },
  };
}

export function runtimeFor(firmware: Firmware, engine: EngineName, onLog?: (node: string, text: string) => void): NodeRuntime {
  return engine === "xs" ? xsRuntime(firmware, onLog) : nodeRuntime(firmware);
}

/** "node 1 on XS: heap ..." with the live heap after a collection, minus the loaded code. */
export function xsHeapReport(node: XsNode): string {
  try {
    const { baseline, now } = node.heapUse();
    return `node ${node.name} on XS (pid ${node.pid}): firmware heap ${formatHeap(heapDelta(now, baseline))}; ` +
      `whole machine ${formatHeap(now)}; meter peak ${node.peakHeapCount} slots`;
  } catch (error) {
    // A report must not hide the run's result: a dead worker is said, not thrown.
    return `node ${node.name} on XS (pid ${node.pid}): no heap report (${(error as Error).message.split("\n")[0]})`;
  }
}

/**
 * Parses an engine selection: "xs" (every node), "node", or per node id, "1=xs,2=node",
 * optionally after a default ("node,2=xs"). Returns the engine for a node id.
 */
export function parseEngineSelection(spec: string | undefined): (nodeId: string) => EngineName {
  let fallback: EngineName = "node";
  const perNode = new Map<string, EngineName>();
  for (const item of (spec ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const eq = item.indexOf("=");
    const engine = eq < 0 ? item : item.slice(eq + 1);
    if (engine !== "node" && engine !== "xs") throw new Error(`--engine: unknown engine "${engine}" (use node or xs)`);
    if (eq < 0) fallback = engine;
    else perNode.set(item.slice(0, eq), engine);
  }
  return (nodeId) => perNode.get(nodeId) ?? fallback;
}

/**
 * Loads firmware from a module exporting `exportName` (default: src/app.ts's startCoapsApp; a
 * relative `file` is taken from the working directory, like the simulator's --firmware).
 */
export async function loadFirmwareModule(file?: string, exportName = "startCoapsApp"): Promise<Firmware> {
  const module = file === undefined ? fileURLToPath(new URL("../../src/app.ts", import.meta.url)) : resolve(file);
  const mod = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
  const main = mod[exportName];
  if (typeof main !== "function") throw new Error(`firmware ${module} does not export ${exportName}`);
  return { main: main as FirmwareMain, module, exportName };
}
