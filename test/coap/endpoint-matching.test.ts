// Response matching (spec §7.3), Resets, several outstanding requests and abortAll.
import test from "ava";
import { CoapCode, CoapType } from "../../src/coap/numbers.js";
import type { CoapMessage } from "../../src/coap/message.js";
import { emptyMessage } from "../../src/coap/message.js";
import { encodeMessage } from "../../src/coap/encode.js";
import { endpoint, events, pair, run, sent } from "./helpers/endpoint-harness.js";

const E = new Uint8Array(0);
const response = (type: CoapType, messageId: number, token: Uint8Array, payload = E): Uint8Array =>
  encodeMessage({ type, code: CoapCode.CONTENT, messageId, token, options: [], payload });

function oneRequest(seed: number, confirmable = true) {
  const ep = endpoint(seed);
  const id = ep.request(0, { method: "GET", path: "x", confirmable });
  const [req] = sent(ep);
  return { ep, id, req: req! };
}

test("a piggy-backed ACK with the right Message ID but another token is ignored", (t) => {
  const { ep, req } = oneRequest(1);
  ep.handleDatagram(10, response(CoapType.ACK, req.messageId, Uint8Array.of(req.token[0]! ^ 1, req.token[1]!)));
  t.deepEqual(events(ep), []);
  t.is(ep.pendingRequests, 1);
  t.deepEqual(sent(ep), []);
});

test("an ACK for an unknown Message ID is ignored, never answered", (t) => {
  const { ep, req } = oneRequest(2);
  ep.handleDatagram(10, response(CoapType.ACK, (req.messageId + 1) & 0xffff, req.token));
  ep.handleDatagram(10, encodeMessage(emptyMessage(CoapType.ACK, (req.messageId + 5) & 0xffff)));
  t.deepEqual(events(ep), []);
  t.deepEqual(sent(ep), []);
  t.is(ep.pendingRequests, 1);
});

test("a NON separate response is matched by token and not acknowledged", (t) => {
  const { ep, id, req } = oneRequest(3, false);
  ep.handleDatagram(10, response(CoapType.NON, 0x1111, req.token, Uint8Array.of(9)));
  t.deepEqual(sent(ep), []);
  const [r] = events(ep);
  t.true(r?.kind === "response" && r.requestId === id && r.payload[0] === 9);
});

test("a CON separate response that matches nothing is answered with a Reset", (t) => {
  const { ep, req } = oneRequest(4);
  ep.handleDatagram(10, response(CoapType.CON, 0x2222, Uint8Array.of(req.token[0]! ^ 0xff, 0)));
  const [rst] = sent(ep);
  t.is(rst?.type, CoapType.RST);
  t.is(rst?.code, CoapCode.EMPTY);
  t.is(rst?.messageId, 0x2222);
  t.deepEqual(events(ep), []);
});

test("a NON response that matches nothing is answered with a Reset", (t) => {
  const ep = endpoint(5);
  ep.handleDatagram(10, response(CoapType.NON, 0x3333, Uint8Array.of(1, 2)));
  const [rst] = sent(ep);
  t.is(rst?.type, CoapType.RST);
  t.is(rst?.messageId, 0x3333);
});

test("a response arriving after the request completed is treated as unmatched", (t) => {
  const { ep, req } = oneRequest(6);
  ep.handleDatagram(10, response(CoapType.ACK, req.messageId, req.token));
  events(ep);
  ep.handleDatagram(20, response(CoapType.NON, 0x4444, req.token));
  t.is(sent(ep)[0]?.type, CoapType.RST);
  t.deepEqual(events(ep), []);
});

test("an empty RST for a pending request ends it with Abort", (t) => {
  const { ep, id, req } = oneRequest(7);
  ep.handleDatagram(10, encodeMessage(emptyMessage(CoapType.RST, req.messageId)));
  const [failed] = events(ep);
  t.true(failed?.kind === "requestFailed" && failed.requestId === id && failed.reason === "Abort");
  t.is(ep.pendingRequests, 0);
  t.is(ep.pollTimeout(), undefined);
});

test("several outstanding requests are each matched to their own response, in any order", (t) => {
  const ep = endpoint(8);
  const ids = [0, 1, 2].map((i) => ep.request(0, { method: i === 1 ? "PUT" : "GET", path: `r${i}`, confirmable: i !== 2 }));
  const reqs = sent(ep);
  t.is(ep.pendingRequests, 3);
  const order = [2, 0, 1];
  for (const i of order) {
    const r = reqs[i]!;
    ep.handleDatagram(10, r.type === CoapType.CON
      ? response(CoapType.ACK, r.messageId, r.token, Uint8Array.of(i))
      : response(CoapType.NON, 0x5000 + i, r.token, Uint8Array.of(i)));
  }
  const got = events(ep).map((e) => (e.kind === "response" ? [e.requestId, e.payload[0]] : e.kind));
  t.deepEqual(got, order.map((i) => [ids[i], i]));
});

test("abortAll ends every pending request with Abort, oldest first, and cancels their timers", (t) => {
  const ep = endpoint(9);
  const a = ep.request(0, { method: "GET", path: "a", confirmable: true });
  const b = ep.request(0, { method: "GET", path: "b", confirmable: false });
  ep.request(0, { method: "PUT", path: "c", confirmable: false });
  ep.abortAll();
  const got = events(ep).map((e) => (e.kind === "requestFailed" ? [e.requestId, e.reason] : e.kind));
  t.deepEqual(got, [[a, "Abort"], [b, "Abort"]]);
  t.is(ep.pollTimeout(), undefined);
  ep.handleTimeout(1e9);
  t.deepEqual(events(ep), []);
});

test("abortAll with a peer key only aborts that peer's requests", (t) => {
  const ep = endpoint(10);
  const a = ep.request(0, { method: "GET", path: "a", confirmable: true, peer: "p1" });
  ep.request(0, { method: "GET", path: "b", confirmable: true, peer: "p2" });
  ep.abortAll("p1");
  const got = events(ep).map((e) => (e.kind === "requestFailed" ? e.requestId : -1));
  t.deepEqual(got, [a]);
  t.is(ep.pendingRequests, 1);
});

test("responses are matched per peer: another peer's ACK with the same Message ID is ignored", (t) => {
  const ep = endpoint(11);
  ep.request(0, { method: "GET", path: "a", confirmable: true, peer: "p1" });
  const [req] = sent(ep);
  ep.handleDatagram(10, response(CoapType.ACK, req!.messageId, req!.token), "p2");
  t.deepEqual(events(ep), []);
  ep.handleDatagram(10, response(CoapType.ACK, req!.messageId, req!.token), "p1");
  t.is(events(ep)[0]?.kind, "response");
});

test("a 4.04 from the server is reported like any other response", (t) => {
  const p = pair(12);
  p.client.request(0, { method: "GET", path: "nothere", confirmable: true });
  run(p);
  const [r] = p.clientEvents;
  t.true(r?.kind === "response" && r.code === CoapCode.NOT_FOUND && r.payload.length === 0);
  t.deepEqual(p.serverEvents, []);
});

test("a separate response to a lost piggy-back: after the deadline nothing is reported twice", (t) => {
  const { ep, req } = oneRequest(13);
  const msg = (m: CoapMessage) => encodeMessage(m);
  ep.handleDatagram(5, msg(emptyMessage(CoapType.ACK, req.messageId)));
  ep.handleTimeout(1e6);
  t.deepEqual(events(ep).map((e) => e.kind), ["requestFailed"]);
  ep.handleDatagram(1e6 + 1, response(CoapType.CON, 0x7777, req.token));
  t.is(sent(ep)[0]?.type, CoapType.RST);
  t.deepEqual(events(ep), []);
});
