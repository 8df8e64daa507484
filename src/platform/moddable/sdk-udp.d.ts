// Minimal declaration of `embedded:io/socket/udp` (moddable-target.md §3.1). udp6.ts has the
// same shape, so one adapter (udp.ts) serves both.

export interface UdpOptions419 {
  readonly port?: number;
  readonly onReadable?: (this: Udp419, count: number) => void;
}

/** A received datagram: the bytes, with the sender attached. */
export type UdpPacket419 = ArrayBuffer & { readonly address: string; readonly port: number };

export interface Udp419 {
  /** The next queued datagram, or undefined when none is waiting. */
  read(): UdpPacket419 | undefined;
  /** Throws "UDP send failed" when the stack refuses the datagram. */
  write(data: ArrayBuffer | Uint8Array, address: string, port: number): void;
  close(): void;
}

export type Udp419Constructor = new (options: UdpOptions419) => Udp419;

export declare const UDP: Udp419Constructor;
