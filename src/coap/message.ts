// The message model: plain data, shared by the encoder, the decoder and the endpoint.
// Decoded messages hold views into the datagram they came from (no copies).
import { CoapCode, CoapType } from "./numbers.js";

export interface CoapOption {
  readonly number: number;
  readonly value: Uint8Array;
}

export interface CoapMessage {
  type: CoapType;
  /** Code byte: class << 5 | detail (0x45 = 2.05). */
  code: number;
  messageId: number;
  token: Uint8Array;
  /** In ascending option number; repeated options keep their order. */
  options: CoapOption[];
  /** Empty when there is no payload (no marker is sent then). */
  payload: Uint8Array;
}

export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/** "2.05" style. */
export function codeString(code: number): string {
  const d = code & 0x1f;
  return `${code >> 5}.${d < 10 ? "0" : ""}${d}`;
}

/** An empty message (ACK, RST or ping): no token, no options, no payload (RFC 7252 §4.1). */
export function emptyMessage(type: CoapType, messageId: number): CoapMessage {
  return { type, code: CoapCode.EMPTY, messageId, token: EMPTY_BYTES, options: [], payload: EMPTY_BYTES };
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** UTF-8 bytes of a string (no TextEncoder on XS builds). */
export function utf8Encode(text: string): Uint8Array {
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

/**
 * Bytes of a string that holds one byte per char (codes 0–255), as the console carries what was
 * typed; a char beyond 0xff has no byte and throws RangeError rather than being altered.
 */
export function byteStringEncode(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new RangeError(`char U+${c.toString(16)} at ${i} is not a byte`);
    out[i] = c;
  }
  return out;
}

/** One char per byte (codes 0–255): every byte sequence survives, none is decoded. */
export function byteStringDecode(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]!);
  return out;
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
