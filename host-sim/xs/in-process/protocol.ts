// Requests the Node host sends to the simulation inside the XS machine, one JSON object a line.
import type { NodeAddressing } from "../../sim-network.js";

export type InProcessRequest =
  /** Builds the simulation and starts every node's firmware (answers null). */
  | { readonly op: "start"; readonly seed: number; readonly nodes: ReadonlyArray<NodeAddressing & { readonly id: number }> }
  /** Types a line on a node's console and runs what falls due (null). */
  | { readonly op: "send"; readonly node: number; readonly line: string }
  /** ScriptedConsole.expect on the node (the matched text; throws on timeout). */
  | { readonly op: "expect"; readonly node: number; readonly text: string; readonly withinMs: number }
  /** Lets virtual time pass (the clock's new time). */
  | { readonly op: "advance"; readonly ms: number }
  /** Types `line` `count` times, each time until one more `marker` is printed (the number seen). */
  | { readonly op: "repeat"; readonly node: number; readonly line: string; readonly marker: string; readonly count: number; readonly withinMs: number }
  /** The node's whole console output (a latin1 string). */
  | { readonly op: "transcript"; readonly node: number }
  /** Starts / stops XS's sampling profiler (profiling runner only); stop writes a .cpuprofile at `path`. */
  | { readonly op: "profile"; readonly start: true }
  | { readonly op: "profile"; readonly start: false; readonly path: string }
  /** Stops every node (their DTLS engines are freed) and drops the simulation (null). */
  | { readonly op: "stop" };
