// The UdpFactory over an ECMA-419-shaped socket class (the stock IPv4 one or udp6), with fakes.
import test from "ava";
import { createUdpFactory } from "../../src/platform/moddable/udp.js";
import type { Udp419, UdpOptions419, UdpPacket419 } from "../../src/platform/moddable/sdk-udp.js";

class FakeSocket implements Udp419 {
  static sockets: FakeSocket[] = [];
  static bindError: string | undefined;
  readonly sent: Array<{ bytes: number[]; address: string; port: number }> = [];
  readonly queue: UdpPacket419[] = [];
  closed = 0;
  constructor(readonly options: UdpOptions419) {
    if (FakeSocket.bindError) throw new Error(FakeSocket.bindError);
    FakeSocket.sockets.push(this);
  }
  read(): UdpPacket419 | undefined {
    return this.queue.shift();
  }
  write(data: ArrayBuffer | ArrayBufferView, address: string, port: number): void {
    if (address === "refused") throw new Error("UDP send failed");
    const view = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
    this.sent.push({ bytes: [...view], address, port });
  }
  close(): void {
    this.closed++;
  }
  deliver(bytes: number[], address: string, port: number): void {
    this.queue.push(Object.assign(Uint8Array.from(bytes).buffer, { address, port }));
    this.options.onReadable?.call(this, this.queue.length);
  }
}

const up = { isUp: () => true };

test.serial("no socket opens before the network is up; then one does, bound to the asked port", (t) => {
  FakeSocket.sockets = [];
  FakeSocket.bindError = undefined;
  let isUp = false;
  const factory = createUdpFactory(FakeSocket, "dual", { isUp: () => isUp });
  t.throws(() => factory({ port: 5684, onReadable: () => {} }), { message: "no network" });
  t.is(FakeSocket.sockets.length, 0);
  isUp = true;
  factory({ port: 5684, onReadable: () => {} });
  t.is(FakeSocket.sockets[0]?.options.port, 5684);
});

test.serial("datagrams from IPv6 and dotted IPv4 peers come through with their address text unchanged", (t) => {
  FakeSocket.sockets = [];
  FakeSocket.bindError = undefined;
  const counts: number[] = [];
  const socket = createUdpFactory(FakeSocket, "dual", up)({ port: 5684, onReadable: (n) => counts.push(n) });
  const fake = FakeSocket.sockets[0]!;
  fake.deliver([1, 2, 3], "fdde:ad00:beef:0:0:ff:fe00:fc00", 5684);
  fake.deliver([4], "192.168.1.20", 49152);
  t.deepEqual(counts, [1, 2]);
  const a = socket.read()!, b = socket.read()!;
  t.deepEqual([[...a.bytes], a.address, a.port], [[1, 2, 3], "fdde:ad00:beef:0:0:ff:fe00:fc00", 5684]);
  t.deepEqual([[...b.bytes], b.address, b.port], [[4], "192.168.1.20", 49152]);
  t.is(socket.read(), undefined);
  socket.write(Uint8Array.of(9, 9), "10.0.0.7", 5684);
  socket.write(Uint8Array.of(8), "fe80:0:0:0:0:0:0:1", 5684);
  t.deepEqual(fake.sent.map((s) => s.address), ["10.0.0.7", "fe80:0:0:0:0:0:0:1"]);
});

test.serial("a socket says whether it reaches IPv6 peers: the dual-stack udp6 does, the stock IPv4 socket does not", (t) => {
  FakeSocket.sockets = [];
  FakeSocket.bindError = undefined;
  t.true(createUdpFactory(FakeSocket, "dual", up)({ port: 0, onReadable: () => {} }).ipv6);
  t.false(createUdpFactory(FakeSocket, "ipv4", up)({ port: 0, onReadable: () => {} }).ipv6);
});

test.serial("the IPv4-only stock socket refuses IPv6 peers with the contract's error, without calling lwIP", (t) => {
  FakeSocket.sockets = [];
  FakeSocket.bindError = undefined;
  const socket = createUdpFactory(FakeSocket, "ipv4", up)({ port: 5684, onReadable: () => {} });
  t.throws(() => socket.write(Uint8Array.of(1), "fdde:ad00:beef:0:0:ff:fe00:fc00", 5684), { message: "UDP send failed" });
  t.is(FakeSocket.sockets[0]!.sent.length, 0);
  socket.write(Uint8Array.of(1), "127.0.0.1", 5684);
  t.is(FakeSocket.sockets[0]!.sent.length, 1);
});

test.serial("platform errors map to the contract: a failed bind is 'port in use', a refused send is 'UDP send failed'", (t) => {
  FakeSocket.sockets = [];
  FakeSocket.bindError = "bind failed: port in use";
  const factory = createUdpFactory(FakeSocket, "dual", up);
  t.throws(() => factory({ port: 5684, onReadable: () => {} }), { message: "port in use" });
  FakeSocket.bindError = undefined;
  const socket = factory({ port: 5684, onReadable: () => {} });
  t.throws(() => socket.write(Uint8Array.of(1), "refused", 1), { message: "UDP send failed" });
});

test.serial("close is repeatable and closes the native socket once; afterwards writes fail and reads are empty", (t) => {
  FakeSocket.sockets = [];
  FakeSocket.bindError = undefined;
  const socket = createUdpFactory(FakeSocket, "dual", up)({ port: 0, onReadable: () => {} });
  socket.close();
  socket.close();
  t.is(FakeSocket.sockets[0]!.closed, 1);
  t.throws(() => socket.write(Uint8Array.of(1), "::1", 5684), { message: "UDP send failed" });
  t.is(socket.read(), undefined);
});
