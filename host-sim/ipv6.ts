// The simulator's own addressing: the mesh prefix, each node's default addresses, and source
// selection. Reading and printing address text is the firmware's src/net/address.ts.
import type { IpAddress } from "../src/net/address.js";

/** The simulated mesh prefix fdde:ad00:beef:0::/64. */
export const MESH_PREFIX = "fdde:ad00:beef:0";

/** Node n's default address: fdde:ad00:beef:0:0:0:0:<n in hex>. */
export function defaultNodeAddress(id: number): string {
  return `${MESH_PREFIX}:0:0:0:${id.toString(16)}`;
}

/** Node n's virtual IPv4 address (documentation range 192.0.2.0/24; never real traffic). */
export function defaultNodeIpv4(id: number): string {
  if (!(id >= 1 && id <= 254)) throw new RangeError("IPv4 sim addresses exist for node ids 1..254");
  return `192.0.2.${id}`;
}

/** Number of leading bits two equal-length addresses share (RFC 6724 rule 8's CommonPrefixLen). */
export function commonPrefixLength(a: Uint8Array, b: Uint8Array): number {
  let bits = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]! ^ b[i]!;
    if (x === 0) { bits += 8; continue; }
    return bits + Math.clz32(x) - 24;
  }
  return bits;
}

/**
 * Picks the source for `destination` among `candidates` of the same family: the longest common
 * prefix wins (RFC 6724 rule 8), ties go to the earlier candidate (the node's primary address).
 */
export function selectSourceAddress(candidates: readonly IpAddress[], destination: IpAddress): IpAddress | undefined {
  let best: IpAddress | undefined;
  let bestLen = -1;
  for (const c of candidates) {
    if (c.family !== destination.family) continue;
    const len = commonPrefixLength(c.bytes, destination.bytes);
    if (len > bestLen) { best = c; bestLen = len; }
  }
  return best;
}
