// Real-socket mode: the firmware's UDP goes to real sockets on loopback (::1 and 127.0.0.1),
// so libcoap or OpenSSL on the same machine can talk to a simulated node.
//
// The platform's UdpFactory is synchronous and must throw "port in use" at once, but Node
// binds asynchronously. So the ports the firmware will bind (5684 for `coaps start`) are
// reserved up front by openRealUdp, and stay bound until close(): the firmware's own open and
// close only attach and detach. Other ports are bound on demand; a failure there is reported
// through onError.
import { createSocket, type Socket } from "node:dgram";
import type { UdpDatagram, UdpFactory, UdpOptions, UdpSocket } from "../src/platform/udp.js";
import { parseAddress } from "../src/net/address.js";

export interface RealUdpOptions {
  /** Firmware ports to bind before the firmware starts (default [5684]). */
  readonly reserve?: readonly number[];
  /** Real port for a firmware port (default: the same number; 0 stays ephemeral). */
  readonly portMap?: (port: number) => number;
  /** Runs a delivery at the right virtual time (the real-time driver's inject). */
  readonly inject: (fn: () => void) => void;
  readonly onError?: (error: Error) => void;
}

export interface RealUdp {
  readonly udp: UdpFactory;
  /** The real ports bound for the reserved firmware ports. */
  readonly ports: ReadonlyMap<number, number>;
  close(): void;
}

interface PortPair { v6: Socket; v4: Socket; owner: ((d: UdpDatagram) => void) | undefined }

// Each datagram in or out names an address as text; a node talks to one or a few peers, so the
// answers for the last few texts are kept instead of parsing the same text for every datagram.
const MEMO_LIMIT = 16;
function memo<T>(fn: (text: string) => T): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    const hit = known.get(text);
    if (hit !== undefined || known.has(text)) return hit as T;
    const v = fn(text);
    if (known.size >= MEMO_LIMIT) known.clear();
    known.set(text, v);
    return v;
  };
}

/** Canonical text of a received datagram's source (undefined: not an address). */
const canonicalSource = memo((text: string) => parseAddress(text)?.text);

const isLoopback = memo((text: string): { family: 4 | 6; text: string } | undefined => {
  const a = parseAddress(text);
  if (!a) return undefined;
  if (a.family === 4) return a.bytes[0] === 127 ? { family: 4, text: a.text } : undefined;
  return a.bytes.every((b, i) => b === (i === 15 ? 1 : 0)) ? { family: 6, text: "::1" } : undefined;
});

// Every address this file hands to dgram (bind hosts, send destinations) is a canonical
// loopback literal. dgram would still run dns.lookup on it and send on a later tick; this
// answers at once, so a datagram leaves when the firmware writes it, not after the stack
// that wrote it unwinds (one deferral per datagram on the GET path).
type LookupCallback = (error: NodeJS.ErrnoException | null, address: string, family: number) => void;
function literalLookup(host: string, _options: unknown, callback: LookupCallback): void {
  callback(null, host, host.includes(":") ? 6 : 4);
}

function bindPair(port: number, onMessage: (d: UdpDatagram) => void): Promise<PortPair> {
  const pair: PortPair = {
    v6: createSocket({ type: "udp6", ipv6Only: true, lookup: literalLookup }),
    v4: createSocket({ type: "udp4", lookup: literalLookup }),
    owner: undefined,
  };
  const listen = (s: Socket) => s.on("message", (msg, rinfo) => {
    const address = canonicalSource(rinfo.address);
    if (address !== undefined) onMessage({ bytes: new Uint8Array(msg), address, port: rinfo.port });
  });
  listen(pair.v6); listen(pair.v4);
  const bind = (s: Socket, host: string, p: number) => new Promise<number>((resolve, reject) => {
    s.once("error", reject);
    s.bind(p, host, () => { s.off("error", reject); resolve(s.address().port); });
  });
  return (async () => {
    try {
      const p6 = await bind(pair.v6, "::1", port);
      // Ephemeral: use the same number on IPv4 when free, so a peer sees one port either way.
      if (port === 0) await bind(pair.v4, "127.0.0.1", p6).catch(() => bind(pair.v4, "127.0.0.1", 0));
      else await bind(pair.v4, "127.0.0.1", port);
      return pair;
    } catch (error) {
      pair.v6.close(); pair.v4.close();
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(code === "EADDRINUSE" ? `port ${port} in use` : `cannot bind port ${port}: ${(error as Error).message}`);
    }
  })();
}

class RealUdpSocket implements UdpSocket {
  /** One IPv6 and one IPv4 loopback socket per port. */
  readonly ipv6 = true;
  readonly #queue: UdpDatagram[] = [];
  readonly #pair: Promise<PortPair>;
  readonly #detach: () => void;
  #ready: PortPair | undefined;
  #closed = false;

  constructor(pair: PortPair | Promise<PortPair>, detach: () => void, onError: (e: Error) => void) {
    this.#pair = Promise.resolve(pair);
    if (!(pair instanceof Promise)) this.#ready = pair;
    this.#pair.then((p) => { this.#ready = p; }, (e: Error) => onError(e));
    this.#detach = detach;
  }

  receive(d: UdpDatagram, onReadable: (n: number) => void): void {
    if (this.#closed) return;
    this.#queue.push(d);
    onReadable(this.#queue.length);
  }

  write(bytes: Uint8Array, address: string, port: number): void {
    if (this.#closed) throw new Error("closed");
    const dst = isLoopback(address);
    // Real traffic stays on loopback, whatever the firmware asks for.
    if (!dst || !(port >= 1 && port <= 65535)) throw new Error("UDP send failed");
    const copy = Buffer.from(bytes);
    const ready = this.#ready;
    if (ready) (dst.family === 6 ? ready.v6 : ready.v4).send(copy, port, dst.text);
    else void this.#pair.then((p) => (dst.family === 6 ? p.v6 : p.v4).send(copy, port, dst.text), () => undefined);
  }

  read(): UdpDatagram | undefined {
    if (this.#closed) throw new Error("closed");
    return this.#queue.shift();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#detach();
  }
}

export async function openRealUdp(options: RealUdpOptions): Promise<RealUdp> {
  const map = options.portMap ?? ((p: number) => p);
  const onError = options.onError ?? ((e: Error) => { throw e; });
  const reserved = new Map<number, PortPair>();
  const ephemeral = new Set<Promise<PortPair>>();
  const ports = new Map<number, number>();
  const routeTo = new Map<PortPair, (d: UdpDatagram) => void>();
  const dispatch = (pair: () => PortPair | undefined) => (d: UdpDatagram) => {
    const p = pair();
    const owner = p && routeTo.get(p);
    if (owner) options.inject(() => owner(d));
  };
  try {
    for (const port of options.reserve ?? [5684]) {
      let self: PortPair | undefined;
      self = await bindPair(map(port), dispatch(() => self));
      reserved.set(port, self);
      ports.set(port, self.v6.address().port);
    }
  } catch (error) {
    for (const p of reserved.values()) { p.v6.close(); p.v4.close(); }
    throw error;
  }

  const udp: UdpFactory = (o: UdpOptions) => {
    const pre = reserved.get(o.port);
    if (pre) {
      if (routeTo.has(pre)) throw new Error("port in use");
      const sock: RealUdpSocket = new RealUdpSocket(pre, () => routeTo.delete(pre), onError);
      routeTo.set(pre, (d) => sock.receive(d, o.onReadable));
      return sock;
    }
    let self: PortPair | undefined;
    const pending = bindPair(o.port === 0 ? 0 : map(o.port), dispatch(() => self));
    ephemeral.add(pending);
    const sock: RealUdpSocket = new RealUdpSocket(pending, () => {
      ephemeral.delete(pending);
      void pending.then((p) => { routeTo.delete(p); p.v6.close(); p.v4.close(); }, () => undefined);
    }, onError);
    void pending.then((p) => { self = p; routeTo.set(p, (d) => sock.receive(d, o.onReadable)); }, () => undefined);
    return sock;
  };

  return {
    udp,
    ports,
    close: () => {
      for (const p of reserved.values()) { p.v6.close(); p.v4.close(); }
      reserved.clear();
      for (const pending of ephemeral) void pending.then((p) => { p.v6.close(); p.v4.close(); }, () => undefined);
      ephemeral.clear();
    },
  };
}
