// Numbers and addresses as the OpenThread CLI reads and prints them (spec §1.5, §1.6).
// The address functions live with the agent, which compares and prints peer addresses too.

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

export { formatIp4, formatIp6, parseAddressText, parseIp4, parseIp6 } from "../coaps/address.js";
