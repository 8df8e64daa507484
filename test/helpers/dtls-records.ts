// Reads DTLS 1.2 record headers out of captured datagrams: which ClientHellos a datagram
// carries and with how long a cookie. Only plaintext (epoch 0) handshake records are read.

export interface ClientHelloSeen {
  /** Cookie length: 0 for a first ClientHello, > 0 for the answer to a HelloVerifyRequest. */
  readonly cookieLength: number;
  /** The record's sequence number (48 bits fit in a double). */
  readonly recordSeq: number;
}

/** Every epoch-0 ClientHello record in one datagram (unfragmented ones: all our peers send). */
export function clientHellosIn(datagram: Uint8Array): ClientHelloSeen[] {
  const out: ClientHelloSeen[] = [];
  for (const r of records(datagram)) {
    if (r.type !== 22 || r.epoch !== 0 || r.body.length < 12 || r.body[0] !== 1) continue;
    // handshake header (12) + client_version (2) + random (32), then session_id<0..32>, cookie<0..255>
    let at = 12 + 2 + 32;
    if (r.body.length <= at) continue;
    at += 1 + r.body[at]!;
    if (r.body.length <= at) continue;
    out.push({ cookieLength: r.body[at]!, recordSeq: r.seq });
  }
  return out;
}

/** The handshake message types of every epoch-0 handshake record (1 ClientHello, 3 HelloVerifyRequest ...). */
export function handshakeTypesIn(datagram: Uint8Array): number[] {
  return records(datagram).filter((r) => r.type === 22 && r.epoch === 0 && r.body.length > 0).map((r) => r.body[0]!);
}

/** Alert records of a datagram as [level, description] (epoch 0 only: later ones are encrypted). */
export function alertsIn(datagram: Uint8Array): Array<[number, number]> {
  return records(datagram).filter((r) => r.type === 21 && r.epoch === 0 && r.body.length === 2).map((r) => [r.body[0]!, r.body[1]!]);
}

interface DtlsRecord { type: number; epoch: number; seq: number; body: Uint8Array }

function records(d: Uint8Array): DtlsRecord[] {
  const out: DtlsRecord[] = [];
  for (let off = 0; d.length - off >= 13;) {
    const len = (d[off + 11]! << 8) | d[off + 12]!;
    if (off + 13 + len > d.length) break;
    let seq = 0;
    for (let i = 5; i < 11; i++) seq = seq * 256 + d[off + i]!;
    out.push({ type: d[off]!, epoch: (d[off + 3]! << 8) | d[off + 4]!, seq, body: d.subarray(off + 13, off + 13 + len) });
    off += 13 + len;
  }
  return out;
}
