// The simulation that runs inside one XS machine (runner.c): the simulator's own virtual clock,
// SimNetwork, consoles and nodes, each node running the product firmware (src/app.ts) with the
// device's DTLS binding (src/platform/moddable/dtls-native.ts over native/xs_dtls.c). The Node
// host drives it with one JSON request per line (host-sim/xs/in-process/machine.ts), so a
// whole run of GETs costs one round trip, not several per GET as a node in its own xsnap
// worker does.
// The device binding names XS's compile-time forms Native/native; machine.ts supplies them.
/// <reference path="../../../src/platform/moddable/xs-globals.d.ts" />
import { startCoapsApp } from "../../../src/app.js";
import { createNativeDtlsBinding } from "../../../src/platform/moddable/dtls-native.js";
import type { ConsoleDriver } from "../../console.js";
import { seededRandomSource } from "../../prng.js";
import { SimNetwork, type NodeAddressing } from "../../sim-network.js";
import { SimNode } from "../../sim-node.js";
import { simUdpFactory } from "../../sim-udp.js";
import { VirtualClock } from "../../virtual-clock.js";
import type { InProcessRequest } from "./protocol.js";

interface Simulation {
  readonly clock: VirtualClock;
  readonly nodes: Map<number, SimNode>;
}

let sim: Simulation | undefined;

function start(seed: number, specs: ReadonlyArray<NodeAddressing & { readonly id: number }>): Simulation {
  const clock = new VirtualClock();
  const network = new SimNetwork({ clock, seed });
  const driver: ConsoleDriver = {
    inject: (fn) => { fn(); clock.runDue(); },
    runUntil: (predicate, withinMs) => clock.runUntil(predicate, withinMs),
  };
  const dtls = createNativeDtlsBinding();
  const nodes = new Map<number, SimNode>();
  for (const spec of specs) {
    const iface = network.addNode(spec.id, spec);
    const node = new SimNode({
      id: spec.id, clock, udp: simUdpFactory(iface), random: seededRandomSource(seed, spec.id), dtls, driver,
      addresses: iface.addresses.map((a) => a.text),
    });
    nodes.set(spec.id, node);
    driver.inject(() => node.start({ start: (platform, options) => startCoapsApp(platform, options ?? {}) }));
  }
  return { clock, nodes };
}

function nodeOf(id: number): SimNode {
  const node = sim?.nodes.get(id);
  if (node === undefined) throw new Error(sim === undefined ? "no simulation: send start first" : `no node ${id}`);
  return node;
}

/**
 * Types `line` `count` times on the node, each time running the clock until one more line
 * containing `marker` has been printed (at most `withinMs` virtual ms each). Lines are counted
 * as they are written: searching the growing transcript would cost more every time.
 */
function repeat(node: SimNode, line: string, marker: string, count: number, withinMs: number): number {
  let seen = 0, tail = "";
  const stop = node.wire.onOutput((text) => {
    const window = tail + text;
    for (let at = window.indexOf(marker); at >= 0; at = window.indexOf(marker, at + 1)) seen++;
    tail = window.slice(-(marker.length - 1));
  });
  const clock = sim!.clock;
  try {
    for (let i = 0; i < count; i++) {
      const before = seen;
      node.console.send(line);
      if (!clock.runUntil(() => seen > before, withinMs)) {
        throw new Error(`node ${node.id}: no "${marker}" within ${withinMs} ms after repeat ${i}; console ends with ${JSON.stringify(node.console.transcript().slice(-300))}`);
      }
    }
  } finally {
    stop();
  }
  return seen;
}

function handle(request: InProcessRequest): unknown {
  switch (request.op) {
    case "start":
      if (sim !== undefined) throw new Error("a simulation is already running");
      sim = start(request.seed, request.nodes);
      return null;
    case "send":
      nodeOf(request.node).console.send(request.line);
      return null;
    case "expect":
      return nodeOf(request.node).console.expect(request.text, request.withinMs);
    case "advance":
      if (sim === undefined) throw new Error("no simulation: send start first");
      sim.clock.advance(request.ms);
      return sim.clock.now();
    case "repeat":
      return repeat(nodeOf(request.node), request.line, request.marker, request.count, request.withinMs);
    case "transcript":
      return nodeOf(request.node).console.transcript();
    case "profile": {
      const g = globalThis as unknown as { startProfiling?: () => void; stopProfiling?: (path: string) => void };
      if (g.startProfiling === undefined || g.stopProfiling === undefined) throw new Error("this runner has no profiler (open it with variant: \"profiling\")");
      if (request.start) g.startProfiling();
      else g.stopProfiling(request.path);
      return null;
    }
    case "stop":
      for (const node of sim?.nodes.values() ?? []) node.stop();
      sim = undefined;
      return null;
  }
}

(globalThis as unknown as { handleLine(line: string): string }).handleLine = (line) =>
  JSON.stringify(handle(JSON.parse(line) as InProcessRequest) ?? null);
