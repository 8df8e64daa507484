// Serving a representation that an app hands over whole in blocks (RFC 7959 §2.4, §3.4): the
// answer to a GET with Block2, a response or notification too big for one message. Internal to
// src/coap/ (server.ts, observe.ts).
//
// Every block of a cut representation carries an ETag made from the whole representation
// (unless the app set one), so that a client fetching the later blocks of a notification can
// tell when the state changed under it (RFC 7959 §2.4, §3.4) and does not mix two states.
import type { CoapOption } from "./message.js";
import { CoapOptionNumber } from "./numbers.js";
import { blockSize, findOption, setBlock2, setOption, setSize2, type BlockOption } from "./options.js";

/** Room for a response's header, token and options around a block. */
export const BLOCK_HEADROOM = 32;

/** The largest block size (SZX) that fits a message of `maxMessageSize` with its options. */
export function largestSzx(maxMessageSize: number): number {
  let szx = 6;
  while (szx > 0 && blockSize(szx) > maxMessageSize - BLOCK_HEADROOM) szx--;
  return szx;
}

/** One block of a representation, or "pastEnd" when the block asked for starts after its end. */
export type RepresentationBlock = { readonly block: BlockOption; readonly bytes: Uint8Array; readonly total: number } | "pastEnd";

/**
 * The block of `payload` to send: the one `requested` asks for (at most the size that fits,
 * from the same byte offset, RFC 7959 §2.4), or block 0 when nothing was asked for and the
 * payload does not fit one message (late negotiation). Undefined: send the payload whole, also
 * when block 0 was asked for and the payload fits in it (as a server without block-wise
 * support answers, so small answers stay as they were).
 */
export function blockOf(payload: Uint8Array, requested: BlockOption | undefined, maxMessageSize: number): RepresentationBlock | undefined {
  const fits = largestSzx(maxMessageSize);
  if (requested === undefined && payload.length <= maxMessageSize - BLOCK_HEADROOM) return undefined;
  if (requested !== undefined && requested.num === 0 && payload.length <= blockSize(Math.min(requested.szx, fits))) return undefined;
  let szx = fits, num = 0;
  if (requested !== undefined) {
    szx = Math.min(requested.szx, fits);
    num = (requested.num * blockSize(requested.szx)) / blockSize(szx);
  }
  const size = blockSize(szx);
  const start = num * size;
  if (start > 0 && start >= payload.length) return "pastEnd";
  return { block: { num, more: start + size < payload.length, szx }, bytes: payload.subarray(start, start + size), total: payload.length };
}

/** Block2, an ETag of the whole representation unless one is set, Size2 on block 0. */
export function addBlockOptions(options: CoapOption[], cut: Exclude<RepresentationBlock, "pastEnd">, representation: Uint8Array): void {
  setBlock2(options, cut.block);
  if (findOption(options, CoapOptionNumber.ETAG) === undefined) setOption(options, CoapOptionNumber.ETAG, entityTag(representation));
  if (cut.block.num === 0) setSize2(options, cut.total);
}

/** A 4-byte entity tag of `bytes` (FNV-1a): equal representations, equal tags. */
export function entityTag(bytes: Uint8Array): Uint8Array {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return Uint8Array.of(h >>> 24, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff);
}
