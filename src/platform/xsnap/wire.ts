// The byte encoding of every message between the firmware inside xsnap and its Node host,
// in both directions. One codec, imported by both sides, so the two can't drift.
//
// A message is a sequence of fields with no names: the opcode (first byte) fixes the layout.
// Numbers are float64 (`now` can be fractional), small ints are u8/u32, text is one byte per
// char (Latin-1) with a u16 length, bytes carry a u32 length. Everything is little-endian.
//
// Both sides run this code, and on XS it is a measurable part of every native call (bench/xs):
// XS interprets it, and some built-ins are slow there (TypedArray slice and set, spreading a
// typed array into arguments), so the hot paths avoid them: copies go through ArrayBuffer
// slice, text is decoded with fromCharCode.apply (src/bytes' latin1Decode spreads, which costs
// XS three times as much), and the few strings written again and again
// (peer addresses, error names) are encoded once.

const ASCII_CHUNK = 4096;

/** Encoded text seen recently (bounded: cleared when full). */
const encodedText = new Map<string, Uint8Array>();
const ENCODED_TEXT_LIMIT = 32;

function encodeText(v: string): Uint8Array {
  const hit = encodedText.get(v);
  if (hit !== undefined) return hit;
  const n = Math.min(v.length, 0xffff);
  const out = new Uint8Array(n + 2);
  out[0] = n & 0xff;
  out[1] = n >> 8;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    out[i + 2] = c < 0x100 ? c : 0x3f;
  }
  if (n <= 64) {
    if (encodedText.size >= ENCODED_TEXT_LIMIT) encodedText.clear();
    encodedText.set(v, out);
  }
  return out;
}

export class WireWriter {
  #bytes: Uint8Array;
  #view: DataView;
  #length = 0;

  constructor(capacity = 64) {
    this.#bytes = new Uint8Array(capacity);
    this.#view = new DataView(this.#bytes.buffer);
  }

  /** Empties the writer for reuse (its buffer stays). */
  reset(): this { this.#length = 0; return this; }

  get length(): number { return this.#length; }

  #reserve(n: number): number {
    const at = this.#length;
    if (at + n > this.#bytes.length) {
      let size = this.#bytes.length * 2;
      while (size < at + n) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.#bytes.subarray(0, at));
      this.#bytes = grown;
      this.#view = new DataView(grown.buffer);
    }
    this.#length = at + n;
    return at;
  }

  // Each writer reserves before touching #bytes/#view: reserving may replace both.
  u8(v: number): this { const at = this.#reserve(1); this.#bytes[at] = v; return this; }
  u32(v: number): this { const at = this.#reserve(4); this.#view.setUint32(at, v, true); return this; }
  f64(v: number): this { const at = this.#reserve(8); this.#view.setFloat64(at, v, true); return this; }
  bool(v: boolean): this { return this.u8(v ? 1 : 0); }

  /** `undefined` as NaN: every optional number on the wire is a time or a count, never NaN. */
  optF64(v: number | undefined): this { return this.f64(v === undefined ? Number.NaN : v); }

  bytes(v: Uint8Array): this {
    this.u32(v.length);
    return this.raw(v);
  }

  /** The bytes as they are, no length (for splicing in what another writer encoded). */
  raw(v: Uint8Array): this {
    const at = this.#reserve(v.length); // may replace #bytes: reserve first
    this.#bytes.set(v, at);
    return this;
  }

  optBytes(v: Uint8Array | undefined): this {
    if (v === undefined) return this.u8(0);
    this.u8(1);
    return this.bytes(v);
  }

  /** Text limited to one byte per char (addresses, error names, messages); others become '?'. */
  text(v: string): this {
    return this.raw(encodeText(v));
  }

  /** A fresh, exact-size ArrayBuffer (issueCommand needs a real ArrayBuffer, not a view). */
  finish(): ArrayBuffer {
    // #bytes always starts at offset 0 of its own buffer.
    return (this.#bytes.buffer as ArrayBuffer).slice(0, this.#length);
  }

  /** The encoded bytes as a view (no copy); valid until the next write. */
  view(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }
}

export class WireReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  #take(n: number): number {
    const at = this.#at;
    if (at + n > this.#bytes.length) throw new RangeError("wire: message truncated");
    this.#at = at + n;
    return at;
  }

  get remaining(): number { return this.#bytes.length - this.#at; }
  // The fixed-size reads check bounds themselves rather than through #take: they are most of
  // what a native call's reply costs on XS.
  u8(): number {
    const at = this.#at;
    if (at >= this.#bytes.length) throw new RangeError("wire: message truncated");
    this.#at = at + 1;
    return this.#bytes[at]!;
  }

  u32(): number {
    const at = this.#at;
    if (at + 4 > this.#bytes.length) throw new RangeError("wire: message truncated");
    this.#at = at + 4;
    return this.#view.getUint32(at, true);
  }

  f64(): number {
    const at = this.#at;
    if (at + 8 > this.#bytes.length) throw new RangeError("wire: message truncated");
    this.#at = at + 8;
    return this.#view.getFloat64(at, true);
  }
  bool(): boolean { return this.u8() !== 0; }

  optF64(): number | undefined {
    const v = this.f64();
    return Number.isNaN(v) ? undefined : v;
  }

  /** A copy, so the caller may keep it after the message buffer is reused. */
  bytes(): Uint8Array {
    const n = this.u32();
    const at = this.#bytes.byteOffset + this.#take(n);
    return new Uint8Array(this.#bytes.buffer.slice(at, at + n));
  }

  optBytes(): Uint8Array | undefined {
    return this.u8() === 0 ? undefined : this.bytes();
  }

  text(): string {
    const n = this.#view.getUint16(this.#take(2), true);
    const at = this.#take(n);
    let out = "";
    for (let i = 0; i < n; i += ASCII_CHUNK) {
      const chunk = this.#bytes.subarray(at + i, at + Math.min(n, i + ASCII_CHUNK));
      out += String.fromCharCode.apply(null, chunk as unknown as number[]);
    }
    return out;
  }
}
