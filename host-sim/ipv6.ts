// Address text on the host side: parse any IPv6 form the spec accepts on input (§1.5) and print
// the one form it uses on output (§1.6: all eight groups, lower-case, no leading zeros, no `::`).

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  readonly bytes: Uint8Array;
  /** Canonical text: full-form IPv6 (§1.6) or dotted IPv4. */
  readonly text: string;
}

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

export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === "0")) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    out[i] = v;
  }
  return out;
}

/** Parses IPv6 text (with at most one `::`, optional dotted IPv4 tail; no zone, no brackets). */
export function parseIpv6(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length > 45 || /[^0-9a-fA-F:.]/.test(text)) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string): number[] | undefined => {
    if (s === "") return [];
    const parts = s.split(":");
    const out: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes(".")) {
        const v4 = parseIpv4(p);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  // A dotted tail is only valid at the very end.
  if (halves.length === 2 && halves[0]!.includes(".")) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return undefined;
    groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => { bytes[2 * i] = g >> 8; bytes[2 * i + 1] = g & 0xff; });
  return bytes;
}

export function formatIpv6(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(":");
}

export function formatIpv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/** Parses IPv4 or IPv6 text into its canonical form, or undefined when it is neither. */
export function parseAddress(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4) return { family: 4, bytes: v4, text: formatIpv4(v4) };
  const v6 = parseIpv6(text);
  if (v6) return { family: 6, bytes: v6, text: formatIpv6(v6) };
  return undefined;
}

/** Canonical text of an address, or undefined when it does not parse. */
export function canonicalAddress(text: string): string | undefined {
  return parseAddress(text)?.text;
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
