// Every malformation gets its own reason, and the header fields say whom to Reset.
import test from "ava";
import { decodeMessage } from "../../src/coap/decode.js";
import { CoapParseError, parseErrorAction, type CoapParseReason } from "../../src/coap/errors.js";

function malformed(title: string, bytes: number[], reason: CoapParseReason, action: "reset" | "ignore") {
  test(title, (t) => {
    const err = t.throws(() => decodeMessage(Uint8Array.from(bytes)), { instanceOf: CoapParseError });
    t.is(err?.reason, reason);
    t.is(parseErrorAction(err!), action);
  });
}

malformed("an empty datagram is a truncated header, ignored", [], "truncatedHeader", "ignore");
malformed("three bytes are a truncated header, ignored", [0x40, 0x01, 0x00], "truncatedHeader", "ignore");
malformed("version 0 is silently ignored", [0x00, 0x01, 0x00, 0x01], "version", "ignore");
malformed("version 2 is silently ignored", [0x80, 0x01, 0x00, 0x01], "version", "ignore");
malformed("a CON with token length 9 is rejected with a Reset", [0x49, 0x01, 0x00, 0x01, ...new Array(9).fill(0)], "tokenLength", "reset");
malformed("a NON with token length 15 is ignored", [0x5f, 0x01, 0x00, 0x01], "tokenLength", "ignore");
malformed("a token running past the end is a format error", [0x44, 0x01, 0x00, 0x01, 1, 2], "truncatedToken", "reset");
malformed("an empty CON with a token is a format error answered with Reset", [0x41, 0x00, 0x00, 0x01, 0xaa], "emptyWithData", "reset");
malformed("an empty ACK with a payload is ignored", [0x60, 0x00, 0x00, 0x01, 0xff, 0x01], "emptyWithData", "ignore");
malformed("option delta nibble 15 before the marker is a format error", [0x40, 0x01, 0x00, 0x01, 0xf0], "optionDelta", "reset");
malformed("option length nibble 15 is a format error", [0x40, 0x01, 0x00, 0x01, 0xbf], "optionLength", "reset");
malformed("a missing one-byte extended delta is an option past the end", [0x40, 0x01, 0x00, 0x01, 0xd0], "optionTruncated", "reset");
malformed("a missing second extended delta byte is an option past the end", [0x40, 0x01, 0x00, 0x01, 0xe0, 0x00], "optionTruncated", "reset");
malformed("a missing extended length byte is an option past the end", [0x40, 0x01, 0x00, 0x01, 0x0d], "optionTruncated", "reset");
malformed("an option value running past the end is rejected", [0x40, 0x01, 0x00, 0x01, 0xb3, 0x61, 0x62], "optionTruncated", "reset");
malformed("option numbers beyond 65535 are rejected", [0x40, 0x01, 0x00, 0x01, 0xe0, 0xff, 0xff, 0xe0, 0xff, 0xff], "optionNumber", "reset");
malformed("a payload marker with no payload is a format error", [0x40, 0x01, 0x00, 0x01, 0xff], "emptyPayload", "reset");
malformed("an RST with a malformed body is ignored", [0x70, 0x01, 0x00, 0x01, 0xff], "emptyPayload", "ignore");

test("a parse error carries the Message ID and type needed for the Reset", (t) => {
  const err = t.throws(() => decodeMessage(Uint8Array.of(0x40, 0x01, 0xab, 0xcd, 0xf0)), { instanceOf: CoapParseError });
  t.is(err?.messageId, 0xabcd);
  t.is(err?.type, 0);
  t.is(err?.at, 4);
  t.is(err?.name, "CoapParseError");
});

test("reserved code classes decode, so the endpoint can decide what to do with them", (t) => {
  t.is(decodeMessage(Uint8Array.of(0x40, 0xe0, 0, 1)).code, 0xe0);
});
