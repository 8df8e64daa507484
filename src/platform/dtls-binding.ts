// The DTLS engine as the firmware sees it. One platform-neutral C engine over mbedTLS
// (native/dtls_engine.c) sits behind this interface on every runtime: N-API on the host,
// xsmc on the device, and issueCommand proxies when the firmware runs inside xsnap.
//
// The engine is sans-IO: it owns no socket and reads no clock. The caller passes `now`
// (platform Clock milliseconds), feeds received datagrams, pulls datagrams to send, and
// calls handleTimer at (or after) nextDeadline().

export type DtlsRole = "client" | "server";

export type DtlsCredentials =
  | {
      readonly mode: "psk";
      /** Raw key bytes, 1..32 (spec §3.4: the ASCII bytes as typed). */
      readonly key: Uint8Array;
      /** Raw identity bytes, 1..32 (spec §3.4; the engine refuses an empty identity as InvalidInput). */
      readonly identity: Uint8Array;
    }
  | {
      readonly mode: "x509";
      /** PEM text bytes (no terminating NUL needed). */
      readonly certificate: Uint8Array;
      readonly privateKey: Uint8Array;
      readonly caChain: Uint8Array;
      /** Peer-certificate check (spec §8.3): REQUIRED when true, NONE when false. */
      readonly verifyPeer: boolean;
    };

export interface DtlsEngineOptions {
  readonly role: DtlsRole;
  readonly credentials: DtlsCredentials;
  /** Handshake retransmission timer bounds; defaults 8000 / 60000 ms (OpenThread). */
  readonly handshakeTimeoutMinMs?: number;
  readonly handshakeTimeoutMaxMs?: number;
}

/**
 * - `listening`: server waiting for a ClientHello with a valid cookie. It holds no per-peer
 *   state: a ClientHello without a cookie is answered with HelloVerifyRequest and forgotten.
 * - `handshaking`: client after create, server once a cookie was verified.
 * - `connected`: application data flows.
 * - `closed`: orderly end (local close or peer close_notify).
 * - `failed`: the handshake or session failed; `error()` says why.
 */
export type DtlsEngineState = "listening" | "handshaking" | "connected" | "closed" | "failed";

/** Named outcomes the C engine maps every mbedTLS return code to. */
export type DtlsErrorName =
  | "None"
  | "PeerClosed"          // close_notify received
  | "HandshakeTimeout"    // retransmissions exhausted (spec §8.2: 116 s)
  | "BadRecordMac"        // wrong PSK / tampered record (fatal bad_record_mac)
  | "HandshakeFailure"    // no common suite, mode mismatch, other negotiation failure
  | "CertificateRejected" // peer certificate failed verification
  | "FatalAlert"          // some other fatal alert received
  | "InvalidInput"        // caller misuse (bad credentials, write before connected)
  | "OutOfMemory"
  | "InternalError"       // any other mbedTLS error
  | "QueueFull";          // feed/write: the engine's read/send queue had no room (nothing taken); close: close_notify not queued

export interface DtlsEngine {
  /** Server only: the client's transport id (address bytes + port) for the cookie. Call before feeding a datagram from a new peer while listening. */
  setClientId(id: Uint8Array): void;
  /** Processes one received datagram. Never throws on hostile bytes: bad records are dropped. */
  feed(now: number, datagram: Uint8Array): void;
  /** Next datagram to send, or undefined. */
  takeOutgoing(): Uint8Array | undefined;
  /** Encrypts one application record. Throws when not connected or when it exceeds the record limit. */
  write(now: number, data: Uint8Array): void;
  /** Next received application record, or undefined. */
  read(): Uint8Array | undefined;
  /** Runs handshake retransmission / timeout. Early calls are harmless. */
  handleTimer(now: number): void;
  /** Absolute time (same base as `now`) the engine wants handleTimer, or undefined. */
  nextDeadline(): number | undefined;
  state(): DtlsEngineState;
  /** Why the engine is `failed` (or "PeerClosed" after a close_notify); "None" otherwise. */
  error(): DtlsErrorName;
  /** IANA number of the negotiated suite (0xC0A8 PSK, 0xC0AE ECDSA), 0 before. */
  cipherSuite(): number;
  /** Sends close_notify if the handshake completed, then state becomes `closed`. */
  close(now: number): void;
  /** Frees the native session. Repeatable; any other call afterwards throws. */
  free(): void;
  /** NSS key-log lines ("CLIENT_RANDOM <hex> <hex>") once known, for pcap decryption; undefined if the binding cannot export keys. */
  keyLog?(): string | undefined;
}

export interface DtlsBinding {
  /**
   * A client engine is `handshaking` with its ClientHello queued (takeOutgoing) and its first
   * retransmission due 8 s after `now`; a server engine is `listening`. `now` is the same
   * clock as every other call's: an engine created with another origin would see its first
   * deadline long past and send its ClientHello twice, and give up early.
   * Throws Error(<DtlsErrorName>) (message = the name, e.g. "InvalidInput" for unusable
   * credentials) on every binding; RangeError for a handshake timeout that is not an integer
   * in 0..2^32-1.
   */
  createEngine(now: number, options: DtlsEngineOptions): DtlsEngine;
}
