// Hostile input against DtlsSession/C engine: random bytes, truncated and replayed records,
// a ClientHello flood from spoofed transport ids, cookies replayed from another address.
import test from "ava";
import { TimedDtlsSession } from "../../src/dtls/timed-session.js";
import { transportIdOf } from "../../src/dtls/transport-id.js";
import { napiDtlsBinding } from "../../host-sim/dtls-napi.js";
import { VirtualTime, seeded } from "./helpers/virtual-time.js";
import { makePair, psk, ascii, text, CLIENT_ADDR } from "./helpers/pair.js";
import { x509 } from "./helpers/credentials.js";
import { alertsIn, handshakeTypesIn } from "../helpers/dtls-records.js";
import type { DtlsCredentials } from "../../src/platform/dtls-binding.js";

function randomBytes(rand: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
  return b;
}

interface Listener {
  session: TimedDtlsSession<string>;
  out: { to: string; bytes: Uint8Array }[];
  accepted: string[];
  closed: string[];
}

function listener(time: VirtualTime, credentials: DtlsCredentials = psk("secretPSK")): Listener {
  const l = { out: [], accepted: [], closed: [] } as unknown as Listener;
  l.session = new TimedDtlsSession<string>({
    binding: napiDtlsBinding, clock: time, timers: time, role: "server", credentials,
    send: (bytes, to) => l.out.push({ to, bytes }),
    events: { onAccepted: (p) => l.accepted.push(p), onClosed: (_reason, error) => l.closed.push(error) },
  });
  return l;
}

function firstClientHello(time: VirtualTime, credentials: DtlsCredentials = psk("secretPSK")): Uint8Array {
  let hello: Uint8Array | undefined;
  const c = new TimedDtlsSession<string>({
    binding: napiDtlsBinding, clock: time, timers: time, role: "client", credentials,
    peer: "server", send: (d) => { hello ??= d; },
  });
  c.close();
  if (!hello) throw new Error("client sent no ClientHello");
  return hello;
}

test("random datagrams from random peers leave a listening server silent and stateless", (t) => {
  const time = new VirtualTime();
  const rand = seeded(11);
  const l = listener(time);
  for (let i = 0; i < 2000; i++) {
    const bytes = randomBytes(rand, 1 + Math.floor(rand() * 300));
    if (i % 2 === 0) { bytes[0] = 22; bytes[1] = 0xfe; bytes[2] = 0xfd; } // look like DTLS 1.2 handshake records
    l.session.receive(bytes, `peer${i}`, transportIdOf(`10.0.${i >> 8}.${i & 255}`, 5684));
  }
  t.is(l.session.state, "listening");
  t.deepEqual(l.accepted, []);
  t.is(l.out.length, 0);
  t.is(time.pending(), 0, "no timer, so no per-peer state");
});

test("a flood of ClientHellos from 10,000 spoofed transport ids gets only HelloVerifyRequests, then a real client connects", (t) => {
  const time = new VirtualTime();
  const hello = firstClientHello(time);
  const l = listener(time);
  for (let i = 0; i < 10_000; i++) {
    l.session.receive(hello, `spoof${i}`, transportIdOf(`fd00::${(i + 1).toString(16)}`, 5684));
  }
  t.is(l.session.state, "listening");
  t.deepEqual(l.accepted, []);
  t.is(l.out.length, 10_000);
  t.true(l.out.every((o, i) => o.to === `spoof${i}` && o.bytes[0] === 22 && o.bytes[13] === 3), "each got one HelloVerifyRequest");
  t.is(time.pending(), 0);

  // Now a legitimate client through the same listening session.
  let serverSide: Listener = l;
  const client = new TimedDtlsSession<string>({
    binding: napiDtlsBinding, clock: time, timers: time, role: "client", credentials: psk("secretPSK"),
    peer: "server",
    send: (d) => time.set(() => serverSide.session.receive(d, "legit", transportIdOf(CLIENT_ADDR, 5684)), 1),
  });
  l.out.length = 0;
  const relay = () => { for (const o of l.out.splice(0)) if (o.to === "legit") time.set(() => client.receive(o.bytes, "server"), 1); };
  time.advance(1000, () => { relay(); return client.state === "connected" && serverSide.session.state === "connected"; });
  relay();
  time.advance(100);
  t.is(client.state, "connected");
  t.is(serverSide.session.state, "connected");
  t.deepEqual(l.accepted, ["legit"]);
  serverSide = l;
});

for (const [hello, server] of [["an x509", "PSK"], ["a PSK", "certificate"]] as const) {
  test(`${hello} ClientHello (no suite in common) from 1,000 spoofed transport ids gets HelloVerifyRequests only: a ${server} server stays listening, traceless`, (t) => {
    const time = new VirtualTime();
    const mine = server === "PSK" ? psk("secretPSK") : x509(true);
    const hello = firstClientHello(time, server === "PSK" ? x509(true) : psk("secretPSK"));
    const l = listener(time, mine);
    for (let i = 0; i < 1000; i++) l.session.receive(hello, `spoof${i}`, transportIdOf(`fd00::${(i + 1).toString(16)}`, 5684));
    t.is(l.session.state, "listening");
    t.deepEqual(l.accepted, []);
    t.deepEqual(l.closed, [], "no HandshakeFailure: the listener lives on");
    t.is(l.out.length, 1000);
    t.true(l.out.every((o, i) => o.to === `spoof${i}`), "each answer goes to the claimed sender");
    t.true(l.out.every((o) => handshakeTypesIn(o.bytes).join() === "3" && alertsIn(o.bytes).length === 0), "a HelloVerifyRequest, no alert");
    t.is(time.pending(), 0, "no timer, so no per-peer state");
  });
}

test("the HelloVerifyRequest answering a hello with no suite in common is laid out as mbedTLS's own: only the cookie may differ", (t) => {
  const time = new VirtualTime();
  const l = listener(time);
  const id = transportIdOf("fd00::a", 5684);
  l.session.receive(firstClientHello(time), "A", id); // mbedTLS writes this one
  l.session.receive(firstClientHello(time, x509(true)), "A", id); // the engine writes this one
  const [theirs, ours] = l.out.map((o) => o.bytes) as [Uint8Array, Uint8Array];
  t.is(ours.length, theirs.length);
  const cookieAt = 13 + 12 + 3; // record header, handshake header, server_version + cookie length
  t.deepEqual([...ours.subarray(0, cookieAt)], [...theirs.subarray(0, cookieAt)]);
});

test("a real mismatched peer answers the HelloVerifyRequest; its cookie-bearing hello fails the server with a handshake_failure alert", (t) => {
  const time = new VirtualTime();
  const l = listener(time);
  const id = transportIdOf("fd00::a", 5684);
  const clientOut: Uint8Array[] = [];
  let clientClosed = "";
  const client = new TimedDtlsSession<string>({
    binding: napiDtlsBinding, clock: time, timers: time, role: "client", credentials: x509(true),
    peer: "server", send: (d) => clientOut.push(d), events: { onClosed: (_r, e) => { clientClosed = e; } },
  });
  l.session.receive(clientOut.shift()!, "A", id);
  t.is(l.session.state, "listening");
  client.receive(l.out.shift()!.bytes, "server");
  const withCookie = clientOut.shift()!;
  // The same cookie from another port proves nothing: a fresh HelloVerifyRequest, no failure.
  l.session.receive(withCookie, "B", transportIdOf("fd00::a", 5685));
  t.is(l.session.state, "listening");
  t.deepEqual(handshakeTypesIn(l.out.shift()!.bytes), [3]);
  l.session.receive(withCookie, "A", id);
  t.is(l.session.state, "failed");
  t.deepEqual(l.closed, ["HandshakeFailure"]);
  t.deepEqual(l.accepted, ["A"], "reported accepted, then closed: the peer uses a connection attempt (spec §8.1)");
  t.is(l.session.peer, "A");
  const alert = l.out.shift()!;
  t.is(alert.to, "A");
  t.deepEqual(alertsIn(alert.bytes), [[2, 40]], "fatal handshake_failure");
  client.receive(alert.bytes, "server");
  t.is(clientClosed, "HandshakeFailure");
});

test("a cookie earned by one address and port is refused from another", (t) => {
  const time = new VirtualTime();
  const l = listener(time);
  const fromA = transportIdOf("fd00::a", 5684);
  const fromB = transportIdOf("fd00::a", 5685);
  const clientOut: Uint8Array[] = [];
  const client = new TimedDtlsSession<string>({
    binding: napiDtlsBinding, clock: time, timers: time, role: "client", credentials: psk("secretPSK"),
    peer: "server", send: (d) => clientOut.push(d),
  });
  l.session.receive(clientOut.shift()!, "A", fromA); // ClientHello without cookie
  const hvr = l.out.shift()!;
  client.receive(hvr.bytes, "server");
  const helloWithCookie = clientOut.shift()!;
  l.session.receive(helloWithCookie, "B", fromB); // same cookie, other port
  t.is(l.session.state, "listening");
  t.deepEqual(l.accepted, []);
  t.is(l.out.length, 1, "B only gets a fresh HelloVerifyRequest");
  l.out.length = 0;
  l.session.receive(helloWithCookie, "A", fromA);
  t.deepEqual(l.accepted, ["A"]);
  t.is(l.session.state, "handshaking");
  t.true(l.out.length >= 1 && l.out.every((o) => o.to === "A"));
});

test("random, truncated and replayed records do not disturb a connected session", (t) => {
  const time = new VirtualTime();
  const rand = seeded(5);
  const { client: c2, server: s2 } = makePair(time, psk("secretPSK"), psk("secretPSK"));
  time.advance(1000);
  t.is(s2.session.state, "connected");
  // Watch the wire into the server to capture one real application record.
  const wire: Uint8Array[] = [];
  const origReceive = s2.session.receive.bind(s2.session);
  let hold = false; // when set, the server's wire is captured but not delivered
  s2.session.receive = (d, from, id) => { wire.push(d); if (!hold) origReceive(d, from, id); };
  c2.session.send(ascii("watched"));
  time.advance(100);
  t.deepEqual(s2.data.map(text), ["watched"]);
  const record = wire[wire.length - 1]!;
  const id = transportIdOf(CLIENT_ADDR, 5684);

  // Replay: anti-replay drops the copy.
  origReceive(record, CLIENT_ADDR, id);
  t.deepEqual(s2.data.map(text), ["watched"]);
  // Truncated at every length: dropped.
  for (let n = 0; n < record.length; n++) origReceive(record.subarray(0, n), CLIENT_ADDR, id);
  // Bit flips in the ciphertext: bad MAC after the handshake is dropped silently in DTLS.
  for (let i = 13; i < record.length; i++) {
    const copy = record.slice();
    copy[i]! ^= 0x40;
    origReceive(copy, CLIENT_ADDR, id);
  }
  // Random junk.
  for (let i = 0; i < 2000; i++) origReceive(randomBytes(rand, 1 + Math.floor(rand() * 200)), CLIENT_ADDR, id);
  t.is(s2.session.state, "connected");
  t.deepEqual(s2.data.map(text), ["watched"]);
  c2.session.send(ascii("still fine"));
  s2.session.send(ascii("both ways"));
  time.advance(100);
  t.deepEqual(s2.data.map(text), ["watched", "still fine"]);
  t.deepEqual(c2.data.map(text), ["both ways"]);
  // A different peer's datagram is ignored by a server bound to its client. The intruder's
  // record is fresh and valid (made by the real client engine, never seen by the server), so
  // only the peer check, not anti-replay or the MAC, can keep it out.
  hold = true;
  c2.session.send(ascii("from intruder"));
  time.advance(100);
  hold = false;
  const fresh = wire[wire.length - 1]!;
  t.not(fresh, record);
  origReceive(fresh, "intruder", transportIdOf("fd00::bad", 1));
  time.advance(100);
  t.is(s2.session.state, "connected");
  t.deepEqual(s2.data.map(text), ["watched", "still fine"], "the intruder's record is not delivered");
  t.is(s2.session.peer, CLIENT_ADDR);
  // The same record from the real peer is accepted: it was valid, only its sender was wrong.
  origReceive(fresh, CLIENT_ADDR, id);
  time.advance(100);
  t.deepEqual(s2.data.map(text), ["watched", "still fine", "from intruder"]);
});

test("random datagrams to a handshaking client do not break its handshake", (t) => {
  const time = new VirtualTime();
  const rand = seeded(9);
  const { client, server } = makePair(time, psk("secretPSK"), psk("secretPSK"));
  for (let i = 0; i < 500; i++) client.session.receive(randomBytes(rand, 1 + Math.floor(rand() * 100)), "junk");
  time.advance(1000);
  t.is(client.session.state, "connected");
  t.is(server.session.state, "connected");
});

test("a new ClientHello from the peer of a live session is discarded and the session stays (no client port reuse)", (t) => {
  const time = new VirtualTime();
  const { client, server } = makePair(time, psk("secretPSK"), psk("secretPSK"));
  time.advance(1000);
  t.is(server.session.state, "connected");
  // The peer "reboots": a fresh client on the same address and port says hello again.
  const hello = firstClientHello(time);
  const sentBefore = server.sent;
  server.session.receive(hello, CLIENT_ADDR, transportIdOf(CLIENT_ADDR, 5684));
  time.advance(100);
  t.is(server.session.state, "connected");
  t.is(server.sent, sentBefore, "no HelloVerifyRequest, no alert");
  client.session.send(ascii("still here"));
  time.advance(100);
  t.deepEqual(server.data.map(text), ["still here"]);
});
