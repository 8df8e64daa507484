// OpenThread's block transmit hook (spec §7.4): random blocks, and ONE counter for the whole
// node, shared by served Block2 GETs and sent Block1 requests. The `Num` printed is that
// counter, not the block number; it wraps to 0 after `blockCount - 1`, and that block is the
// last one (more=0), except that the caller always sends block 0 with more=1.

import type { RandomSource } from "../platform/random.js";
import type { AgentEvent } from "./types.js";

export class BlockCounter {
  #counter = 0;
  /** The node's block count setting (§2.2), 1 initially. */
  count = 1;

  /** Fills a random block of `size` bytes, reports it, and says whether more follow. */
  next(random: RandomSource, size: number, emit: (e: AgentEvent) => void): { block: Uint8Array; more: boolean } {
    const block = new Uint8Array(size);
    random.fill(block);
    emit({ kind: "sendBlock", num: this.#counter, block });
    // `count - 1` is computed in 32-bit unsigned arithmetic, as in C: a count of 0 never ends.
    if (this.#counter === ((this.count - 1) >>> 0)) {
      this.#counter = 0;
      return { block, more: false };
    }
    this.#counter = (this.#counter + 1) >>> 0;
    return { block, more: true };
  }
}
