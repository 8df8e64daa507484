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

/**
 * A RandomSource that draws from `source` in blocks of `blockSize` bytes and hands them out in
 * order, so a hot path asking for 2 or 4 bytes at a time (tokens, retransmission jitter) costs
 * one call into the platform per block instead of one per request. Where each fill is a system
 * call (getrandom, webcrypto) that call dominates a CoAP exchange. The bytes are the source's,
 * unchanged and never handed out twice.
 */
export function pooledRandomSource(source: RandomSource, blockSize = 256): RandomSource {
  if (!(blockSize >= 1)) throw new RangeError("blockSize must be at least 1");
  const pool = new Uint8Array(blockSize);
  let used = blockSize;
  return {
    fill(bytes: Uint8Array): void {
      if (bytes.length > blockSize) { source.fill(bytes); return; }
      for (let i = 0; i < bytes.length; i++) {
        if (used === blockSize) { source.fill(pool); used = 0; }
        bytes[i] = pool[used++]!;
      }
    },
  };
}
