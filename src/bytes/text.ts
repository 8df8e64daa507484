// Bytes to text and back, for a firmware that may have no TextEncoder or TextDecoder (device XS
// builds) and for the simulator that hosts it. The bottom layer: it imports nothing.
//
// Latin-1 ("one char per byte", codes 0–255) is how console lines, typed payloads, PSKs and
// URIs are held as strings: every byte sequence survives the trip through a string unchanged,
// none is decoded. UTF-8 is for CoAP text that really is text.

/** XS limits a call's argument count: decode in chunks of this many bytes. */
const CHUNK = 4096;

// XS holds strings as UTF-8, so `text.charCodeAt(i)` and `text.length` scan from the start: a
// loop over a string's chars costs an interpreter a native call per char, growing with the
// text. Where the engine can convert natively, ASCII (nearly all console text, and its own
// UTF-8) takes that path.

/** XS's own UTF-8 encoder on a board (Moddable's XS; xsnap's XS, built with CESU-8 strings, lacks it). */
const xsUtf8Bytes = (ArrayBuffer as unknown as { fromString?: (text: string) => ArrayBuffer }).fromString;

/** The part of the web's TextEncoder used here. */
interface Utf8Encoder {
  encode(text: string): Uint8Array;
}

/**
 * The engine's own UTF-8 encoder where it has one (Node, xsnap). Only looked up, never
 * required: a device build has no global TextEncoder (the portability check forbids relying
 * on one); its XS has ArrayBuffer.fromString instead.
 */
const nativeUtf8: Utf8Encoder | undefined = ((): Utf8Encoder | undefined => {
  const TextEncoderClass = (globalThis as Partial<{ TextEncoder: new () => Utf8Encoder }>).TextEncoder;
  return TextEncoderClass === undefined ? undefined : new TextEncoderClass();
})();

/**
 * Shorter texts take the loop: V8 runs it faster than a call into its native encoder (on XS
 * the call wins from a few chars on).
 */
const NATIVE_MIN_CHARS = 16;

/**
 * The bytes of `text` when every char is ASCII (below 0x80: its UTF-8, Latin-1 and ASCII bytes
 * are the same) and the engine has a native encoder (a board's XS: always; TextEncoder: for
 * texts that are not short); undefined otherwise (then a loop encodes). Console lines nearly always are ASCII: one native call
 * instead of a call and a store per char costs an interpreter a fraction (XS: a 60-char line
 * ~30 compute units instead of ~1,800).
 */
function asciiBytes(text: string): Uint8Array | undefined {
  let bytes: Uint8Array;
  if (xsUtf8Bytes !== undefined) bytes = new Uint8Array(xsUtf8Bytes(text));
  else if (nativeUtf8 === undefined || text.length < NATIVE_MIN_CHARS) return undefined;
  else bytes = nativeUtf8.encode(text);
  // A char at or above 0x80 takes 2 or more bytes (a lone surrogate becomes U+FFFD, 3 bytes).
  return bytes.length === text.length ? bytes : undefined;
}

/** One byte per char; a char beyond 0xff keeps its low byte (console text never holds one). */
export function latin1Encode(text: string): Uint8Array {
  const ascii = asciiBytes(text);
  if (ascii !== undefined) return ascii;
  const n = text.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** One byte per char; a char beyond 0xff has no byte and throws RangeError rather than being altered. */
export function latin1EncodeStrict(text: string): Uint8Array {
  const ascii = asciiBytes(text);
  if (ascii !== undefined) return ascii;
  const n = text.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new RangeError(`char U+${c.toString(16)} at ${i} is not a byte`);
    out[i] = c;
  }
  return out;
}

/** One char per byte. */
export function latin1Decode(bytes: Uint8Array): string {
  // The bytes are fromCharCode's argument list as they are (apply takes any array-like): one
  // call, where a loop costs an interpreter a call and a concatenation per byte and a spread
  // first copies the bytes into an array.
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let out = "";
  for (let i = 0; i < bytes.length; i += CHUNK) out += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  return out;
}

/** UTF-8 bytes of a string; a lone surrogate is encoded as it is (as its code point). */
export function utf8Encode(text: string): Uint8Array {
  const asciiText = asciiBytes(text);
  if (asciiText !== undefined) return asciiText;
  let ascii = true;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) { ascii = false; break; }
  if (ascii) {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }
  const bytes: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(bytes);
}

/** Text of UTF-8 bytes; a malformed sequence becomes U+FFFD, it never throws. */
export function utf8Decode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) { out += String.fromCharCode(b); i++; continue; }
    const n = b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
    let c = n === 3 ? b & 7 : n === 2 ? b & 15 : b & 31;
    let ok = n > 0 && i + n < bytes.length;
    for (let k = 1; ok && k <= n; k++) {
      const cb = bytes[i + k];
      if (cb === undefined || (cb & 0xc0) !== 0x80) ok = false;
      else c = (c << 6) | (cb & 63);
    }
    if (!ok || c > 0x10ffff) { out += "\ufffd"; i++; continue; }
    out += String.fromCodePoint(c);
    i += n + 1;
  }
  return out;
}
