// Numbers as the OpenThread CLI reads them (spec §1.5). Addresses are read and printed by
// src/net/address.ts, which the agent and the UDP platforms share.

/** Unsigned decimal or 0x-hex that fits `bits`; undefined for anything else (→ InvalidArgs). */
export function parseUint(text: string, bits: 16 | 32): number | undefined {
  let digits = text, radix = 10;
  if (text.length >= 2 && text[0] === "0" && (text[1] === "x" || text[1] === "X")) {
    digits = text.slice(2);
    radix = 16;
  }
  if (digits.length === 0) return undefined;
  const max = bits === 16 ? 0xffff : 0xffffffff;
  let value = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digitValue(digits.charCodeAt(i));
    if (d < 0 || d >= radix) return undefined;
    value = value * radix + d;
    if (value > max) return undefined;
  }
  return value;
}

function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}
