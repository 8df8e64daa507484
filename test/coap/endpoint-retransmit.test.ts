// CON retransmission and give-up timers (spec §7.2), NON timers, Message IDs and tokens (§6.1).
import test from "ava";
import { CoapCode, CoapType } from "../../src/coap/numbers.js";
import { emptyMessage } from "../../src/coap/message.js";
import { encodeMessage } from "../../src/coap/encode.js";
import { endpoint, events, pair, run, sent, transmits } from "./helpers/endpoint-harness.js";

function lostConTimeline(seed: number) {
  const p = pair(seed);
  p.drop = () => true; // the server went silent
  p.client.request(0, { method: "PUT", path: "r", confirmable: true, payload: Uint8Array.of(0x78) });
  run(p);
  return p;
}

for (const seed of [1, 2, 3, 4, 5]) {
  test(`a lost CON is retransmitted at T0, 3·T0, 7·T0, 15·T0 and gives up at 31·T0 (seed ${seed})`, (t) => {
    const p = lostConTimeline(seed);
    const times = p.log.map((l) => l.at);
    t.is(times.length, 5);
    t.is(times[0], 0);
    const t0 = times[1]!;
    t.true(t0 >= 2000 && t0 <= 3000, `T0 = ${t0}`);
    t.deepEqual(times, [0, t0, 3 * t0, 7 * t0, 15 * t0]);
    t.deepEqual(p.clientEvents.map((e) => e.kind), ["requestFailed"]);
    const failed = p.clientEvents[0];
    t.true(failed?.kind === "requestFailed" && failed.reason === "ResponseTimeout");
    t.is(p.now, 31 * t0);
  });
}

test("T0 is drawn anew per request and spans the range 2000–3000 ms", (t) => {
  const t0s = new Set<number>();
  for (let seed = 10; seed < 40; seed++) t0s.add(lostConTimeline(seed).log[1]!.at);
  t.true(t0s.size > 20);
  for (const v of t0s) t.true(v >= 2000 && v <= 3000);
});

test("retransmissions reuse the Message ID, token and bytes of the original", (t) => {
  const p = lostConTimeline(3);
  const first = p.log[0]!.msg;
  for (const l of p.log) {
    t.is(l.msg.messageId, first.messageId);
    t.deepEqual([...l.msg.token], [...first.token]);
    t.deepEqual([...l.msg.payload], [0x78]);
  }
});

test("no request fails before its deadline: handleTimeout just before 31·T0 does nothing", (t) => {
  const ep = endpoint(4);
  ep.request(0, { method: "GET", path: "x", confirmable: true });
  const [first] = transmits(ep);
  t.truthy(first);
  const t0 = ep.pollTimeout()!;
  ep.handleTimeout(t0 - 1);
  t.deepEqual(transmits(ep), []);
  ep.handleTimeout(31 * t0 - 1);
  t.deepEqual(events(ep), []);
  ep.handleTimeout(31 * t0);
  t.deepEqual(events(ep).map((e) => e.kind), ["requestFailed"]);
});

test("an empty ACK stops retransmission but the 31·T0 deadline still applies to the separate response", (t) => {
  const ep = endpoint(5);
  ep.request(0, { method: "GET", path: "x", confirmable: true });
  const [req] = sent(ep);
  const t0 = ep.pollTimeout()!;
  ep.handleDatagram(100, encodeMessage(emptyMessage(CoapType.ACK, req!.messageId)));
  t.is(ep.pollTimeout(), 31 * t0);
  ep.handleTimeout(20 * t0);
  t.deepEqual(sent(ep), []);
  ep.handleTimeout(31 * t0);
  const [failed] = events(ep);
  t.true(failed?.kind === "requestFailed" && failed.reason === "ResponseTimeout");
});

test("after an empty ACK, a separate CON response is acknowledged and reported", (t) => {
  const ep = endpoint(6);
  const id = ep.request(0, { method: "GET", path: "x", confirmable: true });
  const [req] = sent(ep);
  ep.handleDatagram(10, encodeMessage(emptyMessage(CoapType.ACK, req!.messageId)));
  ep.handleDatagram(5000, encodeMessage({ type: CoapType.CON, code: CoapCode.CONTENT, messageId: 0x4242, token: req!.token, options: [], payload: Uint8Array.of(1) }));
  const [ack] = sent(ep);
  t.is(ack?.type, CoapType.ACK);
  t.is(ack?.code, CoapCode.EMPTY);
  t.is(ack?.messageId, 0x4242);
  const [resp] = events(ep);
  t.true(resp?.kind === "response" && resp.requestId === id && resp.payload[0] === 1);
  t.is(ep.pollTimeout(), undefined);
});

test("a NON GET is never retransmitted and gives up after exactly 93 000 ms", (t) => {
  const p = pair(8);
  p.drop = () => true;
  p.now = 500;
  p.client.request(500, { method: "GET", path: "test-resource", confirmable: false });
  run(p);
  t.is(p.log.length, 1);
  t.is(p.log[0]!.msg.type, CoapType.NON);
  t.is(p.now, 500 + 93_000);
  const [failed] = p.clientEvents;
  t.true(failed?.kind === "requestFailed" && failed.reason === "ResponseTimeout");
});

for (const method of ["PUT", "POST", "DELETE"] as const) {
  test(`a NON ${method} is fire-and-forget: nothing pending, no timer, no event`, (t) => {
    const ep = endpoint(9);
    ep.request(0, { method, path: "r", confirmable: false, payload: Uint8Array.of(1) });
    const [msg] = sent(ep);
    t.is(msg?.type, CoapType.NON);
    t.is(ep.pendingRequests, 0);
    t.is(ep.pollTimeout(), undefined);
    ep.handleTimeout(1_000_000);
    t.deepEqual(events(ep), []);
  });
}

test("Message IDs start at a random value and go up by one per new CON or NON message", (t) => {
  const a = endpoint(11), b = endpoint(12);
  for (const ep of [a, b]) {
    ep.request(0, { method: "GET", path: "x", confirmable: true });
    ep.request(0, { method: "PUT", path: "x", confirmable: false });
    ep.request(0, { method: "GET", path: "x", confirmable: false });
  }
  const ida = sent(a).map((m) => m.messageId), idb = sent(b).map((m) => m.messageId);
  t.deepEqual(ida, [ida[0]!, (ida[0]! + 1) & 0xffff, (ida[0]! + 2) & 0xffff]);
  t.deepEqual(idb, [idb[0]!, (idb[0]! + 1) & 0xffff, (idb[0]! + 2) & 0xffff]);
  t.not(ida[0], idb[0]);
});

test("every request carries a 2-byte random token, distinct among outstanding requests", (t) => {
  const ep = endpoint(13);
  for (let i = 0; i < 50; i++) ep.request(0, { method: "GET", path: "x", confirmable: true });
  const tokens = sent(ep).map((m) => [...m.token].join(","));
  t.true(tokens.every((k) => k.split(",").length === 2));
  t.is(new Set(tokens).size, 50);
});

test("the request is split into one Uri-Path option per segment, empty segments included", (t) => {
  const ep = endpoint(14);
  ep.request(0, { method: "GET", path: "/a//b/", confirmable: true });
  const [msg] = sent(ep);
  t.deepEqual(msg!.options.map((o) => [o.number, String.fromCharCode(...o.value)]), [[11, ""], [11, "a"], [11, ""], [11, "b"], [11, ""]]);
});
