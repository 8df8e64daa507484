import test from "ava";
import { latin1Decode, latin1Encode, latin1EncodeStrict, utf8Decode, utf8Encode } from "../../src/bytes/text.js";

const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);

test("every byte survives Latin-1 text and back, one char per byte", (t) => {
  const text = latin1Decode(everyByte);
  t.is(text.length, 256);
  t.is(text.charCodeAt(0xe9), 0xe9);
  t.deepEqual(latin1Encode(text), everyByte);
  t.deepEqual(latin1EncodeStrict(text), everyByte);
});

test("Latin-1 decoding is whole past the chunk size and for views into a larger buffer", (t) => {
  const big = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7) & 0xff);
  t.deepEqual(latin1Encode(latin1Decode(big)), big);
  t.is(latin1Decode(big.subarray(4095, 4098)), String.fromCharCode(big[4095]!, big[4096]!, big[4097]!));
  t.is(latin1Decode(new Uint8Array(0)), "");
});

test("a char beyond 0xff keeps its low byte, or throws in the strict form", (t) => {
  t.deepEqual(latin1Encode("a\u0141b"), Uint8Array.of(0x61, 0x41, 0x62));
  t.throws(() => latin1EncodeStrict("a\u0141b"), { instanceOf: RangeError, message: "char U+141 at 1 is not a byte" });
});

test("UTF-8 round-trips text and turns a malformed sequence into U+FFFD", (t) => {
  const text = "héllo €𝄞";
  t.deepEqual([...utf8Encode(text)], [...Buffer.from(text, "utf8")]);
  t.is(utf8Decode(utf8Encode(text)), text);
  t.is(utf8Decode(Uint8Array.of(0x61, 0xc3, 0x62)), "a\ufffdb");
});

test("latin1Decode gives one char per byte at every length, short or chunked", (t) => {
  for (let n = 0; n <= 40; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
    t.is(latin1Decode(bytes), Array.from(bytes, (b) => String.fromCharCode(b)).join(""), `length ${n}`);
  }
});
