// pcap capture of simulated datagrams: real IPv6 (or IPv4) + UDP headers with correct
// checksums, stamped with virtual time, so Wireshark/tshark dissect them like a real capture.
// Beside it, an NSS key log (when the DTLS binding exports keys) lets Wireshark decrypt DTLS.
import { closeSync, openSync, writeSync } from "node:fs";
import type { SimDatagram } from "./sim-network.js";

/** LINKTYPE_IPV6 (229): every packet starts with an IPv6 header. LINKTYPE_RAW (101): IPv4 or IPv6. */
export type PcapLinkType = "ipv6" | "raw";
const LINKTYPE = { ipv6: 229, raw: 101 } as const;

function onesComplementSum(parts: readonly Uint8Array[]): number {
  let sum = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i += 2) sum += (p[i]! << 8) | (i + 1 < p.length ? p[i + 1]! : 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

function udpHeader(srcPort: number, dstPort: number, length: number): Uint8Array {
  const h = new Uint8Array(8);
  const v = new DataView(h.buffer);
  v.setUint16(0, srcPort); v.setUint16(2, dstPort); v.setUint16(4, length);
  return h;
}

function setUdpChecksum(udp: Uint8Array, pseudo: Uint8Array, payload: Uint8Array): void {
  // Payloads of odd length are padded inside the sum; summing the header separately keeps alignment.
  let c = ~onesComplementSum([pseudo, udp, payload]) & 0xffff;
  if (c === 0) c = 0xffff; // 0 means "no checksum" in UDP; RFC 768 sends all ones instead.
  new DataView(udp.buffer).setUint16(6, c);
}

/** Builds the IP packet (header + UDP header + payload) for one datagram. */
export function ipPacket(d: SimDatagram): Uint8Array {
  const udpLen = 8 + d.bytes.length;
  const udp = udpHeader(d.sourcePort, d.destinationPort, udpLen);
  if (d.source.family === 6) {
    const ip = new Uint8Array(40);
    const v = new DataView(ip.buffer);
    v.setUint32(0, 0x60000000);
    v.setUint16(4, udpLen);
    ip[6] = 17; ip[7] = 64;
    ip.set(d.source.bytes, 8); ip.set(d.destination.bytes, 24);
    const pseudo = new Uint8Array(40);
    pseudo.set(d.source.bytes, 0); pseudo.set(d.destination.bytes, 16);
    new DataView(pseudo.buffer).setUint32(32, udpLen); pseudo[39] = 17;
    setUdpChecksum(udp, pseudo, d.bytes);
    return concat(ip, udp, d.bytes);
  }
  const ip = new Uint8Array(20);
  const v = new DataView(ip.buffer);
  ip[0] = 0x45; v.setUint16(2, 20 + udpLen); ip[8] = 64; ip[9] = 17;
  ip.set(d.source.bytes, 12); ip.set(d.destination.bytes, 16);
  v.setUint16(10, ~onesComplementSum([ip]) & 0xffff);
  const pseudo = new Uint8Array(12);
  pseudo.set(d.source.bytes, 0); pseudo.set(d.destination.bytes, 4);
  pseudo[9] = 17; new DataView(pseudo.buffer).setUint16(10, udpLen);
  setUdpChecksum(udp, pseudo, d.bytes);
  return concat(ip, udp, d.bytes);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export class PcapWriter {
  readonly #fd: number;
  readonly #linkType: PcapLinkType;
  readonly #epochMs: number;
  /** Datagrams not written because the link type cannot hold them (IPv4 on LINKTYPE_IPV6). */
  skipped = 0;

  /** `epochMs` is the wall time virtual time 0 is stamped as (default 0 = 1970-01-01). */
  constructor(path: string, options: { linkType?: PcapLinkType; epochMs?: number } = {}) {
    this.#linkType = options.linkType ?? "ipv6";
    this.#epochMs = options.epochMs ?? 0;
    this.#fd = openSync(path, "w");
    const h = new DataView(new ArrayBuffer(24));
    h.setUint32(0, 0xa1b2c3d4, true);
    h.setUint16(4, 2, true); h.setUint16(6, 4, true);
    h.setUint32(16, 65535, true);
    h.setUint32(20, LINKTYPE[this.#linkType], true);
    writeSync(this.#fd, new Uint8Array(h.buffer));
  }

  write(d: SimDatagram): void {
    if (d.source.family === 4 && this.#linkType === "ipv6") { this.skipped++; return; }
    const packet = ipPacket(d);
    const t = this.#epochMs + d.sentAt;
    const sec = Math.floor(t / 1000);
    const usec = Math.round((t - sec * 1000) * 1000);
    const rec = new DataView(new ArrayBuffer(16));
    rec.setUint32(0, sec, true); rec.setUint32(4, usec, true);
    rec.setUint32(8, packet.length, true); rec.setUint32(12, packet.length, true);
    writeSync(this.#fd, new Uint8Array(rec.buffer));
    writeSync(this.#fd, packet);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** Appends NSS key-log lines ("CLIENT_RANDOM …"), each once. */
export class KeyLogWriter {
  readonly #fd: number;
  readonly #seen = new Set<string>();

  constructor(path: string) {
    this.#fd = openSync(path, "w");
  }

  add(text: string | undefined): void {
    if (!text) return;
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === "" || this.#seen.has(line)) continue;
      this.#seen.add(line);
      writeSync(this.#fd, `${line}\n`);
    }
  }

  close(): void {
    closeSync(this.#fd);
  }
}
