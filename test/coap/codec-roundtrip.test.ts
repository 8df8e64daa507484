import test from "ava";
import fc from "fast-check";
import { decodeMessage } from "../../src/coap/decode.js";
import { encodeInto, encodeMessage, encodedSize } from "../../src/coap/encode.js";
import { arbMessage, plain } from "./helpers/arbitraries.js";

test("any valid message decodes to exactly what was encoded", (t) => {
  fc.assert(fc.property(arbMessage, (m) => {
    const bytes = encodeMessage(m);
    t.deepEqual(plain(decodeMessage(bytes)), plain(m));
    t.is(bytes.length, encodedSize(m));
  }), { numRuns: 2000 });
});

test("re-encoding a decoded datagram gives the same bytes", (t) => {
  fc.assert(fc.property(arbMessage, (m) => {
    const bytes = encodeMessage(m);
    t.deepEqual([...encodeMessage(decodeMessage(bytes))], [...bytes]);
  }), { numRuns: 1000 });
});

test("encodeInto writes at an offset and leaves the rest of the caller's buffer alone", (t) => {
  fc.assert(fc.property(arbMessage, fc.integer({ min: 0, max: 20 }), (m, offset) => {
    const size = encodedSize(m);
    const out = new Uint8Array(offset + size + 7).fill(0xee);
    t.is(encodeInto(m, out, offset), size);
    t.deepEqual([...out.subarray(offset, offset + size)], [...encodeMessage(m)]);
    t.true(out.subarray(0, offset).every((b) => b === 0xee));
    t.true(out.subarray(offset + size).every((b) => b === 0xee));
  }), { numRuns: 500 });
});

test("decoded token, option values and payload are views into the datagram, not copies", (t) => {
  fc.assert(fc.property(arbMessage, (m) => {
    const bytes = encodeMessage(m);
    const d = decodeMessage(bytes);
    for (const view of [d.token, d.payload, ...d.options.map((o) => o.value)]) {
      if (view.length > 0) t.is(view.buffer, bytes.buffer);
    }
  }), { numRuns: 300 });
});
