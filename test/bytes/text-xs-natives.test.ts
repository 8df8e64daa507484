// On a Moddable board XS has ArrayBuffer.fromString and String.fromArrayBuffer (UTF-8; not on
// xsnap, whose XS is built with CESU-8 strings), and src/bytes/text.ts takes them for ASCII
// text. Here stand-ins with the same contract are installed before the module loads (each
// test file runs in its own worker), so that path is checked on every run, not only on a board.
import test from "ava";

const calls = { fromString: 0, fromArrayBuffer: 0 };
Object.defineProperty(ArrayBuffer, "fromString", {
  configurable: true,
  value: (text: string): ArrayBuffer => { calls.fromString++; return new TextEncoder().encode(text).slice().buffer; },
});
Object.defineProperty(String, "fromArrayBuffer", {
  configurable: true,
  value: (buffer: ArrayBuffer): string => { calls.fromArrayBuffer++; return new TextDecoder("utf-8", { fatal: true }).decode(buffer); },
});
const { latin1Decode, latin1Encode, latin1EncodeStrict, utf8Encode } = await import("../../src/bytes/text.js");

const reference = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

test("ASCII text is encoded by the engine's native and matches the portable result", (t) => {
  const before = calls.fromString;
  const line = "coaps response from fdde:ad00:beef:0:9903:14b:27e0:5744 with payload: 48656c6c6f\r\n";
  t.deepEqual(latin1Encode(line), reference(line));
  t.deepEqual(latin1EncodeStrict(line), reference(line));
  t.deepEqual(utf8Encode(line), reference(line));
  t.deepEqual(latin1Encode(""), new Uint8Array(0));
  t.is(calls.fromString - before, 4);
});

test("text with a char past ASCII falls back to the per-char loop, with the same bytes and errors", (t) => {
  for (const text of ["caf\u00e9", "\u00ff\u0000\u007f", "a\ud800b"]) t.deepEqual(latin1Encode(text), reference(text), JSON.stringify(text));
  t.deepEqual(latin1Encode("a\u0141b"), Uint8Array.of(0x61, 0x41, 0x62));
  t.throws(() => latin1EncodeStrict("a\u0141b"), { instanceOf: RangeError, message: "char U+141 at 1 is not a byte" });
  t.deepEqual([...utf8Encode("h\u00e9 \u20ac")], [...Buffer.from("h\u00e9 \u20ac", "utf8")]);
});

test("ASCII bytes are decoded by the native, from a view's own bytes; others one char per byte", (t) => {
  const before = calls.fromArrayBuffer;
  const whole = reference("xxHello, world\r\nyy");
  t.is(latin1Decode(whole.subarray(2, 16)), "Hello, world\r\n");
  t.is(calls.fromArrayBuffer - before, 1);
  const every = Uint8Array.from({ length: 256 }, (_, i) => i);
  t.is(latin1Decode(every), Array.from(every, (b) => String.fromCharCode(b)).join(""));
  t.is(calls.fromArrayBuffer - before, 1, "bytes past 0x7f never reach the UTF-8 native");
});
