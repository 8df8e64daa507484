// Decoder: bounded, never reads past the input, returns views into it (no copies). Every
// malformation is a CoapParseError with its own `reason` (see errors.ts for what to do about it).
import type { CoapMessage, CoapOption } from "./message.js";
import { EMPTY_BYTES } from "./message.js";
import { CoapParseError } from "./errors.js";
import { COAP_VERSION, MAX_OPTION_NUMBER, MAX_TOKEN_LENGTH, PAYLOAD_MARKER } from "./numbers.js";
import type { CoapType } from "./numbers.js";

export function decodeMessage(bytes: Uint8Array): CoapMessage {
  const end = bytes.length;
  if (end < 4) throw new CoapParseError("truncatedHeader", end);
  const b0 = bytes[0]!;
  if (b0 >> 6 !== COAP_VERSION) throw new CoapParseError("version", 0);
  const type = ((b0 >> 4) & 3) as CoapType;
  const tkl = b0 & 15;
  const code = bytes[1]!;
  const messageId = (bytes[2]! << 8) | bytes[3]!;
  if (code === 0) {
    // RFC 7252 §4.1: nothing may follow the header of an empty message.
    if (end !== 4 || tkl !== 0) throw new CoapParseError("emptyWithData", 4, type, messageId);
    return { type, code, messageId, token: EMPTY_BYTES, options: [], payload: EMPTY_BYTES };
  }
  if (tkl > MAX_TOKEN_LENGTH) throw new CoapParseError("tokenLength", 0, type, messageId);
  let pos = 4 + tkl;
  if (pos > end) throw new CoapParseError("truncatedToken", 4, type, messageId);
  const token = bytes.subarray(4, pos);
  const options: CoapOption[] = [];
  let number = 0;
  let payload = EMPTY_BYTES;
  while (pos < end) {
    const start = pos;
    const head = bytes[pos++]!;
    if (head === PAYLOAD_MARKER) {
      if (pos === end) throw new CoapParseError("emptyPayload", start, type, messageId);
      payload = bytes.subarray(pos, end);
      break;
    }
    const deltaNibble = head >> 4;
    const lenNibble = head & 15;
    if (deltaNibble === 15) throw new CoapParseError("optionDelta", start, type, messageId);
    if (lenNibble === 15) throw new CoapParseError("optionLength", start, type, messageId);
    const delta = readExt(bytes, pos, deltaNibble);
    pos += extSize(deltaNibble);
    const len = readExt(bytes, pos, lenNibble);
    pos += extSize(lenNibble);
    if (delta < 0 || len < 0) throw new CoapParseError("optionTruncated", start, type, messageId);
    number += delta;
    if (number > MAX_OPTION_NUMBER) throw new CoapParseError("optionNumber", start, type, messageId);
    if (pos + len > end) throw new CoapParseError("optionTruncated", start, type, messageId);
    options.push({ number, value: bytes.subarray(pos, pos + len) });
    pos += len;
  }
  return { type, code, messageId, token, options, payload };
}

/** Bytes of extended delta or length that follow a nibble of 13 (one) or 14 (two). */
const extSize = (nibble: number): number => (nibble === 13 ? 1 : nibble === 14 ? 2 : 0);

/**
 * The value a delta or length nibble stands for, reading its extension at `bytes[pos]` (the
 * reverse of encode.ts's writeExt); -1 when the extension runs past the end.
 */
function readExt(bytes: Uint8Array, pos: number, nibble: number): number {
  if (nibble < 13) return nibble;
  if (pos + extSize(nibble) > bytes.length) return -1;
  return nibble === 13 ? bytes[pos]! + 13 : ((bytes[pos]! << 8) | bytes[pos + 1]!) + 269;
}
