// Byte-exact vectors, written out by hand from RFC 7252 §3 / RFC 7959 §2.2.
import test from "ava";
import { decodeMessage } from "../../src/coap/decode.js";
import { encodeMessage } from "../../src/coap/encode.js";
import { CoapEncodeError, type CoapEncodeReason } from "../../src/coap/errors.js";
import type { CoapMessage, CoapOption } from "../../src/coap/message.js";
import { emptyMessage } from "../../src/coap/message.js";
import { utf8Encode } from "../../src/bytes/text.js";
import { CoapCode, CoapType } from "../../src/coap/numbers.js";
import { encodeBlock, encodeUint } from "../../src/coap/options.js";
import { plain } from "./helpers/arbitraries.js";

const E = new Uint8Array(0);
const msg = (over: Partial<CoapMessage>): CoapMessage =>
  ({ type: CoapType.CON, code: CoapCode.GET, messageId: 0x1234, token: E, options: [], payload: E, ...over });
const opt = (number: number, value: Uint8Array | number[]): CoapOption => ({ number, value: Uint8Array.from(value) });
const HEADER = [0x40, 0x01, 0x12, 0x34];

function vector(title: string, m: CoapMessage, expected: number[]) {
  test(title, (t) => {
    const bytes = encodeMessage(m);
    t.deepEqual([...bytes], expected);
    t.deepEqual(plain(decodeMessage(Uint8Array.from(expected))), plain(m));
  });
}

vector("a CON GET with a 2-byte token and Uri-Path segments encodes as RFC 7252 §3 lays out",
  msg({ token: Uint8Array.of(0xab, 0xcd), options: [opt(11, utf8Encode("a")), opt(11, utf8Encode("bc"))] }),
  [0x42, 0x01, 0x12, 0x34, 0xab, 0xcd, 0xb1, 0x61, 0x02, 0x62, 0x63]);

vector("an empty ACK is exactly four bytes", emptyMessage(CoapType.ACK, 0xbeef), [0x60, 0x00, 0xbe, 0xef]);
vector("an empty RST is exactly four bytes", emptyMessage(CoapType.RST, 7), [0x70, 0x00, 0x00, 0x07]);
vector("a NON 2.05 with an 8-byte token puts the length 8 in the first byte",
  msg({ type: CoapType.NON, code: CoapCode.CONTENT, token: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }),
  [0x58, 0x45, 0x12, 0x34, 1, 2, 3, 4, 5, 6, 7, 8]);
vector("a payload follows the 0xFF marker", msg({ payload: Uint8Array.of(0x30) }), [...HEADER, 0xff, 0x30]);

// Option delta boundaries: 12 fits the nibble, 13 and 268 take one extra byte, 269 and up two.
vector("option delta 12 fits in the nibble", msg({ options: [opt(12, [])] }), [...HEADER, 0xc0]);
vector("option delta 13 takes one extended byte 0x00", msg({ options: [opt(13, [])] }), [...HEADER, 0xd0, 0x00]);
vector("option delta 268 takes one extended byte 0xFF", msg({ options: [opt(268, [])] }), [...HEADER, 0xd0, 0xff]);
vector("option delta 269 takes two extended bytes 0x0000", msg({ options: [opt(269, [])] }), [...HEADER, 0xe0, 0x00, 0x00]);
vector("option number 65535 is delta 269 + 0xFEF2", msg({ options: [opt(65535, [])] }), [...HEADER, 0xe0, 0xfe, 0xf2]);
vector("deltas are relative to the previous option", msg({ options: [opt(11, utf8Encode("x")), opt(11, []), opt(60, [1])] }),
  [...HEADER, 0xb1, 0x78, 0x00, 0xd1, 60 - 11 - 13, 1]);

function lengthVector(len: number, ext: number[]) {
  const value = new Uint8Array(len).map((_, i) => i & 0xff);
  const nib = len < 13 ? len : len < 269 ? 13 : 14;
  vector(`an option value of ${len} bytes uses length nibble ${nib}${ext.length ? ` and ${ext.length} extended byte(s)` : ""}`,
    msg({ options: [opt(2, value)] }), [...HEADER, 0x20 | nib, ...ext, ...value]);
}
lengthVector(0, []);
lengthVector(12, []);
lengthVector(13, [0x00]);
lengthVector(268, [0xff]);
lengthVector(269, [0x00, 0x00]);
lengthVector(65804, [0xff, 0xff]);

vector("delta and length both extended: extended delta comes before extended length",
  msg({ options: [opt(300, new Uint8Array(20))] }), [...HEADER, 0xed, 0x00, 31, 20 - 13, ...new Uint8Array(20)]);

// Option formats.
vector("uint 0 is the empty value (Content-Format text/plain)", msg({ options: [opt(12, encodeUint(0))] }), [...HEADER, 0xc0]);
vector("uint 50 takes one byte (Content-Format application/json)", msg({ options: [opt(12, encodeUint(50))] }), [...HEADER, 0xc1, 50]);
vector("uint 256 takes two bytes (Accept)", msg({ options: [opt(17, encodeUint(256))] }), [...HEADER, 0xd2, 17 - 13, 0x01, 0x00]);
vector("uint 0x10000 takes three bytes (Max-Age)", msg({ options: [opt(14, encodeUint(0x10000))] }), [...HEADER, 0xd3, 1, 0x01, 0x00, 0x00]);
vector("uint 0xFFFFFFFF takes four bytes (Size2)", msg({ options: [opt(28, encodeUint(0xffffffff))] }), [...HEADER, 0xd4, 28 - 13, 0xff, 0xff, 0xff, 0xff]);
vector("If-None-Match is an empty option", msg({ options: [opt(5, [])] }), [...HEADER, 0x50]);
vector("ETag is opaque bytes", msg({ options: [opt(4, [0xde, 0xad])] }), [...HEADER, 0x42, 0xde, 0xad]);
vector("Block2 NUM 1, M 1, SZX 2 is the single byte 0x1A", msg({ options: [opt(23, encodeBlock({ num: 1, more: true, szx: 2 }))] }),
  [...HEADER, 0xd1, 23 - 13, 0x1a]);
vector("Block2 NUM 0, M 0, SZX 0 is the empty value", msg({ options: [opt(23, encodeBlock({ num: 0, more: false, szx: 0 }))] }),
  [...HEADER, 0xd0, 23 - 13]);
vector("Block1 NUM 0x12345 takes three bytes", msg({ options: [opt(27, encodeBlock({ num: 0x12345, more: false, szx: 6 }))] }),
  [...HEADER, 0xd3, 27 - 13, 0x12, 0x34, 0x56]);

function rejects(title: string, m: CoapMessage, reason: CoapEncodeReason, maxSize?: number) {
  test(title, (t) => {
    const err = t.throws(() => encodeMessage(m, maxSize), { instanceOf: CoapEncodeError });
    t.is(err?.reason, reason);
    t.true(err instanceof RangeError);
  });
}
rejects("encoding rejects a 9-byte token", msg({ token: new Uint8Array(9) }), "tokenLength");
rejects("encoding rejects an option value over 65804 bytes", msg({ options: [opt(2, new Uint8Array(65805))] }), "optionLength");
rejects("encoding rejects a 9-byte ETag", msg({ options: [opt(4, new Uint8Array(9))] }), "optionLength");
rejects("encoding rejects a 5-byte Max-Age", msg({ options: [opt(14, new Uint8Array(5))] }), "optionLength");
rejects("encoding rejects a Uri-Path segment over 255 bytes", msg({ options: [opt(11, new Uint8Array(256))] }), "optionLength");
rejects("encoding rejects If-None-Match with a value", msg({ options: [opt(5, [1])] }), "optionLength");
rejects("encoding rejects options out of order", msg({ options: [opt(12, []), opt(11, [])] }), "optionOrder");
rejects("encoding rejects option number 65536", msg({ options: [opt(65536, [])] }), "optionNumber");
rejects("encoding rejects an empty message with a payload", msg({ code: 0, payload: Uint8Array.of(1) }), "header");
rejects("encoding rejects a message ID over 16 bits", msg({ messageId: 0x10000 }), "header");
rejects("encoding rejects a message over the caller's maximum size", msg({ payload: new Uint8Array(100) }), "tooBig", 104);
test("a message of exactly the caller's maximum size is encoded", (t) => {
  t.is(encodeMessage(msg({ payload: new Uint8Array(100) }), 105).length, 105);
});
