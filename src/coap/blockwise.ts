// Server-side Block1 reassembly (RFC 7959 §2.5): one body per (peer, resource path). Blocks
// must arrive in order; a gap or a block without a start is "incomplete" (4.08), a body over
// the limit is "tooLarge" (4.13).
import type { PeerKey } from "./endpoint-types.js";
import type { BlockOption } from "./options.js";
import { blockSize } from "./options.js";

export type Block1Outcome =
  | { readonly kind: "continue" }
  | { readonly kind: "complete"; readonly body: Uint8Array }
  | { readonly kind: "incomplete" }
  | { readonly kind: "tooLarge" };

interface Body {
  chunks: Uint8Array[];
  length: number;
}

export class Block1Reassembly {
  /** Made at the first Block1 request: most sessions never see one (XS heap per session, issue 12). */
  #bodies: Map<string, Body> | undefined;
  readonly #maxSize: number;

  constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  add(peer: PeerKey, path: string, block: BlockOption, bytes: Uint8Array): Block1Outcome {
    const key = `${peer}\u0000${path}`;
    const bodies = (this.#bodies ??= new Map());
    let body = bodies.get(key);
    if (block.num === 0) {
      body = { chunks: [], length: 0 };
      bodies.set(key, body);
    }
    if (body === undefined || block.num * blockSize(block.szx) !== body.length) {
      bodies.delete(key);
      return { kind: "incomplete" };
    }
    if (body.length + bytes.length > this.#maxSize) {
      bodies.delete(key);
      return { kind: "tooLarge" };
    }
    // Copy: the block is a view into a datagram the transport may reuse.
    body.chunks.push(bytes.slice());
    body.length += bytes.length;
    if (block.more) return { kind: "continue" };
    bodies.delete(key);
    const out = new Uint8Array(body.length);
    let at = 0;
    for (const c of body.chunks) { out.set(c, at); at += c.length; }
    return { kind: "complete", body: out };
  }

  clear(peer?: PeerKey): void {
    const bodies = this.#bodies;
    if (bodies === undefined) return;
    if (peer === undefined) { bodies.clear(); return; }
    for (const key of [...bodies.keys()]) if (key.startsWith(`${peer}\u0000`)) bodies.delete(key);
  }
}
