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

// What every encoder must give, char by char (the loop a device build runs).
const latin1Model = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

test("Latin-1 and UTF-8 encoding agree with the char-by-char model, short or long, ASCII or not", (t) => {
  for (const n of [0, 1, 15, 16, 17, 60, 255, 256, 257, 2000]) {
    const ascii = "x".repeat(n);
    t.deepEqual(latin1Encode(ascii), latin1Model(ascii), `ascii ${n}`);
    t.deepEqual(latin1EncodeStrict(ascii), latin1Model(ascii), `strict ascii ${n}`);
    t.deepEqual(utf8Encode(ascii), latin1Model(ascii), `utf8 ascii ${n}`);
    if (n === 0) continue;
    for (const at of [0, n - 1, Math.floor(n / 2)]) {
      for (const c of ["\u0080", "\u00ff", "\u00e9"]) {
        const text = ascii.slice(0, at) + c + ascii.slice(at + 1);
        t.deepEqual(latin1Encode(text), latin1Model(text), `${n} ${at} ${c.charCodeAt(0)}`);
        t.deepEqual(latin1EncodeStrict(text), latin1Model(text), `strict ${n} ${at} ${c.charCodeAt(0)}`);
        t.deepEqual([...utf8Encode(text)], [...Buffer.from(text, "utf8")], `utf8 ${n} ${at}`);
      }
    }
  }
  t.deepEqual(latin1Encode("\u0000\u007f\u0080"), Uint8Array.of(0, 0x7f, 0x80));
  // A lone surrogate is encoded as its code point, not as U+FFFD (what a TextEncoder makes of it).
  t.deepEqual([...utf8Encode(`\ud800${"x".repeat(20)}`)], [0xed, 0xa0, 0x80, ...Array(20).fill(0x78)]);
});

test("encoded bytes are the caller's own: a later encoding does not change them", (t) => {
  const first = latin1Encode("first line\r\n");
  const again = latin1Encode("other text!!\r\n");
  t.deepEqual(first, latin1Model("first line\r\n"));
  t.deepEqual(again, latin1Model("other text!!\r\n"));
  t.is(first.length, 12);
});
