// CoAP numbers only (RFC 7252, 7641, 7959), no logic: everything else imports names, never
// literals. Values as OpenThread uses them (spec coaps-cli.md §7.1).

export const CoapType = Object.freeze({ CON: 0, NON: 1, ACK: 2, RST: 3 } as const);
export type CoapType = (typeof CoapType)[keyof typeof CoapType];

/** Code byte = class << 5 | detail. */
export const CoapCode = Object.freeze({
  EMPTY: 0x00,
  GET: 0x01, POST: 0x02, PUT: 0x03, DELETE: 0x04,
  CREATED: 0x41, DELETED: 0x42, VALID: 0x43, CHANGED: 0x44, CONTENT: 0x45, CONTINUE: 0x5f,
  BAD_REQUEST: 0x80, UNAUTHORIZED: 0x81, BAD_OPTION: 0x82, FORBIDDEN: 0x83, NOT_FOUND: 0x84,
  METHOD_NOT_ALLOWED: 0x85, NOT_ACCEPTABLE: 0x86, REQUEST_ENTITY_INCOMPLETE: 0x88,
  PRECONDITION_FAILED: 0x8c, REQUEST_ENTITY_TOO_LARGE: 0x8d, UNSUPPORTED_CONTENT_FORMAT: 0x8f,
  INTERNAL_SERVER_ERROR: 0xa0, NOT_IMPLEMENTED: 0xa1, BAD_GATEWAY: 0xa2,
  SERVICE_UNAVAILABLE: 0xa3, GATEWAY_TIMEOUT: 0xa4, PROXYING_NOT_SUPPORTED: 0xa5,
} as const);

export const CoapOptionNumber = Object.freeze({
  IF_MATCH: 1, URI_HOST: 3, ETAG: 4, IF_NONE_MATCH: 5, OBSERVE: 6, URI_PORT: 7,
  LOCATION_PATH: 8, URI_PATH: 11, CONTENT_FORMAT: 12, MAX_AGE: 14, URI_QUERY: 15,
  ACCEPT: 17, LOCATION_QUERY: 20, BLOCK2: 23, BLOCK1: 27, SIZE2: 28, PROXY_URI: 35,
  PROXY_SCHEME: 39, SIZE1: 60, NO_RESPONSE: 258,
} as const);

export type OptionFormat = "empty" | "opaque" | "uint" | "string";

/** RFC 7252 §5.10 table (plus 7641, 7959, 7967): format and value length bounds. */
/** One frozen table row (preloaded tables must be frozen to stay in flash on the device). */
const row = (format: OptionFormat, min: number, max: number): readonly [OptionFormat, number, number] => Object.freeze([format, min, max] as const);

export const OPTION_FORMATS: Readonly<Record<number, readonly [OptionFormat, number, number]>> = Object.freeze({
  1: row("opaque", 0, 8), 3: row("string", 1, 255), 4: row("opaque", 1, 8), 5: row("empty", 0, 0),
  6: row("uint", 0, 3), 7: row("uint", 0, 2), 8: row("string", 0, 255), 11: row("string", 0, 255),
  12: row("uint", 0, 2), 14: row("uint", 0, 4), 15: row("string", 0, 255), 17: row("uint", 0, 2),
  20: row("string", 0, 255), 23: row("uint", 0, 3), 27: row("uint", 0, 3), 28: row("uint", 0, 4),
  35: row("string", 1, 1034), 39: row("string", 1, 255), 60: row("uint", 0, 4), 258: row("uint", 0, 1),
});

export const PAYLOAD_MARKER = 0xff;
export const COAP_VERSION = 1;
export const MAX_TOKEN_LENGTH = 8;
/** Largest option delta or length the 14-nibble extension can carry: 269 + 0xffff. */
export const MAX_OPTION_EXTENDED = 65804;
export const MAX_OPTION_NUMBER = 0xffff;

/** RFC 7252 §4.8 transmission parameters, as OpenThread uses them (spec §7.1, §7.2). */
export const TRANSMISSION = Object.freeze({
  ACK_TIMEOUT_MS: 2000,
  /** ACK_RANDOM_FACTOR 3/2: the first timeout is uniform in [2000, 3000] ms. */
  ACK_TIMEOUT_MAX_MS: 3000,
  MAX_RETRANSMIT: 4,
  MAX_LATENCY_MS: 100_000,
  /** MAX_TRANSMIT_WAIT = ACK_TIMEOUT · (2^(MAX_RETRANSMIT+1) − 1) · ACK_RANDOM_FACTOR. */
  MAX_TRANSMIT_WAIT_MS: 93_000,
  /** EXCHANGE_LIFETIME = MAX_TRANSMIT_SPAN 45 s + 2·MAX_LATENCY + PROCESSING_DELAY 2 s. */
  EXCHANGE_LIFETIME_MS: 247_000,
  /** NON_LIFETIME = MAX_TRANSMIT_SPAN 45 s + MAX_LATENCY: a NON's Message ID may be reused after it. */
  NON_LIFETIME_MS: 145_000,
  RESPONSE_CACHE_ENTRIES: 10,
  TOKEN_LENGTH: 2,
  DEFAULT_PORT_COAPS: 5684,
} as const);
