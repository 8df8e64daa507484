// Bytes to text and back, for a firmware that has no TextEncoder or TextDecoder (XS builds) and
// for the simulator that hosts it. The bottom layer: it imports nothing.
//
// Latin-1 ("one char per byte", codes 0–255) is how console lines, typed payloads, PSKs and
// URIs are held as strings: every byte sequence survives the trip through a string unchanged,
// none is decoded. UTF-8 is for CoAP text that really is text.

/** XS limits a call's argument count: decode in chunks of this many bytes. */
const CHUNK = 4096;

// XS holds strings as UTF-8, so `text.charCodeAt(i)` and `text.length` scan from the start: a
// loop over a string's chars is quadratic there. XS (Moddable's and xsnap's) has native UTF-8
// conversions, and ASCII, nearly all console text, is its own UTF-8; other engines lack them
// and index strings in constant time.
const xsUtf8Bytes = (ArrayBuffer as unknown as { fromString?: (text: string) => ArrayBuffer }).fromString;
const xsUtf8Text = (String as unknown as { fromArrayBuffer?: (buffer: ArrayBuffer) => string }).fromArrayBuffer;

/** The text's bytes when every char is ASCII (XS only), else undefined. */
function asciiBytes(text: string): Uint8Array | undefined {
  if (xsUtf8Bytes === undefined) return undefined;
  const utf8 = new Uint8Array(xsUtf8Bytes(text));
  // Any other char takes more UTF-8 bytes than UTF-16 units.
  return utf8.length === text.length ? utf8 : undefined;
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
  if (xsUtf8Text !== undefined) {
    const n = bytes.length;
    let ascii = true;
    for (let i = 0; i < n; i++) if (bytes[i]! > 0x7f) { ascii = false; break; }
    if (ascii) return xsUtf8Text((bytes.buffer as ArrayBuffer).slice(bytes.byteOffset, bytes.byteOffset + n));
  }
  let out = "";
  // Short texts (Uri-Path segments, on every request) without the spread's copy and array.
  if (bytes.length <= 16) {
    for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]!);
    return out;
  }
  for (let i = 0; i < bytes.length; i += CHUNK) out += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
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
