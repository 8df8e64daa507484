// Path strings and Uri-Path bytes (spec §3.7, §3.11): UTF-8 by default for library users;
// "bytes" (one char per byte, as the agent's console carries typed bytes) for byte-exact paths.
import test from "ava";
import { CoapCode, CoapType } from "../../src/coap/numbers.js";
import type { CoapMessage, CoapOption } from "../../src/coap/message.js";
import { encodeMessage } from "../../src/coap/encode.js";
import { findOptions, getUriPath, setUriPath } from "../../src/coap/options.js";
import { endpoint, events, sent } from "./helpers/endpoint-harness.js";

const values = (o: CoapOption[]) => findOptions(o, 11).map((v) => [...v]);

test("by default a path is UTF-8 on the wire and decoded back", (t) => {
  const o: CoapOption[] = [];
  setUriPath(o, "a/\u00e9");
  t.deepEqual(values(o), [[0x61], [0xc3, 0xa9]]);
  t.is(getUriPath(o), "a/\u00e9");
});

test("with the bytes encoding each char is one byte both ways, and all 256 byte values survive", (t) => {
  const o: CoapOption[] = [];
  setUriPath(o, "a/\u00e9", "bytes");
  t.deepEqual(values(o), [[0x61], [0xe9]]);
  const every = Array.from({ length: 256 }, (_, i) => i).filter((b) => b !== 0x2f); // '/' splits
  const path = String.fromCharCode(...every);
  setUriPath(o, path, "bytes");
  t.deepEqual(values(o), [every]);
  t.is(getUriPath(o, "bytes"), path);
});

test("the bytes encoding refuses a char beyond 0xff and leaves the options as they were", (t) => {
  const o: CoapOption[] = [];
  setUriPath(o, "keep", "bytes");
  t.throws(() => setUriPath(o, "x/\u20ac", "bytes"), { instanceOf: RangeError });
  t.is(getUriPath(o, "bytes"), "keep");
});

function get(messageId: number, segment: readonly number[]): Uint8Array {
  const m: CoapMessage = { type: CoapType.CON, code: CoapCode.GET, messageId, token: Uint8Array.of(1, 2), options: [{ number: 11, value: Uint8Array.from(segment) }], payload: new Uint8Array(0) };
  return encodeMessage(m);
}

test("an endpoint with pathEncoding bytes sends a path char as its byte and matches resources byte for byte", (t) => {
  const ep = endpoint(1, { pathEncoding: "bytes" });
  ep.request(0, { method: "GET", path: "\u00e9", confirmable: true });
  t.deepEqual(values(sent(ep)[0]!.options), [[0xe9]]);
  ep.registerResource("\u00e9");
  ep.handleDatagram(0, get(0x10, [0xe9]));
  const [e] = events(ep);
  t.true(e?.kind === "request" && e.path === "\u00e9");
  ep.handleDatagram(0, get(0x11, [0xc3, 0xa9]));
  t.deepEqual(events(ep), []);
  t.is(sent(ep)[0]?.code, CoapCode.NOT_FOUND);
});

test("an endpoint with default options still sends and matches UTF-8 paths", (t) => {
  const ep = endpoint(1);
  ep.request(0, { method: "GET", path: "\u00e9", confirmable: true });
  t.deepEqual(values(sent(ep)[0]!.options), [[0xc3, 0xa9]]);
  ep.registerResource("\u00e9");
  ep.handleDatagram(0, get(0x10, [0xc3, 0xa9]));
  t.true(events(ep)[0]?.kind === "request");
});

test("with pathEncoding bytes a request path that is not bytes throws and sends nothing", (t) => {
  const ep = endpoint(1, { pathEncoding: "bytes" });
  t.throws(() => ep.request(0, { method: "PUT", path: "\u20ac", confirmable: true, blockSize: 16, payload: new Uint8Array(40) }), { instanceOf: RangeError });
  t.deepEqual(sent(ep), []);
  t.deepEqual(events(ep), []);
  t.is(ep.pendingRequests, 0);
});

test("requests in a row each carry their own path, a repeated one and a refused one included", (t) => {
  for (const pathEncoding of ["utf8", "bytes"] as const) {
    const ep = endpoint(1, { pathEncoding });
    const paths = ["a/b", "a/b", "c", "a/b", "", "c//d", "c//d"];
    for (const path of paths) {
      ep.request(0, { method: "GET", path, confirmable: false });
      if (path === "c" && pathEncoding === "bytes") t.throws(() => ep.request(0, { method: "GET", path: "c\u20ac", confirmable: false }), { instanceOf: RangeError });
    }
    const got = sent(ep).map((m) => getUriPath(m.options, pathEncoding));
    t.deepEqual(got, paths, pathEncoding);
  }
});
