// fast-check generators for valid CoAP messages, and a plain form for deep comparison.
import fc from "fast-check";
import type { CoapMessage, CoapOption } from "../../../src/coap/message.js";
import { OPTION_FORMATS, type CoapType } from "../../../src/coap/numbers.js";
import { encodeUint } from "../../../src/coap/options.js";
import { utf8Encode } from "../../../src/bytes/text.js";

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const UINT_MAX: Record<number, number> = { 6: 0xffffff, 7: 0xffff, 12: 0xffff, 14: 0xffffffff, 17: 0xffff, 23: 0xffffff, 27: 0xffffff, 28: 0xffffffff, 60: 0xffffffff, 258: 0xff };
const UNKNOWN_NUMBERS = fc.integer({ min: 0, max: 65535 }).filter((n) => OPTION_FORMATS[n] === undefined);

export const arbOption: fc.Arbitrary<CoapOption> = fc.oneof(
  fc.constantFrom(...Object.keys(UINT_MAX).map(Number)).chain((n) =>
    fc.integer({ min: 0, max: UINT_MAX[n]! }).map((v) => ({ number: n, value: encodeUint(v) }))),
  fc.constantFrom(8, 11, 15, 20).chain((n) =>
    fc.string({ maxLength: 40 }).map((s) => ({ number: n, value: utf8Encode(s) }))),
  fc.constantFrom(3, 39).chain((n) => fc.string({ minLength: 1, maxLength: 20 }).map((s) => ({ number: n, value: utf8Encode(s) }))),
  bytes(1, 8).map((value) => ({ number: 4, value })),
  bytes(0, 8).map((value) => ({ number: 1, value })),
  fc.constant({ number: 5, value: new Uint8Array(0) }),
  fc.tuple(UNKNOWN_NUMBERS, bytes(0, 300)).map(([number, value]) => ({ number, value })),
);

/** Stable sort: repeated options keep their generated order. */
export const arbOptions = fc.array(arbOption, { maxLength: 12 }).map((opts) => opts.sort((a, b) => a.number - b.number));

export const arbNonEmptyMessage: fc.Arbitrary<CoapMessage> = fc.record({
  type: fc.integer({ min: 0, max: 3 }).map((t) => t as CoapType),
  code: fc.integer({ min: 1, max: 255 }),
  messageId: fc.integer({ min: 0, max: 0xffff }),
  token: bytes(0, 8),
  options: arbOptions,
  payload: bytes(0, 600),
});

export const arbEmptyMessage: fc.Arbitrary<CoapMessage> = fc.record({
  type: fc.integer({ min: 0, max: 3 }).map((t) => t as CoapType),
  code: fc.constant(0),
  messageId: fc.integer({ min: 0, max: 0xffff }),
  token: fc.constant(new Uint8Array(0)),
  options: fc.constant([]),
  payload: fc.constant(new Uint8Array(0)),
});

export const arbMessage = fc.oneof({ weight: 9, arbitrary: arbNonEmptyMessage }, { weight: 1, arbitrary: arbEmptyMessage });

export interface PlainMessage {
  type: number; code: number; messageId: number; token: number[];
  options: { number: number; value: number[] }[]; payload: number[];
}

export function plain(m: CoapMessage): PlainMessage {
  return {
    type: m.type, code: m.code, messageId: m.messageId, token: [...m.token],
    options: m.options.map((o) => ({ number: o.number, value: [...o.value] })), payload: [...m.payload],
  };
}
