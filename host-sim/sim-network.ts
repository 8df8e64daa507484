// SimNetwork: the simulated IPv6 (and optional IPv4) network of one run. Nodes own addresses
// and bound ports; datagrams travel over per-link settings (delay + jitter, loss, duplication,
// reordering, partition) on the shared virtual clock. All randomness comes from one seeded
// PRNG, drawn in send order, so a run is reproducible from its seed.
import type { VirtualClock } from "./virtual-clock.js";
import { Prng } from "./prng.js";
import { parseAddress, type IpAddress } from "../src/net/address.js";
import { defaultNodeAddress, defaultNodeIpv4, selectSourceAddress } from "./ipv6.js";

export interface LinkSettings {
  /** Fixed one-way delay in virtual ms (0 = same instant, but never synchronous). */
  readonly delayMs: number;
  /** Extra delay drawn uniformly from 0..jitterMs (integer ms). */
  readonly jitterMs: number;
  /** Probability a datagram is lost. */
  readonly loss: number;
  /** Probability a datagram is delivered twice. */
  readonly duplicate: number;
  /**
   * Probability a datagram is held back (by 2·(delay+jitter)+1 ms) so later ones overtake it.
   * Otherwise each link is FIFO: jitter alone never reorders.
   */
  readonly reorder: number;
  /** When true nothing crosses the link (checked at send and at delivery). */
  readonly partitioned: boolean;
}

export const DEFAULT_LINK: LinkSettings = { delayMs: 0, jitterMs: 0, loss: 0, duplicate: 0, reorder: 0, partitioned: false };

export interface SimDatagram {
  readonly source: IpAddress;
  readonly sourcePort: number;
  readonly destination: IpAddress;
  readonly destinationPort: number;
  readonly bytes: Uint8Array;
  /** Virtual time it was sent. */
  readonly sentAt: number;
}

export interface NetworkStats {
  sent: number; delivered: number; lost: number; duplicated: number;
  /** Sent to an address no node has (spec §13's fd00::1234). */
  vanished: number;
  partitioned: number;
  /** Arrived at a node with nothing bound on the port. */
  noListener: number;
}

export interface NodeAddressing {
  /** Explicit IPv6 addresses, primary first. Default: [fdde:ad00:beef:0:0:0:0:<id hex>]. */
  readonly addresses?: readonly string[];
  /** Extra IPv6 addresses added after the default or explicit ones (e.g. an RLOC for T2). */
  readonly extraAddresses?: readonly string[];
  /** A virtual IPv4 address: true = 192.0.2.<id>, or explicit text. */
  readonly ipv4?: boolean | string;
}

export type Receiver = (datagram: SimDatagram) => void;

/** Why a datagram never reached a socket. */
export type DropReason = "loss" | "partition" | "vanished" | "no-listener";

/** Sees what becomes of each sent datagram (the message sequence chart draws it). */
export interface DatagramObserver {
  /** A copy reached the destination's socket (twice for a duplicated datagram). */
  delivered?(datagram: SimDatagram, toNode: number): void;
  /** Dropped; toNode is 0 when no simulated node has the destination address. */
  dropped?(datagram: SimDatagram, toNode: number, reason: DropReason): void;
}

const EPHEMERAL_FIRST = 49152;

/** One node's attachment to the network: its addresses and bound ports. */
export class NetInterface {
  readonly id: number;
  readonly addresses: readonly IpAddress[];
  readonly #ports = new Map<number, Receiver>();
  /** Source address per destination text: a node's addresses never change. */
  readonly #sources = new Map<string, IpAddress | undefined>();
  readonly #network: SimNetwork;
  #nextEphemeral = EPHEMERAL_FIRST;

  constructor(network: SimNetwork, id: number, addresses: readonly IpAddress[]) {
    this.#network = network;
    this.id = id;
    this.addresses = addresses;
  }

  /** Primary IPv6 address text (full form). */
  get address(): string {
    return this.addresses.find((a) => a.family === 6)!.text;
  }

  /** Binds `port` (0 = ephemeral). Throws Error("port in use"). Returns the bound port. */
  bind(port: number, receiver: Receiver): number {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError("invalid port");
    if (port === 0) {
      for (let i = 0; i < 16384 && this.#ports.has(this.#nextEphemeral); i++) this.#advanceEphemeral();
      port = this.#nextEphemeral;
      this.#advanceEphemeral();
    }
    if (this.#ports.has(port)) throw new Error("port in use");
    this.#ports.set(port, receiver);
    return port;
  }

  unbind(port: number): void {
    this.#ports.delete(port);
  }

  receiver(port: number): Receiver | undefined {
    return this.#ports.get(port);
  }

  /** The address this node sends from to `destination` (RFC 6724 rule 8), or undefined. */
  sourceFor(destination: IpAddress): IpAddress | undefined {
    let source = this.#sources.get(destination.text);
    if (source === undefined && !this.#sources.has(destination.text)) {
      source = selectSourceAddress(this.addresses, destination);
      if (this.#sources.size > 4096) this.#sources.clear();
      this.#sources.set(destination.text, source);
    }
    return source;
  }

  /** Sends from `sourcePort`. Throws Error("UDP send failed") for a bad address or no source of that family. */
  send(sourcePort: number, bytes: Uint8Array, address: string, port: number): void {
    this.#network.send(this, sourcePort, bytes, address, port);
  }

  #advanceEphemeral(): void {
    this.#nextEphemeral = this.#nextEphemeral >= 65535 ? EPHEMERAL_FIRST : this.#nextEphemeral + 1;
  }
}

export interface SimNetworkOptions {
  readonly clock: VirtualClock;
  readonly seed?: number;
  readonly link?: Partial<LinkSettings>;
}

export class SimNetwork {
  readonly clock: VirtualClock;
  readonly seed: number;
  readonly stats: NetworkStats = { sent: 0, delivered: 0, lost: 0, duplicated: 0, vanished: 0, partitioned: 0, noListener: 0 };
  #defaultLink: LinkSettings;
  readonly #links = new Map<number, Partial<LinkSettings>>();
  readonly #isolated = new Set<number>();
  readonly #nodes = new Map<number, NetInterface>();
  readonly #byAddress = new Map<string, NetInterface>();
  readonly #lastDelivery = new Map<number, number>();
  readonly #taps: Array<(d: SimDatagram) => void> = [];
  readonly #observers: DatagramObserver[] = [];
  readonly #prng: Prng;
  /** Parsed destination texts; firmware sends to the same few addresses over and over. */
  readonly #parsed = new Map<string, IpAddress | undefined>();
  /** Datagrams for addresses no local node has go here first (e.g. the loopback bridge); return true if taken. */
  externalRoute: ((datagram: SimDatagram) => boolean) | undefined;

  constructor(options: SimNetworkOptions) {
    this.clock = options.clock;
    this.seed = options.seed ?? 1;
    this.#prng = new Prng(this.seed, 0);
    this.#defaultLink = { ...DEFAULT_LINK, ...options.link };
    validateLink(this.#defaultLink);
  }

  addNode(id: number, addressing: NodeAddressing = {}): NetInterface {
    if (!Number.isInteger(id) || id < 1 || id >= 0x200000) throw new RangeError(`invalid node id ${id}`);
    if (this.#nodes.has(id)) throw new Error(`node ${id} already exists`);
    const texts = [...(addressing.addresses ?? [defaultNodeAddress(id)]), ...(addressing.extraAddresses ?? [])];
    if (addressing.ipv4) texts.push(addressing.ipv4 === true ? defaultNodeIpv4(id) : addressing.ipv4);
    const addresses = texts.map((text) => {
      const a = parseAddress(text);
      if (!a) throw new Error(`node ${id}: bad address "${text}"`);
      if (this.#byAddress.has(a.text)) throw new Error(`node ${id}: address ${a.text} already belongs to node ${this.#byAddress.get(a.text)!.id}`);
      return a;
    });
    if (!addresses.some((a) => a.family === 6)) throw new Error(`node ${id} needs an IPv6 address`);
    const iface = new NetInterface(this, id, addresses);
    this.#nodes.set(id, iface);
    for (const a of addresses) this.#byAddress.set(a.text, iface);
    return iface;
  }

  node(id: number): NetInterface | undefined {
    return this.#nodes.get(id);
  }

  nodeByAddress(text: string): NetInterface | undefined {
    const a = parseAddress(text);
    return a && this.#byAddress.get(a.text);
  }

  nodeIds(): number[] {
    return [...this.#nodes.keys()].sort((a, b) => a - b);
  }

  setDefaultLink(settings: Partial<LinkSettings>): void {
    this.#defaultLink = { ...this.#defaultLink, ...settings };
    validateLink(this.#defaultLink);
  }

  /** Overrides settings between nodes a and b (both directions unless oneWay). */
  setLink(a: number, b: number, settings: Partial<LinkSettings>, oneWay = false): void {
    validateLink({ ...DEFAULT_LINK, ...settings });
    const apply = (x: number, y: number) => this.#links.set(pairKey(x, y), { ...this.#links.get(pairKey(x, y)), ...settings });
    apply(a, b);
    if (!oneWay) apply(b, a);
  }

  link(from: number, to: number): LinkSettings {
    return { ...this.#defaultLink, ...this.#links.get(pairKey(from, to)) };
  }

  /** The settings for a pairKey, read-only: no copy for a pair without overrides (every datagram asks). */
  #linkOf(key: number): LinkSettings {
    const overrides = this.#links.size === 0 ? undefined : this.#links.get(key);
    return overrides === undefined ? this.#defaultLink : { ...this.#defaultLink, ...overrides };
  }

  /** Cuts every link between the two groups (or heals them with on = false). */
  partition(groupA: readonly number[], groupB: readonly number[], on = true): void {
    for (const a of groupA) for (const b of groupB) this.setLink(a, b, { partitioned: on });
  }

  /** Heals every partition and isolation; loss and other link settings stay. */
  heal(): void {
    for (const [key, settings] of this.#links) {
      if (settings.partitioned) this.#links.set(key, { ...settings, partitioned: false });
    }
    this.#isolated.clear();
  }

  /** Cuts a node off from everyone (spec T11: "S is cut off from the network"), or reconnects it. */
  isolate(id: number, on = true): void {
    if (on) this.#isolated.add(id); else this.#isolated.delete(id);
  }

  /** Sees every datagram sent (before loss), e.g. for pcap capture. */
  addTap(tap: (d: SimDatagram) => void): void {
    this.#taps.push(tap);
  }

  /** Hears about each datagram's delivery or drop (sends are seen through addTap). */
  addObserver(observer: DatagramObserver): void {
    this.#observers.push(observer);
  }

  #dropped(d: SimDatagram, toNode: number, reason: DropReason): void {
    for (const o of this.#observers) o.dropped?.(d, toNode, reason);
  }

  send(from: NetInterface, sourcePort: number, bytes: Uint8Array, address: string, port: number): void {
    let destination = this.#parsed.get(address);
    if (destination === undefined && !this.#parsed.has(address)) {
      destination = parseAddress(address);
      if (this.#parsed.size > 4096) this.#parsed.clear();
      this.#parsed.set(address, destination);
    }
    if (!destination || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error("UDP send failed");
    const source = from.sourceFor(destination);
    if (!source) throw new Error("UDP send failed");
    const datagram: SimDatagram = {
      source, sourcePort, destination, destinationPort: port, bytes: bytes.slice(), sentAt: this.clock.now(),
    };
    this.stats.sent++;
    // Indexed loops here and below: for-of runs the array iterator protocol, costly on XS
    // (the simulation runs there too: host-sim/xs/in-process/).
    const taps = this.#taps;
    for (let i = 0; i < taps.length; i++) taps[i]!(datagram);
    const to = this.#byAddress.get(destination.text);
    if (!to) {
      if (!this.externalRoute?.(datagram)) { this.stats.vanished++; this.#dropped(datagram, 0, "vanished"); }
      return;
    }
    const key = pairKey(from.id, to.id);
    const link = from === to ? DEFAULT_LINK : this.#linkOf(key);
    if (this.#cut(from.id, to.id, link)) { this.stats.partitioned++; this.#dropped(datagram, to.id, "partition"); return; }
    // Fixed draw order (loss, duplicate, then per copy: reorder, jitter) keeps runs reproducible.
    // chance(0) draws nothing, so the checks on p only save the calls.
    const prng = this.#prng;
    if (link.loss > 0 && prng.chance(link.loss)) { this.stats.lost++; this.#dropped(datagram, to.id, "loss"); return; }
    const copies = link.duplicate > 0 && prng.chance(link.duplicate) ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    const now = this.clock.now();
    for (let i = 0; i < copies; i++) {
      const heldBack = link.reorder > 0 && prng.chance(link.reorder);
      const jitter = link.jitterMs > 0 ? Math.floor(prng.next() * (link.jitterMs + 1)) : 0;
      let at = now + link.delayMs + jitter;
      if (heldBack) {
        at += 2 * (link.delayMs + link.jitterMs) + 1;
      } else {
        const last = this.#lastDelivery.get(key);
        if (last !== undefined && last > at) at = last;
        this.#lastDelivery.set(key, at);
      }
      this.clock.set(() => this.#deliver(from.id, to, datagram), at - now);
    }
  }

  /** Delivers a datagram that came from outside the simulated network (the loopback bridge). */
  injectExternal(datagram: SimDatagram): void {
    const to = this.#byAddress.get(datagram.destination.text);
    if (!to) { this.stats.vanished++; this.#dropped(datagram, 0, "vanished"); return; }
    this.clock.set(() => this.#deliver(0, to, datagram), 0);
  }

  #cut(fromId: number, toId: number, link: LinkSettings): boolean {
    return link.partitioned || (this.#isolated.size > 0 && (this.#isolated.has(fromId) || this.#isolated.has(toId)));
  }

  #deliver(fromId: number, to: NetInterface, datagram: SimDatagram): void {
    if (fromId !== 0 && fromId !== to.id && this.#cut(fromId, to.id, this.#linkOf(pairKey(fromId, to.id)))) {
      this.stats.partitioned++;
      this.#dropped(datagram, to.id, "partition");
      return;
    }
    const receiver = to.receiver(datagram.destinationPort);
    if (!receiver) { this.stats.noListener++; this.#dropped(datagram, to.id, "no-listener"); return; }
    this.stats.delivered++;
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) observers[i]!.delivered?.(datagram, to.id);
    receiver(datagram);
  }
}

/**
 * The key of the directed pair from>to in the link maps: a number, as the hot path (every
 * datagram, twice) would otherwise build and hash a string, costly on XS.
 */
function pairKey(from: number, to: number): number {
  return from * 0x200000 + to;
}

function validateLink(l: LinkSettings): void {
  for (const k of ["loss", "duplicate", "reorder"] as const) {
    if (!(l[k] >= 0 && l[k] <= 1)) throw new RangeError(`link ${k} must be within 0..1`);
  }
  if (!(l.delayMs >= 0) || !(l.jitterMs >= 0)) throw new RangeError("link delay and jitter must be >= 0");
}
