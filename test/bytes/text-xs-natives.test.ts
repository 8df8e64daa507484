// On a Moddable board XS has ArrayBuffer.fromString (UTF-8; not on xsnap, whose XS is built
// with CESU-8 strings), and src/bytes/text.ts takes it for ASCII text of any length. Here a
// stand-in with the same contract is installed before the module loads (each test file runs in
// its own worker), so that path is checked on every run, not only on a board.
import test from "ava";

const calls = { fromString: 0 };
Object.defineProperty(ArrayBuffer, "fromString", {
  configurable: true,
  value: (text: string): ArrayBuffer => { calls.fromString++; return new TextEncoder().encode(text).slice().buffer; },
});
const { latin1Encode, latin1EncodeStrict, utf8Encode } = await import("../../src/bytes/text.js");

const reference = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

test("ASCII text is encoded by the engine's native and matches the portable result", (t) => {
  const before = calls.fromString;
  const line = "coaps response from fdde:ad00:beef:0:9903:14b:27e0:5744 with payload: 48656c6c6f\r\n";
  t.deepEqual(latin1Encode(line), reference(line));
  t.deepEqual(latin1EncodeStrict(line), reference(line));
  t.deepEqual(utf8Encode(line), reference(line));
  t.deepEqual(latin1Encode("Done\r\n"), reference("Done\r\n"), "short text too: on XS the native call wins at any length");
  t.deepEqual(latin1Encode(""), new Uint8Array(0));
  t.is(calls.fromString - before, 5);
});

test("text with a char past ASCII falls back to the per-char loop, with the same bytes and errors", (t) => {
  for (const text of ["caf\u00e9", "\u00ff\u0000\u007f", "a\ud800b"]) t.deepEqual(latin1Encode(text), reference(text), JSON.stringify(text));
  t.deepEqual(latin1Encode("a\u0141b"), Uint8Array.of(0x61, 0x41, 0x62));
  t.throws(() => latin1EncodeStrict("a\u0141b"), { instanceOf: RangeError, message: "char U+141 at 1 is not a byte" });
  t.deepEqual([...utf8Encode("h\u00e9 \u20ac")], [...Buffer.from("h\u00e9 \u20ac", "utf8")]);
});
