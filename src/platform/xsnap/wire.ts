// The byte encoding of every message between the firmware inside xsnap and its Node host,
// in both directions. One codec, imported by both sides, so the two can't drift.
//
// A message is a sequence of fields with no names: the opcode (first byte) fixes the layout.
// Numbers are float64 (`now` can be fractional), small ints are u8/u32, text is one byte per
// char (Latin-1) with a u16 length, bytes carry a u32 length. Everything is little-endian.

import { latin1Decode } from "../../bytes/text.js";

export class WireWriter {
  #bytes: Uint8Array;
  #view: DataView;
  #length = 0;

  constructor(capacity = 64) {
    this.#bytes = new Uint8Array(capacity);
    this.#view = new DataView(this.#bytes.buffer);
  }

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
    const n = Math.min(v.length, 0xffff);
    const lengthAt = this.#reserve(2);
    this.#view.setUint16(lengthAt, n, true);
    const at = this.#reserve(n);
    for (let i = 0; i < n; i++) {
      const c = v.charCodeAt(i);
      this.#bytes[at + i] = c < 0x100 ? c : 0x3f;
    }
    return this;
  }

  /** A fresh, exact-size ArrayBuffer (issueCommand needs a real ArrayBuffer, not a view). */
  finish(): ArrayBuffer {
    return this.#bytes.slice(0, this.#length).buffer;
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
  u8(): number { return this.#bytes[this.#take(1)]!; }
  u32(): number { return this.#view.getUint32(this.#take(4), true); }
  f64(): number { return this.#view.getFloat64(this.#take(8), true); }
  bool(): boolean { return this.u8() !== 0; }

  optF64(): number | undefined {
    const v = this.f64();
    return Number.isNaN(v) ? undefined : v;
  }

  /** A copy, so the caller may keep it after the message buffer is reused. */
  bytes(): Uint8Array {
    const n = this.u32();
    const at = this.#take(n);
    return this.#bytes.slice(at, at + n);
  }

  optBytes(): Uint8Array | undefined {
    return this.u8() === 0 ? undefined : this.bytes();
  }

  text(): string {
    const n = this.#view.getUint16(this.#take(2), true);
    const at = this.#take(n);
    return latin1Decode(this.#bytes.subarray(at, at + n));
  }
}
