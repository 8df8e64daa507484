// The platform UdpFactory over a SimNetwork interface, shaped like ECMA-419
// embedded:io/socket/udp: onReadable(count) says how many datagrams wait, read() pulls one.
import type { UdpDatagram, UdpFactory, UdpOptions, UdpSocket } from "../src/platform/udp.js";
import type { NetInterface, SimDatagram } from "./sim-network.js";

export class SimUdpSocket implements UdpSocket {
  /** The simulated network carries IPv6 and IPv4 alike. */
  readonly ipv6 = true;
  readonly port: number;
  readonly #iface: NetInterface;
  readonly #queue: UdpDatagram[] = [];
  readonly #onReadable: (count: number) => void;
  #closed = false;

  constructor(iface: NetInterface, options: UdpOptions) {
    this.#iface = iface;
    this.#onReadable = options.onReadable;
    this.port = iface.bind(options.port, (d) => this.#receive(d));
  }

  write(bytes: Uint8Array, address: string, port: number): void {
    if (this.#closed) throw new Error("closed");
    this.#iface.send(this.port, bytes, address, port);
  }

  read(): UdpDatagram | undefined {
    if (this.#closed) throw new Error("closed");
    return this.#queue.shift();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.length = 0;
    this.#iface.unbind(this.port);
  }

  #receive(d: SimDatagram): void {
    this.#queue.push({ bytes: d.bytes.slice(), address: d.source.text, port: d.sourcePort });
    this.#onReadable(this.#queue.length);
  }
}

export function simUdpFactory(iface: NetInterface): UdpFactory {
  return (options) => new SimUdpSocket(iface, options);
}
