// Encoder: validates, sizes, then writes into a caller's buffer with no other allocation.
import type { CoapMessage } from "./message.js";
import { CoapEncodeError } from "./errors.js";
import { type ByteAllocator, ownArray } from "../bytes/alloc.js";
import { MAX_OPTION_EXTENDED, MAX_OPTION_NUMBER, MAX_TOKEN_LENGTH, OPTION_FORMATS, PAYLOAD_MARKER } from "./numbers.js";

const extSize = (n: number): number => (n < 13 ? 0 : n < 269 ? 1 : 2);

/** Encoded size in bytes; throws CoapEncodeError for anything that cannot be sent. */
export function encodedSize(msg: CoapMessage): number {
  const { type, code, messageId, token, options, payload } = msg;
  if (!(type >= 0 && type <= 3 && (type | 0) === type)) throw new CoapEncodeError("header", `type ${type}`);
  if (!(code >= 0 && code <= 255 && (code | 0) === code)) throw new CoapEncodeError("header", `code ${code}`);
  if (!(messageId >= 0 && messageId <= 0xffff && (messageId | 0) === messageId)) throw new CoapEncodeError("header", `message ID ${messageId}`);
  if (token.length > MAX_TOKEN_LENGTH) throw new CoapEncodeError("tokenLength", `${token.length} bytes`);
  if (code === 0 && (token.length > 0 || options.length > 0 || payload.length > 0)) {
    throw new CoapEncodeError("header", "an empty message (0.00) carries no token, options or payload");
  }
  let size = 4 + token.length;
  let last = 0;
  for (let i = 0; i < options.length; i++) {
    const { number, value } = options[i]!;
    if (!(number >= 0 && number <= MAX_OPTION_NUMBER && (number | 0) === number)) throw new CoapEncodeError("optionNumber", `${number}`);
    if (number < last) throw new CoapEncodeError("optionOrder", `${number} after ${last}`);
    const len = value.length;
    const format = OPTION_FORMATS[number];
    if (format !== undefined ? len < format[1] || len > format[2] : len > MAX_OPTION_EXTENDED) {
      throw new CoapEncodeError("optionLength", `option ${number} with ${len} bytes`);
    }
    size += 1 + extSize(number - last) + extSize(len) + len;
    last = number;
  }
  if (payload.length > 0) size += 1 + payload.length;
  return size;
}

function writeExt(out: Uint8Array, pos: number, n: number): number {
  if (n < 13) return pos;
  if (n < 269) { out[pos] = n - 13; return pos + 1; }
  out[pos] = (n - 269) >> 8;
  out[pos + 1] = (n - 269) & 0xff;
  return pos + 2;
}

const nibble = (n: number): number => (n < 13 ? n : n < 269 ? 13 : 14);

/**
 * Writes `msg` at `out[offset]` and returns the number of bytes written. Rejects a message
 * larger than `maxSize` (default: the room left in `out`) with reason `tooBig`.
 */
export function encodeInto(msg: CoapMessage, out: Uint8Array, offset = 0, maxSize = out.length - offset): number {
  const size = encodedSize(msg);
  if (size > maxSize || size > out.length - offset) throw new CoapEncodeError("tooBig", `${size} bytes, limit ${Math.min(maxSize, out.length - offset)}`);
  return write(msg, out, offset);
}

function write(msg: CoapMessage, out: Uint8Array, offset: number): number {
  const { token, options, payload } = msg;
  out[offset] = 0x40 | (msg.type << 4) | token.length;
  out[offset + 1] = msg.code;
  out[offset + 2] = msg.messageId >> 8;
  out[offset + 3] = msg.messageId & 0xff;
  let pos = offset + 4;
  out.set(token, pos);
  pos += token.length;
  let last = 0;
  for (let i = 0; i < options.length; i++) {
    const { number, value } = options[i]!;
    const delta = number - last;
    const len = value.length;
    out[pos++] = (nibble(delta) << 4) | nibble(len);
    pos = writeExt(out, pos, delta);
    pos = writeExt(out, pos, len);
    out.set(value, pos);
    pos += len;
    last = number;
  }
  if (payload.length > 0) {
    out[pos++] = PAYLOAD_MARKER;
    out.set(payload, pos);
    pos += payload.length;
  }
  return pos - offset;
}

/**
 * A new Uint8Array holding exactly the encoded message, from `allocate` (src/bytes/alloc.ts;
 * default one ArrayBuffer per message).
 */
export function encodeMessage(msg: CoapMessage, maxSize = Infinity, allocate: ByteAllocator = ownArray): Uint8Array {
  const size = encodedSize(msg);
  if (size > maxSize) throw new CoapEncodeError("tooBig", `${size} bytes, limit ${maxSize}`);
  const out = allocate(size);
  write(msg, out, 0);
  return out;
}
