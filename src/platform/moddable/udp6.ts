// JS face of native/udp6.c: a dual-stack lwIP UDP socket (IPv6 and IPv4 peers on one PCB)
// with the shape of ECMA-419 `embedded:io/socket/udp`. Moddable's own socket is IPv4-only
// (moddable-target.md §0.1). Addresses come back as text: IPv6 in all eight groups, never
// "::"-compressed (coaps-cli.md §1.6), IPv4 as a dotted quad. Each member is a bare
// `native(...).call(this, <its parameters>)` (the C side reads port and onReadable from the
// options): xsc compiles only that shape to a direct host call ("cannot optimize native!").
import type { Udp419, UdpOptions419, UdpPacket419 } from "./sdk-udp.js";

export default class UDP6 extends Native("xs_udp6_destructor") implements Udp419 {
  constructor(options: UdpOptions419) {
    super();
    native("xs_udp6_constructor").call(this, options);
  }
  read(): UdpPacket419 | undefined {
    return native("xs_udp6_read").call(this) as UdpPacket419 | undefined;
  }
  write(data: ArrayBuffer | ArrayBufferView, address: string, port: number): void {
    return native("xs_udp6_write").call(this, data, address, port) as void;
  }
  /** Repeatable; any other call afterwards throws "closed". */
  close(): void {
    return native("xs_udp6_close").call(this) as void;
  }
}
