// Fresh byte arrays for what the codec encodes (one per message sent), from the platform
// (Platform.allocBytes) through the agent to the endpoint.
//
// By default each is its own `new Uint8Array(n)`: on XS (the device) an array then holds only
// its own bytes, so a message kept for later (a retransmission copy, a cached response) keeps
// nothing else alive. A host on V8 passes slabAllocator(): there every ArrayBuffer is an
// off-heap allocation, which on some machines costs more than encoding the message (measured
// 1–2 µs for 65–512 bytes against 0.02 µs at 64 bytes and below), so arrays are cut from shared
// slabs as Node's Buffer pool cuts them, and a kept message keeps its slab alive as a pooled
// Buffer does.

export type ByteAllocator = (length: number) => Uint8Array;

/** One ArrayBuffer per array: the default, and what a device uses. */
export const ownArray: ByteAllocator = (length) => new Uint8Array(length);

/**
 * Arrays of up to `maxPooled` bytes cut from `slabSize`-byte slabs, each starting on an 8-byte
 * boundary; larger ones get their own buffer. A slab is never reused: it goes when the last
 * array cut from it does, so handing out a range is all the bookkeeping there is.
 */
export function slabAllocator(slabSize = 8192, maxPooled = slabSize >>> 1): ByteAllocator {
  if (!(maxPooled <= slabSize)) throw new RangeError("maxPooled must fit in a slab");
  let slab = new ArrayBuffer(slabSize);
  let used = 0;
  return (length) => {
    if (length > maxPooled) return new Uint8Array(length);
    if (used + length > slabSize) {
      slab = new ArrayBuffer(slabSize);
      used = 0;
    }
    const bytes = new Uint8Array(slab, used, length);
    used = (used + length + 7) & ~7;
    return bytes;
  };
}
