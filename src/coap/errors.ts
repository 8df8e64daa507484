// The codec's own errors. Both extend RangeError (a bad value, in the Moddable sense) so a
// caller that only knows "RangeError" still does the right thing; `reason` is the code to act on.
import { CoapType } from "./numbers.js";

/**
 * Why a datagram could not be parsed. What the receiver does about it (RFC 7252 §4.2, §4.3),
 * decided in one place, `parseErrorAction`:
 * - `truncatedHeader`: fewer than 4 bytes, no Message ID to answer: ignore silently.
 * - `version`: version ≠ 1 (§3: "MUST be silently ignored").
 * - every other reason is a message format error with a readable header: a Confirmable message
 *   is rejected with a Reset (§4.2); a Non-confirmable one is ignored (§4.3, the Reset is a MAY
 *   and we do not send it); an ACK or RST is ignored (§4.2, never answer those).
 */
export type CoapParseReason =
  | "truncatedHeader"   // fewer than 4 bytes
  | "version"           // version field ≠ 1
  | "tokenLength"       // token length nibble 9–15 (reserved)
  | "truncatedToken"    // token runs past the end
  | "emptyWithData"     // code 0.00 with a token, options or payload (§4.1)
  | "optionDelta"       // delta nibble 15 in an option header that is not the payload marker
  | "optionLength"      // length nibble 15
  | "optionTruncated"   // extended delta/length bytes or the option value run past the end
  | "optionNumber"      // option number beyond 65535
  | "emptyPayload";     // payload marker followed by nothing (§3)

export type CoapEncodeReason =
  | "tokenLength"       // token over 8 bytes
  | "optionOrder"       // options not in ascending number order
  | "optionNumber"      // option number beyond 65535 or negative
  | "optionLength"      // value too long (or short) for its option's format, or over 65804
  | "header"            // type, code or message ID out of range
  | "tooBig";           // the message is larger than the caller's maximum or buffer

export class CoapCodecError extends RangeError {
  constructor(readonly reason: CoapParseReason | CoapEncodeReason, message: string) {
    super(message);
  }
}

export class CoapParseError extends CoapCodecError {
  declare readonly reason: CoapParseReason;
  constructor(
    reason: CoapParseReason,
    /** Byte offset where the problem was found. */
    readonly at: number,
    /** Header fields, present when the 4-byte header was readable and the version was 1. */
    readonly type?: CoapType,
    readonly messageId?: number,
  ) {
    super(reason, `CoAP parse error: ${reason} at byte ${at}`);
    this.name = "CoapParseError";
  }
}

export class CoapEncodeError extends CoapCodecError {
  declare readonly reason: CoapEncodeReason;
  constructor(reason: CoapEncodeReason, detail: string) {
    super(reason, `CoAP encode error: ${reason} (${detail})`);
    this.name = "CoapEncodeError";
  }
}

/** RFC 7252 §4.2/§4.3: answer an unparseable datagram with a Reset, or drop it. */
export function parseErrorAction(error: CoapParseError): "reset" | "ignore" {
  if (error.type === undefined || error.messageId === undefined) return "ignore";
  return error.type === CoapType.CON ? "reset" : "ignore";
}
