// Randomness from the platform (getrandom on the host, the hardware RNG on ESP32).
// Math.random is never used: on XS it is unseeded and the same in every worker.

export interface RandomSource {
  /** Fills `bytes` with random bytes. */
  fill(bytes: Uint8Array): void;
}

export function randomUint16(random: RandomSource): number {
  const b = new Uint8Array(2);
  random.fill(b);
  return (b[0]! << 8) | b[1]!;
}

/** Uniform integer in [min, max], both inclusive (range at most 2^32). */
export function randomInt(random: RandomSource, min: number, max: number): number {
  const b = new Uint8Array(4);
  random.fill(b);
  const v = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  return min + (v % (max - min + 1));
}
