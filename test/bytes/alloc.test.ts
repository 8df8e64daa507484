import test from "ava";
import { ownArray, slabAllocator } from "../../src/bytes/alloc.js";
import { CoapEndpoint } from "../../src/coap/endpoint.js";
import { encodeMessage } from "../../src/coap/encode.js";
import { CoapCode, CoapType } from "../../src/coap/numbers.js";

test("slab arrays are zero-filled, 8-byte aligned and never overlap, within a slab and across slabs", (t) => {
  const alloc = slabAllocator(256, 128);
  const arrays: Uint8Array[] = [];
  for (let i = 0; i < 40; i++) {
    const a = alloc((i * 7) % 100 + 1);
    t.true(a.every((b) => b === 0));
    t.is(a.byteOffset % 8, 0);
    a.fill(i + 1);
    arrays.push(a);
  }
  // Each array still holds only what was written into it: no other array shares its bytes.
  arrays.forEach((a, i) => t.true(a.every((b) => b === i + 1), `array ${i}`));
  t.true(new Set(arrays.map((a) => a.buffer)).size > 1, "a full slab is followed by a new one");
});

test("an array larger than the pooled limit gets its own buffer", (t) => {
  const alloc = slabAllocator(256, 128);
  const big = alloc(129);
  t.is(big.byteOffset, 0);
  t.is(big.buffer.byteLength, 129);
  t.throws(() => slabAllocator(64, 128), { instanceOf: RangeError });
});

test("encodeMessage takes its array from the allocator given; by default each message has its own buffer", (t) => {
  const msg = { type: CoapType.ACK, code: CoapCode.CONTENT, messageId: 7, token: Uint8Array.of(1), options: [], payload: new Uint8Array(100).fill(9) };
  let asked = 0;
  const slabs = slabAllocator();
  const pooled = encodeMessage(msg, Infinity, (n) => { asked++; return slabs(n); });
  t.is(asked, 1);
  t.is(pooled.buffer.byteLength, 8192);
  const own = encodeMessage(msg);
  t.is(own.buffer.byteLength, own.length);
  t.deepEqual(own, pooled);
  t.is(ownArray(3).buffer.byteLength, 3);
});

test("an endpoint sends what its allocator gives, and by default arrays of their own", (t) => {
  const random = { fill: (b: Uint8Array) => b.fill(1) };
  const slabs = slabAllocator();
  for (const [allocate, slabbed] of [[slabs, true], [undefined, false]] as const) {
    const ep = new CoapEndpoint({ random, ...(allocate ? { allocate } : {}) });
    ep.request(0, { method: "PUT", path: "a", confirmable: true, payload: new Uint8Array(80) });
    const sent = ep.pollTransmit()!.bytes;
    t.is(sent.buffer.byteLength === sent.length, !slabbed);
  }
});
