// UDP, shaped like ECMA-419 `embedded:io/socket/udp`: the platform calls `onReadable(count)`
// and the owner pulls each datagram with `read()` (undefined when empty); `write` never blocks.

export interface UdpDatagram {
  readonly bytes: Uint8Array;
  /** Sender address as text: IPv6 in the full form of spec §1.6, or dotted IPv4. */
  readonly address: string;
  readonly port: number;
}

export interface UdpSocket {
  /**
   * Whether this socket reaches IPv6 peers. False where the platform's UDP is IPv4-only
   * (Moddable's stock socket, e.g. on the lin simulator): the agent then refuses an IPv6
   * `coaps connect` up front instead of failing every send.
   */
  readonly ipv6: boolean;
  /** Sends one datagram. Throws Error("UDP send failed") when the platform refuses it. */
  write(bytes: Uint8Array, address: string, port: number): void;
  read(): UdpDatagram | undefined;
  close(): void;
}

export interface UdpOptions {
  /** Local port to bind; 0 = ephemeral. */
  port: number;
  onReadable(count: number): void;
}

/**
 * Opens a socket. Throws Error("port in use") when the port is taken and Error("no network")
 * when no network interface is up (the agent reports these reasons apart).
 */
export type UdpFactory = (options: UdpOptions) => UdpSocket;
