// The platform's UdpFactory over any socket class of the ECMA-419 UDP shape: Moddable's
// IPv4-only `embedded:io/socket/udp`, or our dual-stack udp6 (native/udp6.c). Sockets open
// only once the network is up (on ESP32 the stock constructor would throw "no network").
import type { UdpDatagram, UdpFactory, UdpOptions, UdpSocket } from "../udp.js";
import type { Udp419, Udp419Constructor } from "./sdk-udp.js";

/** "dual": IPv6 and IPv4 peers on one socket (udp6); "ipv4": the stock socket. */
export type UdpFamily = "dual" | "ipv4";

export interface NetworkGate {
  isUp(): boolean;
}

function openError(e: unknown): Error {
  const why = e instanceof Error ? e.message : String(e);
  // Moddable reports a taken port as a failed bind; the platform contract calls it "port in use".
  if (/bind|in use/i.test(why)) return new Error("port in use");
  return e instanceof Error ? e : new Error(why);
}

export function createUdpFactory(Udp: Udp419Constructor, family: UdpFamily, gate: NetworkGate): UdpFactory {
  return (options: UdpOptions): UdpSocket => {
    if (!gate.isUp()) throw new Error("no network");
    let socket: Udp419;
    try {
      socket = new Udp({ port: options.port, onReadable: (count: number) => options.onReadable(count) });
    } catch (e) {
      throw openError(e);
    }
    let open = true;
    return {
      ipv6: family === "dual",
      write(bytes: Uint8Array, address: string, port: number): void {
        // The stock lwIP socket is IPv4-only: refuse IPv6 here instead of inside lwIP.
        if (!open || (family === "ipv4" && address.includes(":"))) throw new Error("UDP send failed");
        try {
          socket.write(bytes, address, port);
        } catch {
          throw new Error("UDP send failed");
        }
      },
      read(): UdpDatagram | undefined {
        if (!open) return undefined;
        const packet = socket.read();
        if (packet === undefined) return undefined;
        return { bytes: new Uint8Array(packet), address: packet.address, port: packet.port };
      },
      close(): void {
        if (!open) return;
        open = false;
        socket.close();
      },
    };
  };
}
