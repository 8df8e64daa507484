// Seeded randomness for the simulator: xoshiro128** seeded through splitmix32. Everything
// random in a run (loss, jitter, node RNGs) draws from generators derived from one seed, so
// the seed reproduces the run.
import type { RandomSource } from "../src/platform/random.js";

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Prng {
  #a: number; #b: number; #c: number; #d: number;

  /** `seed` is any integer; `stream` derives independent generators from one seed (e.g. a node id). */
  constructor(seed: number, stream = 0) {
    const st = { s: (seed ^ Math.imul(stream + 1, 0x632be5ab)) | 0 };
    // Mix the high bits of large seeds in too, so 2^32 + 1 and 1 differ.
    st.s = (st.s ^ Math.floor(seed / 0x100000000)) | 0;
    this.#a = splitmix32(st); this.#b = splitmix32(st); this.#c = splitmix32(st); this.#d = splitmix32(st);
    if ((this.#a | this.#b | this.#c | this.#d) === 0) this.#a = 1;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#b, 5), 7), 9) >>> 0;
    const t = this.#b << 9;
    this.#c ^= this.#a; this.#d ^= this.#b; this.#b ^= this.#c; this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x100000000;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  fill(bytes: Uint8Array): void {
    // Little-endian words, the last one cut short. The state is worked on in locals and the
    // length read once: private fields and a typed array's length are lookups on XS, where
    // the simulation also runs (host-sim/xs/in-process/), and this runs for every token.
    const n = bytes.length;
    let a = this.#a, b = this.#b, c = this.#c, d = this.#d;
    for (let i = 0; i < n; i += 4) {
      const v = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
      const t = b << 9;
      c ^= a; d ^= b; b ^= c; a ^= d;
      c ^= t;
      d = rotl(d, 11);
      if (i + 4 <= n) {
        bytes[i] = v & 0xff;
        bytes[i + 1] = (v >>> 8) & 0xff;
        bytes[i + 2] = (v >>> 16) & 0xff;
        bytes[i + 3] = v >>> 24;
      } else {
        for (let k = 0; i + k < n; k++) bytes[i + k] = (v >>> (8 * k)) & 0xff;
      }
    }
    this.#a = a; this.#b = b; this.#c = c; this.#d = d;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A platform RandomSource that is reproducible from (seed, stream). */
export function seededRandomSource(seed: number, stream: number): RandomSource {
  const prng = new Prng(seed, stream);
  return { fill: (bytes) => prng.fill(bytes) };
}
