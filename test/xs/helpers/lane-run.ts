// Runs the lane firmware on two nodes (each on Node or XS) through one script on virtual time
// and returns both console transcripts.
import { fileURLToPath } from "node:url";
import { VirtualClock } from "../../../host-sim/virtual-clock.js";
import { type EngineName, type Firmware, type RunningNode, runtimeFor } from "../../../host-sim/xs/runtime.js";
import { startLaneFirmware } from "../firmware/lane-firmware.js";
import { lanePlatform, ScriptedConsole, UdpHub } from "./lane-platform.js";

export const laneFirmware: Firmware = {
  main: startLaneFirmware,
  module: fileURLToPath(new URL("../firmware/lane-firmware.ts", import.meta.url)),
  exportName: "startLaneFirmware",
};

export interface LaneNode { console: ScriptedConsole; running: RunningNode }

export class LaneRun {
  readonly clock = new VirtualClock(1000);
  readonly hub = new UdpHub(this.clock);
  readonly nodes = new Map<string, LaneNode>();

  add(address: string, engine: EngineName, seed = 7): LaneNode {
    const console = new ScriptedConsole();
    const running = runtimeFor(laneFirmware, engine).start(lanePlatform(this.hub, address, console, seed), { port: 5684 }, address);
    const node = { console, running };
    this.nodes.set(address, node);
    return node;
  }

  /** Types a line into a node's console, then lets `ms` of virtual time pass. */
  type(address: string, line: string, ms = 0): void {
    this.nodes.get(address)!.console.type(line);
    this.clock.advance(ms);
  }

  close(): void {
    for (const node of this.nodes.values()) {
      try { node.running.close(); } catch { node.running.xs?.kill(); }
    }
  }
}

/** The lane script: every native and event kind, with two nodes talking. */
export const LANE_SCRIPT: ReadonlyArray<readonly [node: string, line: string, advanceMs: number]> = [
  ["a", "echo hello from the console", 0],
  ["a", "now", 0],
  ["a", "sleep 250", 300],
  ["a", "cancel 10", 20],
  ["a", "bind 5683", 0],
  ["b", "bind 5683", 0],
  ["b", "send a 5683 ping 1", 5],
  ["a", "send b 5683 hi there", 5],
  ["a", "rand 8", 0],
  ["a", "dtls create alice", 0],
  ["a", "dtls feed hi", 0],
  ["a", "dtls timer", 0],
  ["a", "dtls write too-early", 0],
  ["a", "dtls feed accept", 0],
  ["a", "dtls write secret-data", 0],
  ["a", "dtls feed overflow", 0],
  ["a", "dtls show", 0],
  ["a", "dtls close", 0],
  ["a", "dtls free", 0],
  ["a", "nonsense", 0],
];
