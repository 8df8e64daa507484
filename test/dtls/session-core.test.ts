// The sans-IO DtlsSession: no socket, timer or callback; `now` in, datagrams/events/deadline
// out. Two sessions pumped by hand, as the agent core pumps its one.
import test from "ava";
import { DtlsSession, type DtlsSessionEvent } from "../../src/dtls/session.js";
import { transportIdOf } from "../../src/dtls/transport-id.js";
import { napiDtlsBinding } from "../../host-sim/dtls-napi.js";
import { psk, ascii, text, SERVER_ADDR, CLIENT_ADDR } from "./helpers/pair.js";
import { x509 } from "./helpers/credentials.js";
import type { DtlsCredentials } from "../../src/platform/dtls-binding.js";

const CLIENT_ID = transportIdOf(CLIENT_ADDR, 5684);

function drainEvents<P>(s: DtlsSession<P>): DtlsSessionEvent<P>[] {
  const out: DtlsSessionEvent<P>[] = [];
  for (let e = s.pollEvent(); e !== undefined; e = s.pollEvent()) out.push(e);
  return out;
}

/** Moves every queued datagram across (1 ms each way) until both sides are quiet. */
function exchange(now: number, client: DtlsSession<string>, server: DtlsSession<string>): number {
  for (let moved = true; moved;) {
    moved = false;
    for (let d = client.pollTransmit(); d !== undefined; d = client.pollTransmit()) {
      moved = true; now += 1; server.handleDatagram(now, CLIENT_ADDR, d.bytes, CLIENT_ID);
    }
    for (let d = server.pollTransmit(); d !== undefined; d = server.pollTransmit()) {
      moved = true; now += 1; client.handleDatagram(now, SERVER_ADDR, d.bytes);
    }
  }
  return now;
}

function pairAt(now: number, c: DtlsCredentials, s: DtlsCredentials) {
  const server = new DtlsSession<string>(now, { binding: napiDtlsBinding, role: "server", credentials: s });
  const client = new DtlsSession<string>(now, { binding: napiDtlsBinding, role: "client", credentials: c, peer: SERVER_ADDR });
  return { client, server };
}

test("the client's ClientHello is queued by the constructor, addressed to its peer, with a deadline 8 s later", (t) => {
  const client = new DtlsSession<string>(0, { binding: napiDtlsBinding, role: "client", credentials: psk("k"), peer: SERVER_ADDR });
  const hello = client.pollTransmit();
  t.is(hello?.to, SERVER_ADDR);
  t.is(hello?.bytes[0], 22, "a handshake record");
  t.is(client.pollTransmit(), undefined);
  t.is(client.pollTimeout(), 8000);
  t.deepEqual(drainEvents(client), []);
  client.close(0);
});

// The engine's clock starts at the session's `now`, not at 0: a late client's first
// retransmission is 8 s after it was made.
test("a client made at 5 s has its first retransmission deadline at 13 s", (t) => {
  const client = new DtlsSession<string>(5000, { binding: napiDtlsBinding, role: "client", credentials: psk("k"), peer: SERVER_ADDR });
  t.is(client.pollTimeout(), 13_000);
  client.close(5000);
});

test("a handshake pumped by hand reports accepted, connected and data as events, in order", (t) => {
  const { client, server } = pairAt(0, psk("secretPSK"), psk("secretPSK"));
  t.is(server.pollTimeout(), undefined, "a listener has no deadline");
  let now = exchange(0, client, server);
  t.deepEqual(drainEvents(server), [{ kind: "accepted", peer: CLIENT_ADDR }, { kind: "connected", cipherSuite: 0xc0a8 }]);
  t.deepEqual(drainEvents(client), [{ kind: "connected", cipherSuite: 0xc0a8 }]);
  t.is(client.pollTimeout(), undefined, "a connected session has no deadline");
  client.send(now, ascii("one"));
  client.send(now, ascii("two"));
  now = exchange(now, client, server);
  t.deepEqual(drainEvents(server).map((e) => (e.kind === "data" ? text(e.bytes) : e.kind)), ["one", "two"]);
  server.close(now);
  const notify = server.pollTransmit();
  t.truthy(notify, "close_notify is queued");
  t.deepEqual(drainEvents(server), [{ kind: "closed", reason: "local", error: "None" }]);
  t.true(server.ended);
  client.handleDatagram(now + 1, SERVER_ADDR, notify!.bytes);
  t.deepEqual(drainEvents(client), [{ kind: "closed", reason: "peer-closed", error: "PeerClosed" }]);
  // An ended session ignores everything and has nothing more to say.
  client.handleDatagram(now + 2, SERVER_ADDR, notify!.bytes);
  client.handleTimeout(now + 100_000);
  client.close(now + 3);
  t.is(client.pollTransmit(), undefined);
  t.is(client.pollEvent(), undefined);
  t.is(client.pollTimeout(), undefined);
});

test("handleTimeout retransmits at the deadline and fails the handshake at 116 s", (t) => {
  const client = new DtlsSession<string>(0, { binding: napiDtlsBinding, role: "client", credentials: psk("k"), peer: SERVER_ADDR });
  const sentAt: number[] = [];
  for (let now = 0; ;) {
    for (let d = client.pollTransmit(); d !== undefined; d = client.pollTransmit()) sentAt.push(now);
    const next = client.pollTimeout();
    if (next === undefined) break;
    client.handleTimeout(next - 1); // early: harmless
    t.is(client.pollTransmit(), undefined);
    now = next;
    client.handleTimeout(now);
  }
  t.deepEqual(sentAt, [0, 8000, 24000, 56000]);
  t.deepEqual(drainEvents(client), [{ kind: "closed", reason: "handshake-timeout", error: "HandshakeTimeout" }]);
});

test("§8.1: a PSK ClientHello at a certificate listener is accepted, then closed with handshake-failure", (t) => {
  const { client, server } = pairAt(0, psk("secretPSK"), x509(true));
  exchange(0, client, server);
  t.deepEqual(drainEvents(server), [
    { kind: "accepted", peer: CLIENT_ADDR },
    { kind: "closed", reason: "handshake-failure", error: "HandshakeFailure" },
  ]);
  t.is(server.peer, CLIENT_ADDR);
  t.deepEqual(drainEvents(client), [{ kind: "closed", reason: "handshake-failure", error: "HandshakeFailure" }]);
});

test("a listener that gets garbage stays listening and reports nothing", (t) => {
  const server = new DtlsSession<string>(0, { binding: napiDtlsBinding, role: "server", credentials: psk("k") });
  for (let i = 0; i < 50; i++) server.handleDatagram(i, `junk${i}`, Uint8Array.from({ length: 40 }, (_, j) => (i * 31 + j * 7) & 0xff), transportIdOf(`fd00::${i + 1}`, 5684));
  t.is(server.state, "listening");
  t.deepEqual(drainEvents(server), []);
  t.is(server.pollTransmit(), undefined);
});
