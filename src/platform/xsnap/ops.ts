// Opcodes of the XS <-> Node host protocol (see wire.ts for the field encoding).
// Natives go XS -> host through issueCommand; events go host -> XS through handleCommand.

/** XS -> host. Each reply starts with a Status byte. */
export const Native = {
  NOW: 1,              // -> f64 ms
  TIMER_SET: 2,        // u32 id, f64 delay
  TIMER_CLEAR: 3,      // u32 id
  UDP_OPEN: 4,         // f64 port -> u32 socket
  UDP_WRITE: 5,        // u32 socket, text address, f64 port, bytes (outside deliveries)
  UDP_CLOSE: 6,        // u32 socket
  SERIAL_OPEN: 7,      // -> u32 serial
  SERIAL_WRITE: 8,     // u32 serial, bytes (outside deliveries; inside, output rides the reply)
  RANDOM_FILL: 9,      // u32 count -> bytes
  DTLS_CREATE: 10,     // f64 now, options -> u32 engine, DtlsSnapshot
  DTLS_CLIENT_ID: 11,  // u32 engine, bytes -> DtlsSnapshot, outcome
  DTLS_FEED: 12,       // u32 engine, f64 now, bytes -> DtlsSnapshot, outcome
  DTLS_WRITE: 13,      // u32 engine, f64 now, bytes -> DtlsSnapshot, outcome
  DTLS_TIMER: 14,      // u32 engine, f64 now -> DtlsSnapshot, outcome
  DTLS_CLOSE: 15,      // u32 engine, f64 now -> DtlsSnapshot, outcome
  DTLS_FREE: 16,       // u32 engine
  DTLS_KEYLOG: 17,     // u32 engine -> optBytes (ASCII lines)
  LOG: 18,             // u8 level, text
  UDP_FLUSH: 19,       // UdpBatch: sends collected in this delivery, before a socket closes
} as const;

/**
 * Host -> XS. Every event starts with its kind byte and optF64 `now` (the host clock, fixed for
 * the delivery; NaN when the host clock may move during it). The reply is a Status byte, the
 * delivery's serial output (u32 count, then u32 serial + bytes each), its UDP sends (UdpBatch:
 * u32 count, then u32 socket, text address, f64 port, bytes each) and, after ERROR, the
 * error's name, message and stack.
 */
export const Event = {
  START: 1,            // optF64 port
  TIMER: 2,            // u32 id
  UDP: 3,              // u32 socket, u32 count, count x (text address, f64 port, bytes)
  SERIAL: 4,           // u32 serial, bytes
  STOP: 5,             // (none)
} as const;

export const Status = { OK: 0, ERROR: 1 } as const;

/** LOG levels. ERROR means an uncaught error inside XS: the host fails the delivery. */
export const LogLevel = { INFO: 0, ERROR: 1 } as const;

/** DtlsEngineState values by wire index. */
export const DTLS_STATES = ["listening", "handshaking", "connected", "closed", "failed"] as const;

/** DtlsErrorName values by wire index; a name not listed travels as text after ERROR_AS_TEXT. */
export const DTLS_ERRORS = ["None", "PeerClosed", "HandshakeTimeout", "BadRecordMac", "HandshakeFailure", "CertificateRejected",
  "FatalAlert", "InvalidInput", "OutOfMemory", "InternalError", "QueueFull"] as const;
export const ERROR_AS_TEXT = 0xff;
