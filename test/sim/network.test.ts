import test from "ava";
import { VirtualClock } from "../../host-sim/virtual-clock.js";
import { SimNetwork, type LinkSettings, type SimDatagram } from "../../host-sim/sim-network.js";
import { simUdpFactory } from "../../host-sim/sim-udp.js";
import type { UdpSocket } from "../../src/platform/udp.js";

function pair(link: Partial<LinkSettings> = {}, seed = 7) {
  const clock = new VirtualClock();
  const net = new SimNetwork({ clock, seed, link });
  const a = net.addNode(1), b = net.addNode(2);
  const received: Array<{ n: number; at: number; from: string; port: number }> = [];
  const rx: UdpSocket = simUdpFactory(b)({
    port: 5684,
    onReadable: () => {
      for (let d = rx.read(); d; d = rx.read()) received.push({ n: d.bytes[0]! | (d.bytes[1]! << 8), at: clock.now(), from: d.address, port: d.port });
    },
  });
  const tx = simUdpFactory(a)({ port: 0, onReadable: () => {} });
  const send = (n: number) => tx.write(new Uint8Array([n & 0xff, n >> 8]), "fdde:ad00:beef::2", 5684);
  return { clock, net, received, send, tx };
}

test("a datagram arrives after the link delay from the sender's full-form address", (t) => {
  const { clock, received, send, tx } = pair({ delayMs: 15 });
  send(1);
  clock.advance(14);
  t.is(received.length, 0);
  clock.advance(1);
  t.deepEqual(received, [{ n: 1, at: 15, from: "fdde:ad00:beef:0:0:0:0:1", port: (tx as unknown as { port: number }).port }]);
});

test("zero delay still delivers asynchronously, never inside write", (t) => {
  const { clock, received, send } = pair();
  send(1);
  t.is(received.length, 0);
  clock.runDue();
  t.is(received.length, 1);
});

test("jitter without reordering keeps each link in send order", (t) => {
  const { clock, received, send } = pair({ delayMs: 10, jitterMs: 50 });
  for (let i = 0; i < 200; i++) { send(i); clock.advance(1); }
  clock.advance(1000);
  t.deepEqual(received.map((r) => r.n), [...Array(200).keys()]);
  const spread = new Set(received.map((r, i) => r.at - i));
  t.true(spread.size > 10, "jitter varied the delays");
  for (const r of received) t.true(r.at - r.n >= 10 && r.at - r.n <= 60 + 200);
});

test("the reorder setting lets later datagrams overtake held-back ones", (t) => {
  const { clock, received, send } = pair({ delayMs: 5, reorder: 0.3 }, 11);
  for (let i = 0; i < 300; i++) { send(i); clock.advance(1); }
  clock.advance(1000);
  t.is(received.length, 300);
  let inversions = 0;
  for (let i = 1; i < received.length; i++) if (received[i]!.n < received[i - 1]!.n) inversions++;
  t.true(inversions > 30, `inversions ${inversions}`);
  t.deepEqual([...received.map((r) => r.n)].sort((x, y) => x - y), [...Array(300).keys()]);
});

test("loss and duplication rates stay within statistical bounds for a seed", (t) => {
  const N = 20_000;
  const { clock, net, received, send } = pair({ loss: 0.2, duplicate: 0.1 }, 1234);
  for (let i = 0; i < N; i++) send(i);
  clock.runDue();
  // 5 standard deviations: a correct implementation essentially never fails, a wrong rate always does.
  const bound = (p: number) => 5 * Math.sqrt(N * p * (1 - p));
  t.true(Math.abs(net.stats.lost - N * 0.2) < bound(0.2), `lost ${net.stats.lost}`);
  const kept = N - net.stats.lost;
  t.true(Math.abs(net.stats.duplicated - kept * 0.1) < 5 * Math.sqrt(kept * 0.09), `dup ${net.stats.duplicated}`);
  t.is(received.length, kept + net.stats.duplicated);
});

test("the same seed reproduces the run exactly and another seed does not", (t) => {
  const run = (seed: number) => {
    const { clock, received, send } = pair({ delayMs: 3, jitterMs: 20, loss: 0.1, duplicate: 0.05, reorder: 0.1 }, seed);
    for (let i = 0; i < 500; i++) { send(i); clock.advance(2); }
    clock.advance(1000);
    return JSON.stringify(received);
  };
  t.is(run(99), run(99));
  t.not(run(99), run(100));
});

test("a partition drops traffic both ways until healed, including datagrams in flight", (t) => {
  const { clock, net, received, send } = pair({ delayMs: 100 });
  send(1);
  clock.advance(50);
  net.partition([1], [2]);
  send(2);
  clock.advance(500);
  t.deepEqual(received, []);
  t.is(net.stats.partitioned, 2);
  net.partition([1], [2], false);
  send(3);
  clock.advance(500);
  t.deepEqual(received.map((r) => r.n), [3]);
});

test("heal lifts every partition and isolation but keeps loss settings", (t) => {
  const { clock, net, received, send } = pair();
  net.partition([1], [2]);
  net.isolate(1);
  send(1); clock.runDue();
  net.heal();
  send(2); clock.runDue();
  net.setLink(1, 2, { loss: 1 });
  net.heal();
  send(3); clock.runDue();
  t.deepEqual(received.map((r) => r.n), [2]);
  t.is(net.link(1, 2).loss, 1);
  t.false(net.link(2, 1).partitioned);
});

test("an observer hears each copy delivered and each drop with its reason", (t) => {
  const { clock, net, send, tx } = pair({ delayMs: 10 });
  const seen: string[] = [];
  net.addObserver({
    delivered: (d, to) => seen.push(`delivered ${d.bytes[0]} to ${to} at ${clock.now()}`),
    dropped: (d, to, reason) => seen.push(`dropped ${d.bytes[0]} to ${to} at ${clock.now()}: ${reason}`),
  });
  send(1);
  net.setLink(1, 2, { duplicate: 1 }); send(2); net.setLink(1, 2, { duplicate: 0 });
  net.setLink(1, 2, { loss: 1 }); send(3); net.setLink(1, 2, { loss: 0 });
  clock.advance(10);
  send(4); clock.advance(5); net.partition([1], [2]); clock.advance(10); net.heal();
  tx.write(new Uint8Array([5]), "fdde:ad00:beef::2", 9);
  tx.write(new Uint8Array([6]), "fd00::1234", 9);
  clock.advance(20);
  t.deepEqual(seen, [
    "dropped 3 to 2 at 0: loss",
    "delivered 1 to 2 at 10",
    "delivered 2 to 2 at 10",
    "delivered 2 to 2 at 10",
    "dropped 4 to 2 at 20: partition",
    "dropped 6 to 0 at 25: vanished",
    "dropped 5 to 2 at 35: no-listener",
  ]);
});

test("an isolated node neither sends nor receives", (t) => {
  const { clock, net, received, send } = pair();
  net.isolate(2);
  send(1); clock.runDue();
  net.isolate(2, false);
  send(2); clock.runDue();
  t.deepEqual(received.map((r) => r.n), [2]);
});

test("datagrams to an address no node has vanish", (t) => {
  const { clock, net, tx, received } = pair();
  tx.write(new Uint8Array([1]), "fd00::1234", 5684);
  clock.advance(10_000);
  t.is(received.length, 0);
  t.is(net.stats.vanished, 1);
});

test("the source address is the node address with the longest prefix match (T2's RLOC)", (t) => {
  const clock = new VirtualClock();
  const net = new SimNetwork({ clock });
  const s = net.addNode(1, { addresses: ["fdde:ad00:beef:0:9903:14b:27e0:5744"], extraAddresses: ["fdde:ad00:beef:0:0:ff:fe00:fc00"] });
  const c = net.addNode(2, { addresses: ["fdde:ad00:beef:0:9e68:576f:714c:f395"], extraAddresses: ["fdde:ad00:beef:0:0:ff:fe00:fc01"] });
  const seen: SimDatagram[] = [];
  net.addTap((d) => seen.push(d));
  const froms: string[] = [];
  const server = simUdpFactory(s)({ port: 5684, onReadable: () => { const d = server.read()!; froms.push(d.address); server.write(d.bytes, d.address, d.port); } });
  const client = simUdpFactory(c)({ port: 0, onReadable: () => { froms.push(client.read()!.address); } });
  client.write(new Uint8Array([1]), "fdde:ad00:beef::ff:fe00:fc00", 5684);
  client.write(new Uint8Array([2]), "fdde:ad00:beef:0:9903:14b:27e0:5744", 5684);
  clock.runDue();
  t.deepEqual(froms, [
    "fdde:ad00:beef:0:0:ff:fe00:fc01", "fdde:ad00:beef:0:9e68:576f:714c:f395",
    "fdde:ad00:beef:0:0:ff:fe00:fc00", "fdde:ad00:beef:0:9903:14b:27e0:5744",
  ]);
  t.is(seen.length, 4);
});

test("virtual IPv4 addresses talk to each other and not to IPv6-only nodes", (t) => {
  const clock = new VirtualClock();
  const net = new SimNetwork({ clock });
  const a = net.addNode(1, { ipv4: true }), b = net.addNode(2, { ipv4: true }), c = net.addNode(3);
  const got: string[] = [];
  const rx = simUdpFactory(b)({ port: 9, onReadable: () => got.push(rx.read()!.address) });
  simUdpFactory(a)({ port: 0, onReadable: () => {} }).write(new Uint8Array([1]), "192.0.2.2", 9);
  clock.runDue();
  t.deepEqual(got, ["192.0.2.1"]);
  const v6only = simUdpFactory(c)({ port: 0, onReadable: () => {} });
  t.throws(() => v6only.write(new Uint8Array([1]), "192.0.2.2", 9), { message: "UDP send failed" });
});

test("binding a taken port throws port in use, and closing frees it", (t) => {
  const clock = new VirtualClock();
  const net = new SimNetwork({ clock });
  const udp = simUdpFactory(net.addNode(1));
  const s = udp({ port: 5684, onReadable: () => {} });
  t.throws(() => udp({ port: 5684, onReadable: () => {} }), { message: "port in use" });
  s.close();
  s.close();
  t.throws(() => s.write(new Uint8Array([1]), "::1", 1));
  t.notThrows(() => udp({ port: 5684, onReadable: () => {} }).close());
});
