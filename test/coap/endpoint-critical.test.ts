// RFC 7252 §5.4.1 (unrecognised critical options), §5.10.2 (Proxy-Uri) and §5.10.8 (If-Match,
// If-None-Match) at the endpoint: what is answered, what is ignored, and that none of it
// reaches the app as a request event.
import test from "ava";
import { CoapCode, CoapOptionNumber as O, CoapType } from "../../src/coap/numbers.js";
import type { CoapMessage, CoapOption } from "../../src/coap/message.js";
import { encodeMessage } from "../../src/coap/encode.js";
import { decodeMessage } from "../../src/coap/decode.js";
import { addOption, setUriPath } from "../../src/coap/options.js";
import type { CoapEndpoint, ResourceOptions } from "../../src/coap/endpoint.js";
import { endpoint, events, sent, transmits } from "./helpers/endpoint-harness.js";

const E = new Uint8Array(0);
const TOKEN = Uint8Array.of(0xaa, 0xbb);
const text = (b: Uint8Array): string => String.fromCharCode(...b);
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

function req(type: CoapType, options: readonly CoapOption[] = [], path = "r", code: number = CoapCode.GET, messageId = 0x1234): Uint8Array {
  const m: CoapMessage = { type, code, messageId, token: TOKEN, options: [], payload: E };
  setUriPath(m.options, path);
  for (const o of options) addOption(m.options, o.number, o.value);
  return encodeMessage(m);
}

function server(resource: ResourceOptions = {}): CoapEndpoint {
  const ep = endpoint(3);
  ep.registerResource("r", resource);
  return ep;
}

/** Feeds one datagram; answers any request event with 2.05; returns what went out and the events. */
function exchange(ep: CoapEndpoint, bytes: Uint8Array) {
  ep.handleDatagram(0, bytes, "peer");
  const evs = events(ep);
  for (const e of evs) if (e.kind === "request") e.respond({ code: CoapCode.CONTENT, payload: Uint8Array.of(0x30) });
  return { out: sent(ep), requests: evs.filter((e) => e.kind === "request").length };
}

for (const number of [9, 65001, 17]) {
  test(`a CON request with unrecognised critical option ${number} gets ACK 4.02 with a diagnostic payload, and no request event`, (t) => {
    const { out, requests } = exchange(server(), req(CoapType.CON, [{ number, value: Uint8Array.of(1) }]));
    t.is(requests, 0);
    t.is(out.length, 1);
    t.like(out[0], { type: CoapType.ACK, code: CoapCode.BAD_OPTION, messageId: 0x1234 });
    t.deepEqual([...out[0]!.token], [...TOKEN]);
    t.is(text(out[0]!.payload), `unrecognised critical option ${number}`);
  });

  test(`a NON request with unrecognised critical option ${number} is ignored: no answer, no Reset, no event`, (t) => {
    const { out, requests } = exchange(server(), req(CoapType.NON, [{ number, value: Uint8Array.of(1) }]));
    t.is(requests, 0);
    t.deepEqual(out, []);
  });
}

test("unrecognised elective options (even numbers) are ignored and the request is served", (t) => {
  const { out, requests } = exchange(server(), req(CoapType.CON, [{ number: 10, value: Uint8Array.of(1) }, { number: 65000, value: E }]));
  t.is(requests, 1);
  t.like(out[0], { type: CoapType.ACK, code: CoapCode.CONTENT });
});

test("the options the server acts on pass: Uri-Host, Uri-Port, Uri-Query, Block1/Block2 and empty If-Match", (t) => {
  const { out, requests } = exchange(server(), req(CoapType.CON, [
    { number: O.IF_MATCH, value: E }, { number: O.URI_HOST, value: ascii("node") }, { number: O.URI_PORT, value: Uint8Array.of(0x16, 0x34) },
    { number: O.URI_QUERY, value: ascii("a=1") }, { number: O.BLOCK2, value: E },
  ]));
  t.is(requests, 1);
  t.like(out[0], { code: CoapCode.CONTENT });
});

test("an unrecognised critical option is answered 4.02 before the path is looked up (no 4.04)", (t) => {
  const { out } = exchange(server(), req(CoapType.CON, [{ number: 9, value: E }], "missing"));
  t.like(out[0], { code: CoapCode.BAD_OPTION });
});

test("a retransmitted CON with an unrecognised critical option gets the same 4.02 again from the response cache", (t) => {
  const ep = server();
  const first = exchange(ep, req(CoapType.CON, [{ number: 9, value: E }]));
  const again = exchange(ep, req(CoapType.CON, [{ number: 9, value: E }]));
  t.deepEqual(again.out, first.out);
});

// Raw bytes: the encoder refuses these, a peer can still send them.
const CON_GET = "40011234"; // CON GET, MID 0x1234, no token; then the options below (Uri-Path "r" = 8172/a172/b172)
for (const [what, hex] of [
  ["a second Uri-Host (not repeatable, §5.4.5)", "346e6f6465" + "046e6f6465" + "8172"],
  ["an If-Match of 9 bytes (over its 8-byte bound, §5.4.3)", "19" + "010203040506070809" + "a172"],
  ["an empty Uri-Host (under its 1-byte bound)", "30" + "8172"],
  ["an empty Proxy-Uri (under its 1-byte bound)", "b172" + "d00b"],
] as const) {
  test(`a CON request with ${what} counts as an unrecognised critical option: 4.02`, (t) => {
    const bytes = Uint8Array.from((CON_GET + hex).match(/../g)!, (h) => parseInt(h, 16));
    t.notThrows(() => decodeMessage(bytes), "the datagram itself is well formed");
    const { out, requests } = exchange(server(), bytes);
    t.is(requests, 0);
    t.like(out[0], { type: CoapType.ACK, code: CoapCode.BAD_OPTION, messageId: 0x1234 });
  });
}

for (const [name, number] of [["Proxy-Uri", O.PROXY_URI], ["Proxy-Scheme", O.PROXY_SCHEME]] as const) {
  test(`a request with ${name} gets 5.05 Proxying Not Supported (§5.10.2): an ACK for a CON, a NON for a NON`, (t) => {
    const con = exchange(server(), req(CoapType.CON, [{ number, value: ascii("coap://example.org/x") }]));
    t.is(con.requests, 0);
    t.like(con.out[0], { type: CoapType.ACK, code: CoapCode.PROXYING_NOT_SUPPORTED, messageId: 0x1234 });
    const ep = server();
    const non = exchange(ep, req(CoapType.NON, [{ number, value: ascii("coap") }], "missing"));
    t.is(non.requests, 0);
    t.like(non.out[0], { type: CoapType.NON, code: CoapCode.PROXYING_NOT_SUPPORTED });
    t.not(non.out[0]!.messageId, 0x1234);
    t.deepEqual([...non.out[0]!.token], [...TOKEN]);
  });
}

test("If-Match with a value on a resource without an ETag fails: 4.12, no request event", (t) => {
  const { out, requests } = exchange(server(), req(CoapType.CON, [{ number: O.IF_MATCH, value: ascii("abc") }], "r", CoapCode.PUT));
  t.is(requests, 0);
  t.like(out[0], { type: CoapType.ACK, code: CoapCode.PRECONDITION_FAILED, messageId: 0x1234 });
});

test("If-Match against a resource's ETag: a matching value (any of several) passes, others fail with 4.12", (t) => {
  const etag = Uint8Array.of(1, 2, 3);
  const resource: ResourceOptions = { etag: () => etag };
  const match = exchange(server(resource), req(CoapType.CON, [{ number: O.IF_MATCH, value: Uint8Array.of(9) }, { number: O.IF_MATCH, value: etag }], "r", CoapCode.PUT));
  t.is(match.requests, 1);
  const miss = exchange(server(resource), req(CoapType.CON, [{ number: O.IF_MATCH, value: Uint8Array.of(1, 2) }], "r", CoapCode.PUT));
  t.is(miss.requests, 0);
  t.like(miss.out[0], { code: CoapCode.PRECONDITION_FAILED });
});

test("a NON request whose If-Match fails gets a NON 4.12, like a NON 4.04", (t) => {
  const { out, requests } = exchange(server(), req(CoapType.NON, [{ number: O.IF_MATCH, value: ascii("x") }]));
  t.is(requests, 0);
  t.like(out[0], { type: CoapType.NON, code: CoapCode.PRECONDITION_FAILED });
});

test("If-None-Match on an existing resource fails with 4.12; on a missing one the answer stays 4.04", (t) => {
  const ifNone = [{ number: O.IF_NONE_MATCH, value: E }];
  t.like(exchange(server(), req(CoapType.CON, ifNone, "r", CoapCode.PUT)).out[0], { code: CoapCode.PRECONDITION_FAILED });
  t.like(exchange(server(), req(CoapType.CON, ifNone, "missing", CoapCode.PUT)).out[0], { code: CoapCode.NOT_FOUND });
});

// ---- the client side: responses ----

function client() {
  const ep = endpoint(5);
  ep.request(0, { method: "GET", path: "r", confirmable: true, peer: "peer" });
  const [request] = transmits(ep).map((x) => decodeMessage(x.bytes));
  return { ep, request: request! };
}
function response(type: CoapType, messageId: number, token: Uint8Array, options: readonly CoapOption[]): Uint8Array {
  const m: CoapMessage = { type, code: CoapCode.CONTENT, messageId, token, options: [], payload: Uint8Array.of(0x30) };
  for (const o of options) addOption(m.options, o.number, o.value);
  return encodeMessage(m);
}

test("a piggy-backed response with an unrecognised critical option is ignored: the request is retransmitted", (t) => {
  const { ep, request } = client();
  ep.handleDatagram(10, response(CoapType.ACK, request.messageId, request.token, [{ number: 9, value: E }]), "peer");
  t.deepEqual(events(ep), []);
  t.deepEqual(transmits(ep), [], "no Reset for an ACK");
  ep.handleTimeout(3000);
  t.is(transmits(ep).length, 1, "still waiting: retransmitted");
  ep.handleDatagram(3010, response(CoapType.ACK, request.messageId, request.token, [{ number: 10, value: E }]), "peer");
  t.like(events(ep)[0], { kind: "response", code: CoapCode.CONTENT });
});

test("a request option (Uri-Path) in a response counts as unrecognised (§5.4): the ACK is ignored", (t) => {
  const { ep, request } = client();
  ep.handleDatagram(10, response(CoapType.ACK, request.messageId, request.token, [{ number: O.URI_PATH, value: ascii("r") }]), "peer");
  t.deepEqual(events(ep), []);
});

test("a separate CON response with an unrecognised critical option gets a Reset and is not delivered", (t) => {
  const { ep, request } = client();
  ep.handleDatagram(10, response(CoapType.CON, 0x4242, request.token, [{ number: 65001, value: E }]), "peer");
  t.deepEqual(events(ep), []);
  t.deepEqual(sent(ep).map((m) => [m.type, m.code, m.messageId]), [[CoapType.RST, CoapCode.EMPTY, 0x4242]]);
});

test("a separate NON response with an unrecognised critical option is ignored without a Reset", (t) => {
  const { ep, request } = client();
  ep.handleDatagram(10, response(CoapType.NON, 0x4243, request.token, [{ number: 9, value: E }]), "peer");
  t.deepEqual(events(ep), []);
  t.deepEqual(transmits(ep), []);
});
