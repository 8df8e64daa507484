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
