// Which critical options an endpoint recognises (RFC 7252 §5.4.1), decided in one place.
//
// An option is critical when its number is odd (§5.4.6). A critical option counts as
// unrecognised when the receiver does not act on it, when it is defined only for the other
// kind of message (§5.4: "MUST be treated like an unrecognized option"), when it is a second
// occurrence of a non-repeatable option (§5.4.5), or when its value length is outside its
// format's bounds (§5.4.3). Elective (even) options are ignored whatever they hold.
import type { CoapOption } from "./message.js";
import { CoapOptionNumber as O, OPTION_FORMATS } from "./numbers.js";

export const isCritical = (number: number): boolean => (number & 1) === 1;

const REPEATABLE: ReadonlySet<number> = Object.freeze(new Set<number>([O.IF_MATCH, O.ETAG, O.LOCATION_PATH, O.URI_PATH, O.URI_QUERY, O.LOCATION_QUERY]));

/**
 * Critical options the resource server acts on in a request. Uri-Host and Uri-Port are
 * accepted as they come (one DTLS session, one host); Uri-Query is accepted and not used for
 * matching, as OpenThread matches on Uri-Path alone (spec §7.5); Proxy-Uri and Proxy-Scheme
 * are recognised so that they get 5.05 (§5.10.2). Accept (17) is not here: the server does no
 * content negotiation, so a request with Accept gets 4.02.
 */
export const REQUEST_CRITICAL: ReadonlySet<number> = Object.freeze(new Set<number>([
  O.IF_MATCH, O.URI_HOST, O.IF_NONE_MATCH, O.URI_PORT, O.URI_PATH, O.URI_QUERY,
  O.BLOCK2, O.BLOCK1, O.PROXY_URI, O.PROXY_SCHEME,
]));

/** Critical options the client acts on in a response: the block options (RFC 7959). */
export const RESPONSE_CRITICAL: ReadonlySet<number> = Object.freeze(new Set<number>([O.BLOCK2, O.BLOCK1]));

/**
 * The number of the first critical option in `options` (as decoded: ascending order) that is
 * unrecognised given the `recognised` set, or undefined when there is none.
 */
export function unrecognisedCritical(options: readonly CoapOption[], recognised: ReadonlySet<number>): number | undefined {
  let previous = -1;
  for (let i = 0; i < options.length; i++) { // indexed: runs on every message (see options.ts)
    const o = options[i]!;
    const n = o.number;
    const repeated = n === previous;
    previous = n;
    if (!isCritical(n)) continue;
    if (!recognised.has(n)) return n;
    if (repeated && !REPEATABLE.has(n)) return n;
    const format = OPTION_FORMATS[n];
    if (format !== undefined && (o.value.length < format[1] || o.value.length > format[2])) return n;
  }
  return undefined;
}
