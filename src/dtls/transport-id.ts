// The transport id a listening DtlsSession binds its cookie to: the peer's address bytes
// followed by its port (big-endian), as OpenThread does with the client's IPv6 address.
import { parseAddress } from "../net/address.js";
import { latin1Encode } from "../bytes/text.js";

/** Address bytes (16 for IPv6, 4 for dotted IPv4) + 2 port bytes. Unparsable text falls back to its ASCII bytes (at most 30), still unique per peer. */
export function transportIdOf(address: string, port: number): Uint8Array {
  const addr = parseAddress(bareAddress(address))?.bytes ?? latin1Encode(address.slice(0, 30));
  const id = new Uint8Array(addr.length + 2);
  id.set(addr, 0);
  id[addr.length] = (port >> 8) & 0xff;
  id[addr.length + 1] = port & 0xff;
  return id;
}

/** The address without brackets or a zone (`%eth0`): a host socket may report either, and the cookie binds to the address itself. */
function bareAddress(text: string): string {
  const s = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const zone = s.indexOf("%");
  return zone >= 0 ? s.slice(0, zone) : s;
}
