// CoapsAgentCore used directly (as a module reuser would, without the shell's address
// parsing): the peer given to connect() may be written in any valid form.
import test from "ava";
import { CoapsAgentCore } from "../../src/coaps/agent-core.js";
import { loadDtlsBinding } from "../../host-sim/dtls-loader.js";
import { seededRandomSource } from "../../host-sim/prng.js";
import type { AgentEvent } from "../../src/coaps/types.js";
import { canonicalAddress } from "../../src/net/address.js";

const dtls = await loadDtlsBinding();
const S = "fdde:ad00:beef:0:0:0:0:1";
const C = "fdde:ad00:beef:0:0:0:0:2";
const key = new TextEncoder().encode("k");
const identity = new TextEncoder().encode("id");

function node(seed: number): CoapsAgentCore {
  const core = new CoapsAgentCore({ random: seededRandomSource(seed, 1), dtls });
  core.setPsk(0, key, identity);
  core.start(0, true, 0, () => {});
  return core;
}

/** Moves datagrams between the two cores (each sees the other's canonical address) until quiet. */
function exchange(now: number, nodes: Record<string, CoapsAgentCore>, events: Record<string, AgentEvent[]>): void {
  for (let round = 0; round < 30; round++) {
    let moved = false;
    for (const [from, core] of Object.entries(nodes)) {
      for (let d = core.pollTransmit(); d !== undefined; d = core.pollTransmit()) {
        const to = canonicalAddress(d.address);
        if (to !== undefined && nodes[to] !== undefined) { nodes[to]!.handleDatagram(now, from, 5684, d.bytes); moved = true; }
      }
      for (let e = core.pollEvent(); e !== undefined; e = core.pollEvent()) events[from]!.push(e);
    }
    if (!moved) break;
  }
}

for (const written of ["fdde:ad00:beef::1", "FDDE:AD00:BEEF:0:0:0:0:1", "fdde:ad00:beef:0000:0000:0000:0000:0001"]) {
  test(`connect("${written}") reaches the peer whose datagrams arrive as ${S}`, (t) => {
    const nodes = { [S]: node(1), [C]: node(2) };
    const events: Record<string, AgentEvent[]> = { [S]: [], [C]: [] };
    t.is(nodes[C]!.connect(0, written, 5684), 0);
    exchange(0, nodes, events);
    t.deepEqual(events[C], [{ kind: "connected" }]);
    t.deepEqual(events[S], [{ kind: "connected" }]);
  });
}
