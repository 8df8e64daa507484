// Arrow labels for the message sequence chart. DTLS record headers are plaintext, and so are
// the handshake messages of epoch 0, so a handshake datagram is named from its own bytes
// (ClientHello, HelloVerifyRequest, ...). Application records are encrypted: their CoAP
// label comes from the plaintext the sending engine was given (see dtls-tap.ts).
import { decodeMessage } from "../../src/coap/decode.js";
import { codeString, type CoapMessage } from "../../src/coap/message.js";
import { CoapOptionNumber } from "../../src/coap/numbers.js";

const COAP_TYPE_NAMES = ["CON", "NON", "ACK", "RST"] as const;

export const CONTENT_CHANGE_CIPHER_SPEC = 20;
export const CONTENT_ALERT = 21;
export const CONTENT_HANDSHAKE = 22;
export const CONTENT_APPLICATION_DATA = 23;

const HANDSHAKE_NAMES: Readonly<Record<number, string>> = {
  0: "HelloRequest", 1: "ClientHello", 2: "ServerHello", 3: "HelloVerifyRequest", 11: "Certificate",
  12: "ServerKeyExchange", 13: "CertificateRequest", 14: "ServerHelloDone", 15: "CertificateVerify",
  16: "ClientKeyExchange", 20: "Finished",
};

const ALERT_NAMES: Readonly<Record<number, string>> = {
  0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 22: "record_overflow",
  40: "handshake_failure", 42: "bad_certificate", 43: "unsupported_certificate", 44: "certificate_revoked",
  45: "certificate_expired", 46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca",
  49: "access_denied", 50: "decode_error", 51: "decrypt_error", 70: "protocol_version",
  71: "insufficient_security", 80: "internal_error", 90: "user_canceled", 115: "unknown_psk_identity",
};

export interface DtlsRecord {
  readonly contentType: number;
  readonly epoch: number;
  /** 48-bit record sequence number. */
  readonly sequence: number;
  readonly fragment: Uint8Array;
}

/** The DTLS 1.0/1.2 records in a datagram, or undefined if it does not parse as a whole. */
export function dtlsRecords(bytes: Uint8Array): DtlsRecord[] | undefined {
  const out: DtlsRecord[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    if (pos + 13 > bytes.length) return undefined;
    const type = bytes[pos]!;
    if (type < 20 || type > 25 || bytes[pos + 1] !== 0xfe) return undefined;
    const epoch = (bytes[pos + 3]! << 8) | bytes[pos + 4]!;
    let sequence = 0;
    for (let i = 5; i < 11; i++) sequence = sequence * 256 + bytes[pos + i]!;
    const length = (bytes[pos + 11]! << 8) | bytes[pos + 12]!;
    if (pos + 13 + length > bytes.length) return undefined;
    out.push({ contentType: type, epoch, sequence, fragment: bytes.subarray(pos + 13, pos + 13 + length) });
    pos += 13 + length;
  }
  return out.length > 0 ? out : undefined;
}

/** "ClientHello", "Finished", "Alert fatal handshake_failure", ...; app data is "ApplicationData". */
export function recordName(r: DtlsRecord, closing = false): string {
  switch (r.contentType) {
    case CONTENT_CHANGE_CIPHER_SPEC: return "ChangeCipherSpec";
    case CONTENT_HANDSHAKE: {
      // Epoch 0 is plaintext; the only handshake message sent under a new epoch is Finished.
      if (r.epoch > 0) return "Finished";
      const type = r.fragment[0];
      const name = type === undefined ? "Handshake" : HANDSHAKE_NAMES[type] ?? `Handshake(${type})`;
      if (r.fragment.length >= 12) {
        const total = (r.fragment[1]! << 16) | (r.fragment[2]! << 8) | r.fragment[3]!;
        const fragLen = (r.fragment[9]! << 16) | (r.fragment[10]! << 8) | r.fragment[11]!;
        if (fragLen < total) return `${name} (fragment)`;
      }
      return name;
    }
    case CONTENT_ALERT: {
      if (r.epoch > 0) return closing ? "Alert close_notify" : "Alert (encrypted)";
      const level = r.fragment[0] === 2 ? "fatal" : "warning";
      const d = r.fragment[1];
      return `Alert ${level} ${d === undefined ? "?" : ALERT_NAMES[d] ?? String(d)}`;
    }
    case CONTENT_APPLICATION_DATA: return "ApplicationData";
    default: return `Record(${r.contentType})`;
  }
}

function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

function uint(bytes: Uint8Array): number {
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return v;
}

const METHODS = ["", "GET", "POST", "PUT", "DELETE", "FETCH", "PATCH", "iPATCH"];

function codeName(code: number): string {
  if (code === 0) return "Empty";
  if (code >> 5 === 0 && code < METHODS.length) return METHODS[code]!;
  return codeString(code);
}

function block(v: number): string {
  return `${Math.floor(v / 16)}/${(v >> 3) & 1}/${16 << (v & 7)}`;
}

/** "CON GET MID 4660 tok 4a2f /test-resource Block2 0/0/16 · 12 B". */
export function coapLabel(m: CoapMessage): string {
  const parts = [(COAP_TYPE_NAMES[m.type] ?? "?"), codeName(m.code), `MID ${m.messageId}`];
  if (m.token.length > 0) parts.push(`tok ${hex(m.token)}`);
  const path = m.options.filter((o) => o.number === CoapOptionNumber.URI_PATH);
  if (path.length > 0) parts.push(path.map((o) => `/${String.fromCharCode(...o.value)}`).join(""));
  for (const o of m.options) {
    if (o.number === CoapOptionNumber.OBSERVE) parts.push(`Observe ${uint(o.value)}`);
    else if (o.number === CoapOptionNumber.BLOCK1) parts.push(`Block1 ${block(uint(o.value))}`);
    else if (o.number === CoapOptionNumber.BLOCK2) parts.push(`Block2 ${block(uint(o.value))}`);
  }
  let text = parts.join(" ");
  if (m.payload.length > 0) text += ` · ${m.payload.length} B`;
  return text;
}

/** A CoAP label for the bytes, or a note that they are not CoAP. */
export function coapLabelOf(bytes: Uint8Array): string {
  try {
    return coapLabel(decodeMessage(bytes));
  } catch {
    return `not CoAP (${bytes.length} B)`;
  }
}

/** dtls: handshake, CCS or alert records only; coaps: carries application records; coap: plain CoAP. */
export type DatagramKind = "dtls" | "coaps" | "coap" | "udp";

export interface DatagramLabel {
  readonly kind: DatagramKind;
  /** The arrow's text. */
  readonly text: string;
  /** One line per record, for the tooltip. */
  readonly detail: readonly string[];
}

/**
 * Names a datagram. `plaintexts` are the application records the sender wrote into it, in
 * order (undefined when unknown: the arrow then says "ApplicationData"); `closing` says the
 * sender had called close() (its encrypted alert is then close_notify).
 */
export function labelDatagram(bytes: Uint8Array, plaintexts?: readonly Uint8Array[], closing = false): DatagramLabel {
  const records = dtlsRecords(bytes);
  if (!records) {
    let text: string | undefined;
    try { text = coapLabel(decodeMessage(bytes)); } catch { /* not CoAP either */ }
    return text !== undefined
      ? { kind: "coap", text, detail: [`plain UDP, ${bytes.length} B`] }
      : { kind: "udp", text: `UDP ${bytes.length} B`, detail: [] };
  }
  const names: string[] = [];
  const detail: string[] = [];
  let app = 0;
  for (const r of records) {
    const base = `epoch ${r.epoch} seq ${r.sequence}: ${recordName(r, closing)}, ${r.fragment.length} B`;
    if (r.contentType === CONTENT_APPLICATION_DATA) {
      const plain = plaintexts?.[app++];
      names.push(plain ? coapLabelOf(plain) : "ApplicationData");
      detail.push(plain ? `${base} (CoAP ${plain.length} B)` : base);
    } else {
      names.push(recordName(r, closing));
      detail.push(base);
    }
  }
  return { kind: app > 0 ? "coaps" : "dtls", text: names.join(", "), detail };
}
