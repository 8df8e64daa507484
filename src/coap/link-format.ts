// CoRE Link Format (RFC 6690) for /.well-known/core: one link per resource, `</path>` with the
// path percent-encoded, then its attributes (`;obs` for an observable resource, RFC 7641 §6,
// and whatever the resource declares), links separated by commas.
import type { PathEncoding } from "./options.js";
import { latin1EncodeStrict, utf8Encode } from "../bytes/text.js";

/** Content-Format of application/link-format (RFC 6690 §7.2). */
export const LINK_FORMAT = 40;
export const WELL_KNOWN_CORE = ".well-known/core";

export interface LinkDescription {
  readonly path: string;
  readonly observable: boolean;
  /** Extra link-params as written, e.g. `rt="temperature"` or `ct=0` (no leading `;`). */
  readonly attributes: readonly string[];
}

const HEX = "0123456789ABCDEF";

/**
 * A path as a URI path-absolute: each byte that is not unreserved, `/`, `:`, `@` or one of
 * the sub-delims other than `,` and `;` (which separate links and their params) is %XX.
 */
export function percentEncodePath(path: string, encoding: PathEncoding = "utf8"): string {
  const bytes = encoding === "bytes" ? latin1EncodeStrict(path) : utf8Encode(path);
  let out = "/";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const c = String.fromCharCode(b);
    const plain = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || "-._~/:@!$&'()*+=".includes(c);
    out += plain && b < 0x80 ? c : `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

export function linkFormat(links: Iterable<LinkDescription>, encoding: PathEncoding = "utf8"): string {
  const parts: string[] = [];
  for (const link of links) {
    let entry = `<${percentEncodePath(link.path, encoding)}>`;
    if (link.observable) entry += ";obs";
    for (const attribute of link.attributes) entry += `;${attribute}`;
    parts.push(entry);
  }
  return parts.join(",");
}
