// Bytes as the console shows them: lower-case hex (spec §1.6).

const HEX = "0123456789abcdef";

/** Lower-case two-digit hex, no separators (spec §1.6). */
export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = "";
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    s += HEX[b >> 4]! + HEX[b & 15]!;
  }
  return s;
}
