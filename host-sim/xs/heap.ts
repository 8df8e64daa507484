// Exact XS heap use from a heap snapshot. xsnap's `w` collects garbage, then writes the live
// chunks (atom BLOC, bytes) and the live slots (atom HEAP, 32 bytes each on this 64-bit host).
// Inside the snapshot these sit in an XS_M container atom: 4-byte big-endian size (header
// included) then a 4-char type.
import { readFileSync } from "node:fs";

export const HOST_SLOT_BYTES = 32;
export const MCU_SLOT_BYTES = 16;

export interface XsHeapUse {
  /** Live slots after a collection. */
  readonly slots: number;
  /** Live chunk bytes after a collection (strings, byte buffers, slot tables, code). */
  readonly chunkBytes: number;
}

export function readSnapshotHeap(path: string): XsHeapUse {
  const file = readFileSync(path);
  let slots: number | undefined, chunkBytes: number | undefined;
  const walk = (from: number, to: number) => {
    let at = from;
    while (at + 8 <= to) {
      const size = file.readUInt32BE(at);
      const type = file.toString("latin1", at + 4, at + 8);
      if (size < 8) break;
      if (type === "XS_M") walk(at + 8, at + size);
      else if (type === "BLOC") chunkBytes = size - 8;
      else if (type === "HEAP") slots = (size - 8) / HOST_SLOT_BYTES;
      at += size;
    }
  };
  walk(0, file.length);
  if (slots === undefined || chunkBytes === undefined) throw new Error(`no HEAP/BLOC atoms in snapshot ${path}`);
  return { slots, chunkBytes };
}

export function heapDelta(now: XsHeapUse, base: XsHeapUse): XsHeapUse {
  return { slots: now.slots - base.slots, chunkBytes: now.chunkBytes - base.chunkBytes };
}

/**
 * Bytes the same heap would take on a 32-bit MCU: slots shrink to 16 bytes; chunk bytes are
 * counted as they are (an upper bound: chunks hold text and bytes, plus some pointer tables).
 */
export function mcuBytes(use: XsHeapUse): number {
  return use.slots * MCU_SLOT_BYTES + use.chunkBytes;
}

export function formatHeap(use: XsHeapUse): string {
  const kb = (n: number) => (n / 1024).toFixed(1);
  return `${use.slots} slots + ${use.chunkBytes} chunk bytes = ` +
    `${kb(use.slots * HOST_SLOT_BYTES + use.chunkBytes)} KB here (64-bit), ${kb(mcuBytes(use))} KB on a 32-bit MCU`;
}
