// CoapsAgentCore with `coaps sessions 2`, driven datagram by datagram (sans-IO, real DTLS):
// each slot's 2 s guard is its own. The guarded peer's datagrams reach nothing (§8.4, per
// peer) while another peer is answered; after the guard the same address and port may connect.
import test from "ava";
import { CoapsAgentCore } from "../../src/coaps/agent-core.js";
import { DtlsSession, transportIdOf } from "../../src/dtls/index.js";
import { loadDtlsBinding } from "../../host-sim/dtls-loader.js";
import { seededRandomSource } from "../../host-sim/prng.js";
import type { AgentEvent } from "../../src/coaps/types.js";

const dtls = await loadDtlsBinding();
const SERVER = { address: "fdde:ad00:beef:0:0:0:0:1", port: 5684 };
const A = { address: "fdde:ad00:beef:0:0:0:0:2", port: 5684 };
const B = { address: "fdde:ad00:beef:0:0:0:0:3", port: 5684 };
type Peer = typeof A;
const credentials = { mode: "psk" as const, key: new TextEncoder().encode("k"), identity: new TextEncoder().encode("id") };

function server(sessions: number): { core: CoapsAgentCore; events: AgentEvent[] } {
  const core = new CoapsAgentCore({ random: seededRandomSource(1, 1), dtls });
  t0(core.setMaxSessions(sessions));
  core.setPsk(0, credentials.key, credentials.identity);
  core.start(0, true, 0, () => {});
  return { core, events: [] };
}
function t0(result: number): void { if (result !== 0) throw new Error(`result ${result}`); }

const client = (now: number) => new DtlsSession<Peer>(now, { binding: dtls, role: "client", credentials, peer: SERVER });

/** Client datagrams to the core and back until quiet; returns how many datagrams the core sent to `who`. */
function exchange(now: number, core: CoapsAgentCore, who: Peer, c: DtlsSession<Peer>, events: AgentEvent[]): number {
  let toClient = 0;
  for (let round = 0; round < 20; round++) {
    let moved = false;
    for (let d = c.pollTransmit(); d !== undefined; d = c.pollTransmit()) { core.handleDatagram(now, who.address, who.port, d.bytes); moved = true; }
    for (let d = core.pollTransmit(); d !== undefined; d = core.pollTransmit()) {
      if (d.address === who.address && d.port === who.port) { toClient++; c.handleDatagram(now, SERVER, d.bytes, transportIdOf(SERVER.address, SERVER.port)); moved = true; }
    }
    for (let e = core.pollEvent(); e !== undefined; e = core.pollEvent()) events.push(e);
    if (!moved) break;
  }
  return toClient;
}

test("a slot's guard ignores its own peer only: another peer is answered, and the same peer again after 2 s", (t) => {
  const { core, events } = server(2);
  const a = client(0);
  exchange(0, core, A, a, events);
  t.is(a.state, "connected");
  t.deepEqual(events.splice(0), [{ kind: "connected" }]);
  a.close(10); // close_notify: slot A enters its guard
  exchange(10, core, A, a, events);
  t.true(core.isConnectionActive());
  t.false(core.isConnected());
  t.is(exchange(20, core, A, client(20), events), 0, "the guarded peer's ClientHello reaches nothing");
  const b = client(30);
  t.true(exchange(30, core, B, b, events) > 0, "another peer is answered during A's guard");
  t.is(b.state, "connected");
  t.deepEqual(events.splice(0), [{ kind: "connected" }]);
  core.handleTimeout(2009);
  t.deepEqual(events.splice(0), [], "A's guard runs from its close at 10 ms");
  core.handleTimeout(2010);
  for (let e = core.pollEvent(); e !== undefined; e = core.pollEvent()) events.push(e);
  t.deepEqual(events.splice(0), [{ kind: "disconnected" }]);
  const again = client(2020);
  exchange(2020, core, A, again, events);
  t.is(again.state, "connected", "the freed slot takes A again");
  t.true(core.isConnected());
});

test("with both slots busy a third peer's ClientHello gets no answer at all (not even a cookie)", (t) => {
  const { core, events } = server(2);
  for (const who of [A, B]) { const c = client(0); exchange(0, core, who, c, events); t.is(c.state, "connected"); }
  t.is(exchange(5, core, { address: "fdde:ad00:beef:0:0:0:0:4", port: 5684 }, client(5), events), 0);
});
