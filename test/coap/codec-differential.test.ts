// Differential against coap-packet, both ways, on messages it supports (tokens ≤ 8 bytes).
import test from "ava";
import fc from "fast-check";
import coapPacket from "coap-packet";
import { decodeMessage } from "../../src/coap/decode.js";
import { encodeMessage } from "../../src/coap/encode.js";
import type { CoapMessage } from "../../src/coap/message.js";
import { codeString } from "../../src/coap/message.js";
import { arbMessage, plain, type PlainMessage } from "./helpers/arbitraries.js";

const NAMES: Record<string, number> = {
  "If-Match": 1, "Uri-Host": 3, ETag: 4, "If-None-Match": 5, Observe: 6, "Uri-Port": 7, "Location-Path": 8,
  OSCORE: 9, "Uri-Path": 11, "Content-Format": 12, "Max-Age": 14, "Uri-Query": 15, "Hop-Limit": 16, Accept: 17,
  "Q-Block1": 19, "Location-Query": 20, Block2: 23, Block1: 27, Size2: 28, "Q-Block2": 31, "Proxy-Uri": 35,
  "Proxy-Scheme": 39, Size1: 60, "No-Response": 258, "OCF-Accept-Content-Format-Version": 2049, "OCF-Content-Format-Version": 2053,
};

function fromCoapPacket(p: coapPacket.ParsedPacket): PlainMessage {
  const [cls, detail] = p.code.split(".").map(Number) as [number, number];
  return {
    type: p.confirmable ? 0 : p.ack ? 2 : p.reset ? 3 : 1,
    code: (cls << 5) | detail,
    messageId: p.messageId,
    token: [...p.token],
    options: p.options.map((o) => ({ number: NAMES[String(o.name)] ?? Number(o.name), value: [...o.value] })),
    payload: [...p.payload],
  };
}

function toCoapPacket(m: CoapMessage): coapPacket.Packet {
  return {
    confirmable: m.type === 0, ack: m.type === 2, reset: m.type === 3,
    code: codeString(m.code), messageId: m.messageId, token: Buffer.from(m.token),
    options: m.options.map((o) => ({ name: String(o.number), value: Buffer.from(o.value) })),
    payload: Buffer.from(m.payload),
  };
}

test("coap-packet parses what we encode into the same message", (t) => {
  fc.assert(fc.property(arbMessage, (m) => {
    t.deepEqual(fromCoapPacket(coapPacket.parse(Buffer.from(encodeMessage(m)))), plain(m));
  }), { numRuns: 1000 });
});

test("we decode what coap-packet generates into the same message", (t) => {
  fc.assert(fc.property(arbMessage, (m) => {
    const bytes = coapPacket.generate(toCoapPacket(m), 1 << 20);
    t.deepEqual(plain(decodeMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length))), plain(m));
  }), { numRuns: 1000 });
});

test("both encoders produce identical bytes for the same message", (t) => {
  fc.assert(fc.property(arbMessage, (m) => {
    t.deepEqual([...encodeMessage(m)], [...coapPacket.generate(toCoapPacket(m), 1 << 20)]);
  }), { numRuns: 1000 });
});
