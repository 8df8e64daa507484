// Server behaviour (spec §5, §6.1, §7.1): responses, duplicate cache, 4.04, Uri-Path joining.
import test from "ava";
import { CoapCode, CoapType } from "../../src/coap/numbers.js";
import type { CoapMessage } from "../../src/coap/message.js";
import { encodeMessage } from "../../src/coap/encode.js";
import { setUriPath } from "../../src/coap/options.js";
import type { EndpointEvent } from "../../src/coap/endpoint.js";
import { endpoint, events, pair, run, sent, transmits } from "./helpers/endpoint-harness.js";

const E = new Uint8Array(0);
function req(type: CoapType, code: number, messageId: number, path: string, payload = E, token = Uint8Array.of(0xaa, 0xbb)): Uint8Array {
  const m: CoapMessage = { type, code, messageId, token, options: [], payload };
  setUriPath(m.options, path);
  return encodeMessage(m);
}
function server(seed = 1) {
  const ep = endpoint(seed);
  ep.registerResource("test-resource");
  return ep;
}
function answer(e: EndpointEvent | undefined, payload = Uint8Array.of(0x30)): void {
  if (e?.kind !== "request") throw new Error(`expected a request event, got ${e?.kind}`);
  e.respond({ code: e.method === "GET" ? CoapCode.CONTENT : CoapCode.CHANGED, payload: e.method === "GET" ? payload : E });
}

test("a request for the resource is reported with method, path, payload and type", (t) => {
  const ep = server();
  ep.handleDatagram(0, req(CoapType.NON, CoapCode.GET, 0x100, "test-resource", Uint8Array.of(0x61, 0x62, 0x63)), "peer-a");
  const [e] = events(ep);
  t.true(e?.kind === "request");
  if (e?.kind !== "request") return;
  t.is(e.method, "GET");
  t.is(e.path, "test-resource");
  t.deepEqual([...e.payload], [0x61, 0x62, 0x63]);
  t.is(e.type, CoapType.NON);
  t.is(e.peer, "peer-a");
});

for (const type of [CoapType.CON, CoapType.NON]) {
  test(`the response to a ${type === 0 ? "CON" : "NON"} GET is an ACK with the request's Message ID and token`, (t) => {
    const ep = server();
    ep.handleDatagram(0, req(type, CoapCode.GET, 0x1234, "test-resource"));
    answer(events(ep)[0]);
    const [resp] = sent(ep);
    t.is(resp?.type, CoapType.ACK);
    t.is(resp?.code, CoapCode.CONTENT);
    t.is(resp?.messageId, 0x1234);
    t.deepEqual([...resp!.token], [0xaa, 0xbb]);
    t.deepEqual([...resp!.payload], [0x30]);
    const [sentEvent] = events(ep);
    t.true(sentEvent?.kind === "responseSent" && !sentEvent.dropped);
  });
}

test("a method code other than GET/POST/PUT/DELETE is reported as Undefined", (t) => {
  const ep = server();
  ep.handleDatagram(0, req(CoapType.CON, 0x05, 1, "test-resource"));
  const [e] = events(ep);
  t.true(e?.kind === "request" && e.method === "Undefined");
});

test("a request can be answered only once", (t) => {
  const ep = server();
  ep.handleDatagram(0, req(CoapType.CON, CoapCode.GET, 1, "test-resource"));
  const [e] = events(ep);
  if (e?.kind !== "request") return t.fail();
  t.true(e.respond({ code: CoapCode.CONTENT }));
  t.false(e.respond({ code: CoapCode.CONTENT }));
  t.is(sent(ep).length, 1);
});

test("a duplicate CON gets the cached response again and no new request event", (t) => {
  const ep = server();
  const bytes = req(CoapType.CON, CoapCode.PUT, 0x77, "test-resource", Uint8Array.of(1));
  ep.handleDatagram(0, bytes);
  answer(events(ep)[0]);
  const first = sent(ep);
  events(ep);
  ep.handleDatagram(3000, bytes);
  t.deepEqual(events(ep), []);
  const again = sent(ep);
  t.is(again.length, 1);
  t.deepEqual(again, first);
});

test("a duplicate that arrives before the app answered is dropped", (t) => {
  const ep = server();
  const bytes = req(CoapType.CON, CoapCode.GET, 0x78, "test-resource");
  ep.handleDatagram(0, bytes);
  ep.handleDatagram(1, bytes);
  t.is(events(ep).length, 1);
  t.deepEqual(sent(ep), []);
});

test("the duplicate cache holds 10 responses: the 11th pushes out the oldest", (t) => {
  const ep = server();
  for (let mid = 1; mid <= 11; mid++) {
    ep.handleDatagram(mid, req(CoapType.CON, CoapCode.GET, mid, "test-resource"));
    answer(events(ep)[0]);
    events(ep);
  }
  sent(ep);
  ep.handleDatagram(100, req(CoapType.CON, CoapCode.GET, 2, "test-resource"));
  t.deepEqual(events(ep), [], "MID 2 is still cached");
  t.is(sent(ep).length, 1);
  ep.handleDatagram(100, req(CoapType.CON, CoapCode.GET, 1, "test-resource"));
  t.is(events(ep)[0]?.kind, "request", "MID 1 was evicted, so it is a new request");
});

test("a cached response expires after EXCHANGE_LIFETIME, 247 s", (t) => {
  const ep = server();
  const bytes = req(CoapType.CON, CoapCode.GET, 0x99, "test-resource");
  ep.handleDatagram(1000, bytes);
  answer(events(ep)[0]);
  events(ep); sent(ep);
  ep.handleDatagram(1000 + 246_999, bytes);
  t.deepEqual(events(ep), []);
  t.is(sent(ep).length, 1);
  ep.handleDatagram(1000 + 247_000, bytes);
  t.is(events(ep)[0]?.kind, "request");
});

test("a NON request the app never answers holds its Message ID for NON_LIFETIME, 145 s, then a new request may reuse it", (t) => {
  const ep = server();
  ep.handleDatagram(1000, req(CoapType.NON, CoapCode.PUT, 0x42, "test-resource", Uint8Array.of(1)));
  t.is(events(ep)[0]?.kind, "request"); // never answered
  ep.handleDatagram(1000 + 144_999, req(CoapType.CON, CoapCode.GET, 0x42, "test-resource"));
  t.deepEqual(events(ep), [], "still a duplicate");
  t.deepEqual(sent(ep), []);
  ep.handleDatagram(1000 + 145_000, req(CoapType.CON, CoapCode.GET, 0x42, "test-resource"));
  const [e] = events(ep);
  t.true(e?.kind === "request" && e.method === "GET");
  answer(e);
  t.is(sent(ep)[0]?.code, CoapCode.CONTENT);
});

test("a CON request the app never answers drops its retransmissions for EXCHANGE_LIFETIME, 247 s, then is forgotten", (t) => {
  const ep = server();
  const bytes = req(CoapType.CON, 0x05, 0x43, "test-resource");
  ep.handleDatagram(1000, bytes);
  t.true(events(ep)[0]?.kind === "request");
  for (const at of [3000, 9000, 45_000, 1000 + 246_999]) {
    ep.handleDatagram(at, bytes);
    t.deepEqual(events(ep), [], `a duplicate at ${at} ms`);
  }
  t.deepEqual(sent(ep), []);
  ep.handleDatagram(1000 + 247_000, bytes);
  const [e] = events(ep);
  t.true(e?.kind === "request" && e.method === "Undefined");
});

test("the duplicate cache is per peer", (t) => {
  const ep = server();
  ep.handleDatagram(0, req(CoapType.CON, CoapCode.GET, 5, "test-resource"), "p1");
  answer(events(ep)[0]);
  events(ep); sent(ep);
  ep.handleDatagram(1, req(CoapType.CON, CoapCode.GET, 5, "test-resource"), "p2");
  t.is(events(ep)[0]?.kind, "request");
});

test("an unknown URI in a CON gets an ACK 4.04 with the same Message ID, and nothing is reported", (t) => {
  const ep = server();
  ep.handleDatagram(0, req(CoapType.CON, CoapCode.GET, 0x4321, "nothere"));
  const [resp] = sent(ep);
  t.is(resp?.type, CoapType.ACK);
  t.is(resp?.code, CoapCode.NOT_FOUND);
  t.is(resp?.messageId, 0x4321);
  t.deepEqual([...resp!.token], [0xaa, 0xbb]);
  t.is(resp?.payload.length, 0);
  t.deepEqual(events(ep), []);
});

test("an unknown URI in a NON gets a NON 4.04 with a new Message ID and the same token", (t) => {
  const ep = server();
  ep.request(0, { method: "PUT", path: "x", confirmable: false });
  const own = sent(ep)[0]!.messageId;
  ep.handleDatagram(0, req(CoapType.NON, CoapCode.DELETE, 0x4321, "nothere"));
  const [resp] = sent(ep);
  t.is(resp?.type, CoapType.NON);
  t.is(resp?.code, CoapCode.NOT_FOUND);
  t.is(resp?.messageId, (own + 1) & 0xffff);
  t.deepEqual([...resp!.token], [0xaa, 0xbb]);
  t.deepEqual(events(ep), []);
});

test("a NON DELETE to an unknown URI: the client answers the server's NON 4.04 with a Reset and reports nothing (T7)", (t) => {
  const p = pair(3);
  p.server.registerResource("test-resource");
  p.client.request(0, { method: "DELETE", path: "nothere", confirmable: false });
  run(p);
  t.deepEqual(p.log.map((l) => [l.from, l.msg.type, l.msg.code]), [
    ["client", CoapType.NON, CoapCode.DELETE], ["server", CoapType.NON, CoapCode.NOT_FOUND], ["client", CoapType.RST, 0]]);
  t.is(p.log[2]!.msg.messageId, p.log[1]!.msg.messageId);
  t.deepEqual(p.clientEvents, []);
  t.deepEqual(p.serverEvents, []);
});

test("a NON GET with a payload is answered as an ACK and the client accepts it (T7)", (t) => {
  const p = pair(4);
  p.server.registerResource("test-resource");
  p.client.request(0, { method: "GET", path: "test-resource", confirmable: false, payload: Uint8Array.of(0x61, 0x62, 0x63) });
  run(p);
  t.deepEqual(p.log.map((l) => l.msg.type), [CoapType.NON, CoapType.ACK]);
  t.is(p.clientEvents[0]?.kind, "response");
  t.is(p.client.pollTimeout(), undefined);
});

for (const [sentPath, matches] of [["/abc", true], ["abc", true], ["//abc", true], ["abc/", false], ["a//bc", false], ["ab/c", false]] as const) {
  test(`Uri-Path "${sentPath}" ${matches ? "matches" : "does not match"} resource "abc"`, (t) => {
    const ep = endpoint(5);
    ep.registerResource("abc");
    ep.handleDatagram(0, req(CoapType.CON, CoapCode.GET, 1, sentPath));
    const e = events(ep);
    if (matches) t.true(e[0]?.kind === "request" && e[0].path === "abc");
    else { t.deepEqual(e, []); t.is(sent(ep)[0]?.code, CoapCode.NOT_FOUND); }
  });
}

test("empty segments inside a path stay: resource a//b is reached only by a//b", (t) => {
  const ep = endpoint(6);
  ep.registerResource("a//b");
  ep.handleDatagram(0, req(CoapType.CON, CoapCode.GET, 1, "a/b"));
  t.deepEqual(events(ep), []);
  ep.handleDatagram(0, req(CoapType.CON, CoapCode.GET, 2, "a//b"));
  t.is(events(ep)[0]?.kind, "request");
});

test("after unregisterResource the path answers 4.04", (t) => {
  const ep = server();
  t.true(ep.unregisterResource("test-resource"));
  ep.handleDatagram(0, req(CoapType.CON, CoapCode.GET, 1, "test-resource"));
  t.deepEqual(events(ep), []);
  t.is(sent(ep)[0]?.code, CoapCode.NOT_FOUND);
});

test("a response over the size limit is dropped silently but still reported as sent (a POST's: a GET's goes block-wise)", (t) => {
  const ep = endpoint(7, { maxMessageSize: 100 });
  ep.registerResource("big");
  ep.handleDatagram(0, req(CoapType.CON, CoapCode.POST, 1, "big"));
  const [request] = events(ep);
  if (request?.kind !== "request") throw new Error("expected a request");
  request.respond({ code: CoapCode.CHANGED, payload: new Uint8Array(200) });
  t.deepEqual(sent(ep), []);
  const [e] = events(ep);
  t.true(e?.kind === "responseSent" && e.dropped);
});

test("abortAll forgets the duplicate cache of the session", (t) => {
  const ep = server();
  const bytes = req(CoapType.CON, CoapCode.GET, 0x55, "test-resource");
  ep.handleDatagram(0, bytes);
  answer(events(ep)[0]);
  events(ep); sent(ep);
  ep.abortAll();
  ep.handleDatagram(10, bytes);
  t.is(events(ep)[0]?.kind, "request");
});

test("responseSent carries the very bytes pollTransmit hands out, so a host can tell which send failed (coaps send response error)", (t) => {
  const ep = server();
  ep.handleDatagram(0, req(CoapType.CON, CoapCode.GET, 0x77, "test-resource"));
  answer(events(ep)[0]);
  const [out] = transmits(ep);
  const [e] = events(ep);
  t.true(e?.kind === "responseSent" && e.bytes === out!.bytes);
});
