// CoRE Link Format (RFC 6690) for /.well-known/core: one link per resource, `</path>` with the
// path percent-encoded, then its attributes (`;obs` for an observable resource, RFC 7641 §6,
// and whatever the resource declares), links separated by commas. Query filters (§4.1) pick
// the links a GET with Uri-Query options asks for.
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

/**
 * One query filter (RFC 6690 §4.1), from one Uri-Query option: `name=value` matches a link whose
 * attribute `name` (or `href`, the link's URI-reference) is exactly `value`; `name=value*`
 * matches a prefix. A bare `name`, outside the RFC's grammar, matches a link that has that
 * attribute at all (`?obs`: the observable resources).
 */
export interface LinkFilter {
  readonly name: string;
  /** Undefined for a bare `name`. */
  readonly value: string | undefined;
  readonly prefix: boolean;
}

export function parseLinkFilter(query: string): LinkFilter {
  const eq = query.indexOf("=");
  if (eq < 0) return { name: query, value: undefined, prefix: false };
  const value = query.slice(eq + 1);
  const prefix = value.endsWith("*");
  return { name: query.slice(0, eq), value: prefix ? value.slice(0, -1) : value, prefix };
}

/** Attributes whose value is a space-separated list: a filter matches any one entry (RFC 6690 §3.1, §3.2; rel, RFC 8288 §3.3). */
const LIST_ATTRIBUTES: readonly string[] = Object.freeze(["rt", "if", "rel"]);

/**
 * The values a filter on `name` is compared with, or undefined when the link lacks the
 * attribute. A quoted value loses its quotes; an attribute without a value (`obs`) has "".
 * `href` is the URI-reference as the link writes it, and also without its leading `/`, as
 * libcoap accepts (`?href=time`).
 */
function valuesOf(link: LinkDescription, name: string, encoding: PathEncoding): string[] | undefined {
  if (name === "href") {
    const href = percentEncodePath(link.path, encoding);
    return [href, href.slice(1)];
  }
  const values: string[] = [];
  let found = name === "obs" && link.observable;
  if (found) values.push("");
  for (const attribute of link.attributes) {
    const eq = attribute.indexOf("=");
    if ((eq < 0 ? attribute : attribute.slice(0, eq)) !== name) continue;
    found = true;
    let value = eq < 0 ? "" : attribute.slice(eq + 1);
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    values.push(value);
    if (LIST_ATTRIBUTES.includes(name)) for (const entry of value.split(" ")) if (entry.length > 0 && entry !== value) values.push(entry);
  }
  return found ? values : undefined;
}

/** True when `link` passes every filter (several Uri-Query options must all hold). */
export function linkMatches(link: LinkDescription, filters: readonly LinkFilter[], encoding: PathEncoding = "utf8"): boolean {
  for (const f of filters) {
    const values = valuesOf(link, f.name, encoding);
    if (values === undefined) return false;
    const wanted = f.value;
    if (wanted !== undefined && !values.some((v) => (f.prefix ? v.startsWith(wanted) : v === wanted))) return false;
  }
  return true;
}
