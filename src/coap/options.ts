// Option list helpers. The list is ordered by option number; repeated options (Uri-Path,
// Uri-Query, Location-Path, ETag, If-Match) keep the order they were added in.
import type { CoapOption } from "./message.js";
import { EMPTY_BYTES } from "./message.js";
import { latin1Decode, latin1EncodeStrict, utf8Decode, utf8Encode } from "../bytes/text.js";
import { CoapOptionNumber as O } from "./numbers.js";

/** Unsigned integer in the fewest bytes, big-endian; 0 is the empty value (RFC 7252 §3.2). */
export function encodeUint(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`invalid uint option value ${value}`);
  if (value === 0) return EMPTY_BYTES;
  const n = value < 0x100 ? 1 : value < 0x10000 ? 2 : value < 0x1000000 ? 3 : 4;
  const out = new Uint8Array(n);
  for (let i = n - 1, v = value; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}

/** Value of a uint option; leading zero bytes are accepted, as the RFC requires of receivers. */
export function decodeUint(bytes: Uint8Array): number {
  let v = 0;
  for (let i = 0; i < bytes.length; i++) v = v * 256 + bytes[i]!;
  return v;
}

/** Inserts after every option with a number ≤ `number`, so repeats keep their order. */
export function addOption(options: CoapOption[], number: number, value: Uint8Array): CoapOption[] {
  let i = options.length;
  while (i > 0 && options[i - 1]!.number > number) i--;
  options.splice(i, 0, { number, value });
  return options;
}

export function removeOption(options: CoapOption[], number: number): CoapOption[] {
  for (let i = options.length - 1; i >= 0; i--) if (options[i]!.number === number) options.splice(i, 1);
  return options;
}

/** Replaces every occurrence of `number` by one option. */
export function setOption(options: CoapOption[], number: number, value: Uint8Array): CoapOption[] {
  return addOption(removeOption(options, number), number, value);
}

// The option helpers run several times per message: their loops are indexed, as for…of costs an
// interpreter (XS) an iterator per call, about as much as scanning a short list.

export function findOption(options: readonly CoapOption[], number: number): CoapOption | undefined {
  for (let i = 0; i < options.length; i++) if (options[i]!.number === number) return options[i];
  return undefined;
}

export function findOptions(options: readonly CoapOption[], number: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < options.length; i++) if (options[i]!.number === number) out.push(options[i]!.value);
  return out;
}

export const setUintOption = (options: CoapOption[], number: number, value: number): CoapOption[] =>
  setOption(options, number, encodeUint(value));
export const getUintOption = (options: readonly CoapOption[], number: number): number | undefined => {
  const o = findOption(options, number);
  return o === undefined ? undefined : decodeUint(o.value);
};

// ---- Uri-Path ----

/**
 * How a path string maps to option bytes. "utf8" (the default) suits text paths. "bytes" takes
 * one char per byte (codes 0–255) both ways, so any byte goes on the wire and is matched as
 * it is: OpenThread copies typed bytes into Uri-Path and compares C strings (spec §3.7, §3.11).
 */
export type PathEncoding = "utf8" | "bytes";

/**
 * The option values of a path: one per `/`-separated segment, empty segments included (spec
 * §6.1, §3.11). With "bytes", a char beyond 0xff throws RangeError.
 */
export function encodePath(path: string, encoding: PathEncoding = "utf8"): Uint8Array[] {
  const encode = encoding === "bytes" ? latin1EncodeStrict : utf8Encode;
  const segments = path.split("/");
  const values: Uint8Array[] = [];
  for (let i = 0; i < segments.length; i++) values.push(encode(segments[i]!));
  return values;
}

/** Replaces every `number` option by the values of `path` (see encodePath); all or nothing. */
export function setPathOptions(options: CoapOption[], number: number, path: string, encoding: PathEncoding = "utf8"): CoapOption[] {
  const values = encodePath(path, encoding); // a bad char throws before `options` is touched
  removeOption(options, number);
  for (let i = 0; i < values.length; i++) addOption(options, number, values[i]!);
  return options;
}

/**
 * Joins segments the way OpenThread's server does (spec §6.1): a `/` goes before a segment only
 * once something has been written, so leading empty segments vanish and all others stay
 * (`/abc` → `abc`, `a//b` → `a//b`, `a/b/` → `a/b/`).
 */
export function joinPathOptions(options: readonly CoapOption[], number: number, encoding: PathEncoding = "utf8"): string {
  const decode = encoding === "bytes" ? latin1Decode : utf8Decode;
  let out = "";
  for (let i = 0; i < options.length; i++) {
    const o = options[i]!;
    if (o.number !== number) continue;
    if (out.length > 0) out += "/";
    out += decode(o.value);
  }
  return out;
}

export const setUriPath = (options: CoapOption[], path: string, encoding?: PathEncoding) => setPathOptions(options, O.URI_PATH, path, encoding);
export const getUriPath = (options: readonly CoapOption[], encoding?: PathEncoding) => joinPathOptions(options, O.URI_PATH, encoding);

export const setContentFormat = (o: CoapOption[], v: number) => setUintOption(o, O.CONTENT_FORMAT, v);
export const setMaxAge = (o: CoapOption[], v: number) => setUintOption(o, O.MAX_AGE, v);
export const setSize2 = (o: CoapOption[], v: number) => setUintOption(o, O.SIZE2, v);

// ---- Observe (RFC 7641 §2: 0 … 2^24 − 1 in 0–3 bytes) ----
export const getObserve = (o: readonly CoapOption[]) => getUintOption(o, O.OBSERVE);
export const setObserve = (o: CoapOption[], v: number) => setUintOption(o, O.OBSERVE, v);

// ---- preconditions (RFC 7252 §5.10.8) ----
export const getIfMatch = (o: readonly CoapOption[]) => findOptions(o, O.IF_MATCH);
export const hasIfNoneMatch = (o: readonly CoapOption[]) => findOption(o, O.IF_NONE_MATCH) !== undefined;

// ---- Block1 / Block2 (RFC 7959 §2.2) ----

export interface BlockOption {
  /** Block number, 0 … 2^20 − 1. */
  readonly num: number;
  /** More blocks follow (M). */
  readonly more: boolean;
  /** Size exponent 0 … 6: the block holds 2^(szx+4) bytes. */
  readonly szx: number;
}

export const blockSize = (szx: number): number => 1 << (szx + 4);

/** SZX of a size that is a power of two in 16 … 1024, else undefined. */
export function szxOfSize(size: number): number | undefined {
  for (let szx = 0; szx <= 6; szx++) if (blockSize(szx) === size) return szx;
  return undefined;
}

export function encodeBlock(block: BlockOption): Uint8Array {
  if (!Number.isInteger(block.num) || block.num < 0 || block.num >= 1 << 20) throw new RangeError(`invalid block number ${block.num}`);
  if (!Number.isInteger(block.szx) || block.szx < 0 || block.szx > 6) throw new RangeError(`invalid block szx ${block.szx}`);
  return encodeUint(block.num * 16 + (block.more ? 8 : 0) + block.szx);
}

/** Undefined for a value over 3 bytes or the reserved SZX 7 (RFC 7959 §2.2: 4.00 Bad Request). */
export function decodeBlock(value: Uint8Array): BlockOption | undefined {
  if (value.length > 3) return undefined;
  const v = decodeUint(value);
  const szx = v & 7;
  if (szx === 7) return undefined;
  return { num: v >>> 4, more: (v & 8) !== 0, szx };
}

export const getBlock1 = (o: readonly CoapOption[]) => { const x = findOption(o, O.BLOCK1); return x && decodeBlock(x.value); };
export const getBlock2 = (o: readonly CoapOption[]) => { const x = findOption(o, O.BLOCK2); return x && decodeBlock(x.value); };
export const setBlock1 = (o: CoapOption[], b: BlockOption) => setOption(o, O.BLOCK1, encodeBlock(b));
export const setBlock2 = (o: CoapOption[], b: BlockOption) => setOption(o, O.BLOCK2, encodeBlock(b));
