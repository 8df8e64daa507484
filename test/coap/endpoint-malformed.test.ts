// Malformed and odd datagrams (RFC 7252 §4.2, §4.3): a Reset where the RFC calls for one,
// silence otherwise, and never a throw.
import test from "ava";
import fc from "fast-check";
import { CoapCode, CoapType } from "../../src/coap/numbers.js";
import { encodeMessage } from "../../src/coap/encode.js";
import { endpoint, events, sent } from "./helpers/endpoint-harness.js";

function reply(bytes: number[]) {
  const ep = endpoint(1);
  ep.registerResource("r");
  ep.handleDatagram(0, Uint8Array.from(bytes));
  return { out: sent(ep), ev: events(ep) };
}

const cases: [string, number[], "reset" | "silence"][] = [
  ["a CON with option nibble 15 gets a Reset", [0x40, 0x01, 0x12, 0x34, 0xf1, 0x00], "reset"],
  ["a CON with token length 9 gets a Reset", [0x49, 0x01, 0x12, 0x34, ...new Array(9).fill(1)], "reset"],
  ["a CON with a payload marker and no payload gets a Reset", [0x40, 0x01, 0x12, 0x34, 0xff], "reset"],
  ["a CON with an option running past the end gets a Reset", [0x40, 0x01, 0x12, 0x34, 0xb5, 0x61], "reset"],
  ["an empty CON carrying a token gets a Reset", [0x41, 0x00, 0x12, 0x34, 0x01], "reset"],
  ["an empty CON (CoAP ping) gets a Reset", [0x40, 0x00, 0x12, 0x34], "reset"],
  ["a CON with a reserved code class 7 gets a Reset", [0x40, 0xe1, 0x12, 0x34], "reset"],
  ["a NON with a format error is ignored", [0x50, 0x01, 0x12, 0x34, 0xff], "silence"],
  ["an ACK with a format error is ignored", [0x60, 0x45, 0x12, 0x34, 0xf0], "silence"],
  ["an RST with a format error is ignored", [0x70, 0x00, 0x12, 0x34, 0x00], "silence"],
  ["a datagram shorter than the header is ignored", [0x40, 0x01, 0x12], "silence"],
  ["an empty datagram is ignored", [], "silence"],
  ["version 2 is ignored", [0x80, 0x01, 0x12, 0x34], "silence"],
  ["an empty NON is ignored", [0x50, 0x00, 0x12, 0x34], "silence"],
  ["a request sent as an ACK is ignored", [0x60, 0x01, 0x12, 0x34, 0xb1, 0x72], "silence"],
  ["a NON with a reserved code class 1 is ignored", [0x50, 0x21, 0x12, 0x34], "silence"],
  ["a stray empty ACK is ignored", [0x60, 0x00, 0x12, 0x34], "silence"],
];
for (const [title, bytes, expect] of cases) {
  test(title, (t) => {
    const { out, ev } = reply(bytes);
    t.deepEqual(ev, []);
    if (expect === "silence") { t.deepEqual(out, []); return; }
    t.is(out.length, 1);
    t.is(out[0]!.type, CoapType.RST);
    t.is(out[0]!.code, CoapCode.EMPTY);
    t.is(out[0]!.messageId, 0x1234);
  });
}

test("random datagrams never make the endpoint throw, and it still serves a valid request afterwards", (t) => {
  const ep = endpoint(2);
  ep.registerResource("r");
  ep.request(0, { method: "GET", path: "r", confirmable: true });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(0x40, 0x50, 0x60, 0x70, -1), (bytes, first) => {
    if (first >= 0 && bytes.length > 0) bytes[0] = first | (bytes[0]! & 0x0f);
    ep.handleDatagram(1, bytes);
    for (let e = ep.pollEvent(); e; e = ep.pollEvent()) if (e.kind === "request") e.respond({ code: CoapCode.CONTENT });
    sent(ep);
  }), { numRuns: 3000, seed: 42 });
  ep.handleDatagram(2, encodeMessage({ type: CoapType.CON, code: CoapCode.GET, messageId: 0xfff0, token: Uint8Array.of(1), options: [{ number: 11, value: Uint8Array.of(0x72) }], payload: new Uint8Array(0) }));
  const e = events(ep).find((x) => x.kind === "request");
  t.truthy(e);
});
