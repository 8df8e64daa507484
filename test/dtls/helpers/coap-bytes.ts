// Hand-built CoAP messages (RFC 7252) for interop tests, independent of src/coap/.
export function coapGet(mid: number, token: Uint8Array, path: string[], payload?: Uint8Array): Uint8Array {
  const parts: number[] = [0x40 | token.length, 0x01, mid >> 8, mid & 0xff, ...token];
  for (const seg of path) { // Uri-Path (11); each delta after the first is 0
    const first = parts.length === 4 + token.length;
    const delta = first ? 11 : 0;
    const b = Array.from(seg, (c) => c.charCodeAt(0));
    if (b.length > 12) throw new RangeError("segment too long for this helper");
    parts.push((delta << 4) | b.length, ...b);
  }
  if (payload) parts.push(0xff, ...payload);
  return Uint8Array.from(parts);
}

/** ACK 2.05 piggybacked reply with `payload` for the CON request `req`. */
export function coapContentReply(req: Uint8Array, payload: Uint8Array): Uint8Array {
  const tkl = req[0]! & 0x0f;
  return Uint8Array.from([0x60 | tkl, 0x45, req[2]!, req[3]!, ...req.subarray(4, 4 + tkl), 0xff, ...payload]);
}

export interface CoapHead { type: number; code: number; mid: number; token: Uint8Array; payload: Uint8Array }

export function coapParseHead(b: Uint8Array): CoapHead {
  const tkl = b[0]! & 0x0f;
  let i = 4 + tkl;
  // skip options
  while (i < b.length && b[i] !== 0xff) {
    let delta = b[i]! >> 4, len = b[i]! & 0x0f;
    i++;
    if (delta === 13) i += 1; else if (delta === 14) i += 2;
    if (len === 13) len = b[i++]! + 13; else if (len === 14) { len = ((b[i]! << 8) | b[i + 1]!) + 269; i += 2; }
    i += len;
  }
  return { type: (b[0]! >> 4) & 3, code: b[1]!, mid: (b[2]! << 8) | b[3]!, token: b.subarray(4, 4 + tkl), payload: i < b.length ? b.subarray(i + 1) : new Uint8Array(0) };
}
