// Loopback bridge for one node per terminal: each process simulates one node on its own
// SimNetwork and reaches the others over real UDP on 127.0.0.1, with a fixed mapping
// node n <-> port basePort + n. No broker: a datagram for node m's address goes straight to
// m's port. Each real datagram carries the simulated addresses and ports in a small header,
// so the firmware sees exactly what it would see on one shared SimNetwork.
//
// Frame: "CSIM" 0x01 | srcLen srcText srcPort(2) | dstLen dstText dstPort(2) | payload
import { createSocket, type Socket } from "node:dgram";
import type { SimDatagram, SimNetwork } from "./sim-network.js";
import { parseAddress, type IpAddress } from "../src/net/address.js";
import { MESH_PREFIX } from "./ipv6.js";

export const DEFAULT_BRIDGE_BASE_PORT = 47000;
export const MAX_NODE_ID = 32;
const MAGIC = [0x43, 0x53, 0x49, 0x4d, 0x01];

/** Which node id owns a default address (fdde:ad00:beef:0:0:0:0:n or 192.0.2.n), if any. */
export function nodeIdOfAddress(a: IpAddress): number | undefined {
  let n: number | undefined;
  if (a.family === 4) n = a.bytes[0] === 192 && a.bytes[1] === 0 && a.bytes[2] === 2 ? a.bytes[3] : undefined;
  else if (a.text.startsWith(`${MESH_PREFIX}:0:0:0:`)) n = (a.bytes[14]! << 8) | a.bytes[15]!;
  return n !== undefined && n >= 1 && n <= MAX_NODE_ID ? n : undefined;
}

export function encodeFrame(d: SimDatagram): Uint8Array {
  const src = Buffer.from(d.source.text, "latin1"), dst = Buffer.from(d.destination.text, "latin1");
  const out = Buffer.alloc(MAGIC.length + 1 + src.length + 2 + 1 + dst.length + 2 + d.bytes.length);
  let o = 0;
  for (const m of MAGIC) out[o++] = m;
  out[o++] = src.length; src.copy(out, o); o += src.length; out.writeUInt16BE(d.sourcePort, o); o += 2;
  out[o++] = dst.length; dst.copy(out, o); o += dst.length; out.writeUInt16BE(d.destinationPort, o); o += 2;
  out.set(d.bytes, o);
  return out;
}

export function decodeFrame(frame: Uint8Array, now: number): SimDatagram | undefined {
  const b = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (b.length < MAGIC.length + 6 || MAGIC.some((m, i) => b[i] !== m)) return undefined;
  let o = MAGIC.length;
  const field = (): [IpAddress, number] | undefined => {
    const len = b[o++]!;
    if (o + len + 2 > b.length) return undefined;
    const a = parseAddress(b.toString("latin1", o, o + len));
    o += len;
    const port = b.readUInt16BE(o);
    o += 2;
    return a && [a, port];
  };
  const src = field(), dst = field();
  if (!src || !dst) return undefined;
  return { source: src[0], sourcePort: src[1], destination: dst[0], destinationPort: dst[1], bytes: new Uint8Array(b.subarray(o)), sentAt: now };
}

export interface Bridge {
  readonly port: number;
  close(): void;
}

/**
 * Binds 127.0.0.1:(basePort + nodeId) and routes the network's datagrams for other node ids
 * through it. Rejects with Error("node N is already running ...") when the port is taken.
 */
export async function openBridge(o: {
  network: SimNetwork; nodeId: number; basePort?: number; inject: (fn: () => void) => void;
}): Promise<Bridge> {
  const base = o.basePort ?? DEFAULT_BRIDGE_BASE_PORT;
  const port = base + o.nodeId;
  const socket: Socket = createSocket("udp4");
  await new Promise<void>((resolve, reject) => {
    socket.once("error", (error: NodeJS.ErrnoException) => {
      socket.close();
      reject(new Error(error.code === "EADDRINUSE"
        ? `node ${o.nodeId} is already running in another terminal (127.0.0.1:${port} is in use)`
        : `cannot bind 127.0.0.1:${port}: ${error.message}`));
    });
    socket.bind(port, "127.0.0.1", () => { socket.removeAllListeners("error"); resolve(); });
  });
  socket.on("error", () => undefined); // e.g. ICMP port unreachable from a node that is not running
  socket.on("message", (msg, rinfo) => {
    // Only other simulator nodes on loopback may inject datagrams.
    if (rinfo.address !== "127.0.0.1" || rinfo.port <= base || rinfo.port > base + MAX_NODE_ID) return;
    const d = decodeFrame(new Uint8Array(msg), o.network.clock.now());
    if (d) o.inject(() => o.network.injectExternal({ ...d, sentAt: o.network.clock.now() }));
  });
  o.network.externalRoute = (d) => {
    const n = nodeIdOfAddress(d.destination);
    if (n === undefined || n === o.nodeId) return false;
    socket.send(encodeFrame(d), base + n, "127.0.0.1");
    return true;
  };
  return {
    port,
    close: () => {
      o.network.externalRoute = undefined;
      try { socket.close(); } catch { /* already closed */ }
    },
  };
}
