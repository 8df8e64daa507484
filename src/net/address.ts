// IP address text, read and printed in one place for the firmware and the simulator alike:
// IPv6 in any form spec §1.5 accepts on input and in the one form §1.6 prints (all eight
// groups, lower-case, no leading zeros, never `::`-compressed), and dotted IPv4 (an extension
// beyond OpenThread's IPv6-only CLI, for peers on an IPv4 network). This canonical text is
// what the UDP platform reports and the console prints.

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  /** 16 bytes for IPv6, 4 for IPv4, network order. */
  readonly bytes: Uint8Array;
  /** Canonical text: full-form IPv6 (§1.6) or dotted IPv4. */
  readonly text: string;
}

function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/**
 * Dotted-quad IPv4 as 4 bytes: four decimal parts 0..255 of 1–3 digits. A leading zero is
 * refused ("01"), since C's inet_aton (and lwIP's) would read such a part as octal.
 */
export function parseIp4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (p.length < 1 || p.length > 3 || (p.length > 1 && p.charCodeAt(0) === 0x30)) return undefined;
    let v = 0;
    for (let j = 0; j < p.length; j++) {
      const d = digitValue(p.charCodeAt(j));
      if (d < 0 || d > 9) return undefined;
      v = v * 10 + d;
    }
    if (v > 255) return undefined;
    out[i] = v;
  }
  return out;
}

/**
 * IPv6 text as 16 bytes: hex groups of 1–4 digits in either case, at most one `::` standing
 * for one or more zero groups, an optional dotted IPv4 tail; no zone, no brackets (§1.5).
 */
export function parseIp6(text: string): Uint8Array | undefined {
  const double = text.indexOf("::");
  if (double >= 0 && text.indexOf("::", double + 1) >= 0) return undefined;
  const head = double >= 0 ? text.slice(0, double) : text;
  const tail = double >= 0 ? text.slice(double + 2) : "";
  const headGroups = splitGroups(head, double < 0);
  const tailGroups = double >= 0 ? splitGroups(tail, true) : [];
  if (headGroups === undefined || tailGroups === undefined) return undefined;
  const total = headGroups.length + tailGroups.length;
  if (double >= 0 ? total > 7 : total !== 8) return undefined;
  const out = new Uint8Array(16);
  headGroups.forEach((g, i) => { out[2 * i] = g >> 8; out[2 * i + 1] = g & 0xff; });
  const start = 8 - tailGroups.length;
  tailGroups.forEach((g, i) => { out[2 * (start + i)] = g >> 8; out[2 * (start + i) + 1] = g & 0xff; });
  return out;
}

/** Groups of one `:`-separated part; `allowIp4Tail` lets its last group be a dotted quad. */
function splitGroups(part: string, allowIp4Tail: boolean): number[] | undefined {
  if (part.length === 0) return [];
  const fields = part.split(":");
  const groups: number[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (i === fields.length - 1 && allowIp4Tail && f.indexOf(".") >= 0) {
      const v4 = parseIp4(f);
      if (v4 === undefined) return undefined;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      continue;
    }
    if (f.length < 1 || f.length > 4) return undefined;
    let v = 0;
    for (let j = 0; j < f.length; j++) {
      const d = digitValue(f.charCodeAt(j));
      if (d < 0) return undefined;
      v = v * 16 + d;
    }
    groups.push(v);
  }
  return groups;
}

/** All eight groups, lower-case hex, no leading zeros, never `::`-compressed (spec §1.6). */
export function formatIp6(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < 8; i++) {
    if (i > 0) s += ":";
    s += ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16);
  }
  return s;
}

export function formatIp4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/** IPv6 or dotted IPv4 text with its bytes and canonical text, or undefined when it is neither. */
export function parseAddress(text: string): IpAddress | undefined {
  const v6 = parseIp6(text);
  if (v6 !== undefined) return { family: 6, bytes: v6, text: formatIp6(v6) };
  const v4 = parseIp4(text);
  return v4 === undefined ? undefined : { family: 4, bytes: v4, text: formatIp4(v4) };
}

/**
 * Canonical text of an address, e.g. a typed `coaps connect` address: IPv6 in the §1.6 form or
 * dotted IPv4. Undefined when malformed (the shell answers Parse).
 */
export function canonicalAddress(text: string): string | undefined {
  return parseAddress(text)?.text;
}

/**
 * The peer a typed `coaps connect` address names: like canonicalAddress, except that an
 * IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, or its hex form `::ffff:7f00:1`) is the IPv4
 * peer a.b.c.d, in dotted form. Sockets report such a peer's datagrams from its IPv4 address,
 * so a session kept under the mapped text would never match them.
 */
export function peerAddress(text: string): string | undefined {
  const a = parseAddress(text);
  if (a === undefined) return undefined;
  return a.family === 6 && isIp4Mapped(a.bytes) ? formatIp4(a.bytes.subarray(12)) : a.text;
}

/** ::ffff:0:0/96 (RFC 4291 §2.5.5.2). */
function isIp4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}
