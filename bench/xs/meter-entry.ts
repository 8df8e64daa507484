// The in-process simulation (host-sim/xs/in-process/entry.ts) with XS instructions counted per
// method, for bench/xs/meter-in-process.ts: once asked, the public methods of the simulator's
// and the firmware's classes are wrapped, and each call's instructions (the metering runner's
// meterNow()) are added to the method inclusively and, minus its wrapped callees, exclusively.
// A wrapper's own instructions count in its caller's exclusive figure.
// Free functions (the codec, text conversions) count in the method that calls them. Not part
// of the product; only the metering runner has meterNow().
import "../../host-sim/xs/in-process/entry.js";
import { Shell } from "../../src/cli/shell.js";
import { CoapEndpoint } from "../../src/coap/endpoint.js";
import { ClientExchanges } from "../../src/coap/exchanges.js";
import { ResourceServer } from "../../src/coap/server.js";
import { ResponseCache } from "../../src/coap/dedup.js";
import { ObserverRegistry } from "../../src/coap/observe.js";
import { CoapResource } from "../../src/coaps/coap-resource.js";
import { CoapSecureAgent } from "../../src/coaps/agent.js";
import { CoapsAgentCore } from "../../src/coaps/agent-core.js";
import { ServerSlot } from "../../src/coaps/server-slot.js";
import { DtlsSession } from "../../src/dtls/session.js";
import { ConsoleWire, ScriptedConsole } from "../../host-sim/console.js";
import { NetInterface, SimNetwork } from "../../host-sim/sim-network.js";
import { NodeTimers, SimNode } from "../../host-sim/sim-node.js";
import { SimUdpSocket } from "../../host-sim/sim-udp.js";
import { VirtualClock } from "../../host-sim/virtual-clock.js";
import { Prng } from "../../host-sim/prng.js";

declare const meterNow: () => number;

interface Row { inclusive: number; exclusive: number; calls: number; callees: number; descendants: number }
const rows = new Map<string, Row>();
/** Instructions of wrapped callees, and how many there were, per open frame. */
const callees: number[] = [];
const calleeCounts: number[] = [];
/** Wrapped calls so far: a call's descendants are the ones made while it runs. */
let wrappedCalls = 0;

function wrap(key: string, proto: Record<string, unknown>, method: string): void {
  const original = proto[method] as (...a: unknown[]) => unknown;
  let row = rows.get(key);
  if (row === undefined) rows.set(key, (row = { inclusive: 0, exclusive: 0, calls: 0, callees: 0, descendants: 0 }));
  const r = row;
  proto[method] = function (this: unknown, ...args: unknown[]) {
    callees.push(0);
    calleeCounts.push(0);
    const first = ++wrappedCalls;
    const m0 = meterNow();
    try {
      return original.apply(this, args);
    } finally {
      const spent = meterNow() - m0;
      const inner = callees.pop()!;
      r.inclusive += spent; r.exclusive += spent - inner; r.calls++; r.callees += calleeCounts.pop()!;
      r.descendants += wrappedCalls - first;
      const top = callees.length - 1;
      if (top >= 0) { callees[top]! += spent; calleeCounts[top]!++; }
    }
  };
}

function wrapAll(name: string, proto: object): void {
  const p = proto as Record<string, unknown>;
  for (const method of Object.getOwnPropertyNames(p)) {
    if (method !== "constructor" && typeof Object.getOwnPropertyDescriptor(p, method)?.value === "function") wrap(`${name}.${method}`, p, method);
  }
}

const classes: ReadonlyArray<readonly [string, { prototype: object }]> = [
  ["sim:VirtualClock", VirtualClock], ["sim:SimNetwork", SimNetwork], ["sim:NetInterface", NetInterface],
  ["sim:ConsoleWire", ConsoleWire], ["sim:ScriptedConsole", ScriptedConsole], ["sim:SimNode", SimNode], ["sim:Prng", Prng],
  ["sim:NodeTimers", NodeTimers], ["sim:SimUdpSocket", SimUdpSocket],
  ["Shell", Shell], ["CoapSecureAgent", CoapSecureAgent], ["CoapsAgentCore", CoapsAgentCore], ["ServerSlot", ServerSlot],
  ["CoapResource", CoapResource], ["CoapEndpoint", CoapEndpoint], ["ClientExchanges", ClientExchanges],
  ["ResourceServer", ResourceServer], ["ResponseCache", ResponseCache], ["ObserverRegistry", ObserverRegistry],
  ["DtlsSession", DtlsSession],
];

const g = globalThis as unknown as { handleLine(line: string): string };
const handle = g.handleLine;
let wrapped = false;
/**
 * {"op":"meter"}: the machine's instruction count, and the rows since the last one (cleared),
 * as [key, inclusive, exclusive, calls, wrapped callees, wrapped descendants]. {"op":"meter-wrap"}: starts counting per method (the
 * wrappers cost instructions of their own, so totals are taken before).
 */
g.handleLine = (line) => {
  if (line === '{"op":"meter-wrap"}') {
    if (!wrapped) for (const [name, cls] of classes) wrapAll(name, cls.prototype);
    wrapped = true;
    return "null";
  }
  if (line !== '{"op":"meter"}') return handle(line);
  const out = [...rows].filter(([, r]) => r.calls > 0).map(([k, r]) => [k, r.inclusive, r.exclusive, r.calls, r.callees, r.descendants]);
  for (const r of rows.values()) { r.inclusive = 0; r.exclusive = 0; r.calls = 0; r.callees = 0; r.descendants = 0; }
  return JSON.stringify({ rows: out, total: meterNow() });
};
