import test from "ava";
import { createSocket } from "node:dgram";
import { createSim } from "../../host-sim/harness.js";
import { openRealUdp } from "../../host-sim/real-udp.js";
import { startCoapsApp as echoFirmware } from "./fixtures/echo-firmware.js";

async function freeUdpPort(): Promise<number> {
  const s = createSocket({ type: "udp6", ipv6Only: true });
  await new Promise<void>((r) => s.bind(0, "::1", () => r()));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

test("a real-socket node exchanges datagrams with a real peer on ::1 and 127.0.0.1", async (t) => {
  const real = await freeUdpPort();
  const sim = await createSim({ firmware: echoFirmware, realTime: true, udpFor: () => udp.udp });
  const udp = await openRealUdp({ reserve: [5684], portMap: (p) => p - 5684 + real, inject: (fn) => sim.realTime!.inject(fn) });
  const peer6 = createSocket({ type: "udp6", ipv6Only: true });
  const peer4 = createSocket("udp4");
  try {
    t.is(udp.ports.get(5684), real);
    const c = sim.addNode(1).console;
    c.send("udp open 5684");
    await c.waitFor("Done\r\n> ", 2000);
    await new Promise<void>((r) => peer6.bind(0, "::1", () => r()));
    await new Promise<void>((r) => peer4.bind(0, "127.0.0.1", () => r()));
    peer6.send("hello6", real, "::1");
    await c.waitFor(`udp from 0:0:0:0:0:0:0:1 ${peer6.address().port}: hello6\r\n`, 2000);
    const got = new Promise<string>((r) => peer4.once("message", (m) => r(m.toString())));
    c.send(`udp send 127.0.0.1 ${peer4.address().port} back4`);
    t.is(await got, "back4");
    t.true(c.transcript().endsWith(`udp send 127.0.0.1 ${peer4.address().port} back4\r\nDone\r\n> `));
    // The firmware may close and reopen its port (coaps stop / start) without losing it.
    // The restarted firmware reopens 5684 at once; the real peer's next datagram must reach it.
    sim.node(1).stop();
    sim.node(1).start({ start: (p) => echoFirmware(p, { port: 5684 }) });
    peer6.send("again6", real, "::1");
    await c.waitFor(`udp from 0:0:0:0:0:0:0:1 ${peer6.address().port}: again6\r\n`, 2000);
    peer4.send("again4", real, "127.0.0.1");
    await c.waitFor(`udp from 127.0.0.1 ${peer4.address().port}: again4\r\n`, 2000);
  } finally {
    peer6.close(); peer4.close();
    sim.close();
    udp.close();
  }
});

test("a taken real port is reported as one clear error before the node starts", async (t) => {
  const real = await freeUdpPort();
  const blocker = createSocket({ type: "udp6", ipv6Only: true });
  await new Promise<void>((r) => blocker.bind(real, "::1", () => r()));
  try {
    await t.throwsAsync(openRealUdp({ reserve: [5684], portMap: () => real, inject: (fn) => fn() }), { message: `port ${real} in use` });
  } finally {
    blocker.close();
  }
});

test("real sockets refuse to send anywhere but loopback", async (t) => {
  const real = await freeUdpPort();
  const udp = await openRealUdp({ reserve: [5684], portMap: () => real, inject: (fn) => fn() });
  try {
    const s = udp.udp({ port: 5684, onReadable: () => {} });
    t.throws(() => s.write(new Uint8Array([1]), "192.0.2.1", 9), { message: "UDP send failed" });
    t.throws(() => s.write(new Uint8Array([1]), "fdde:ad00:beef::1", 9), { message: "UDP send failed" });
    t.throws(() => udp.udp({ port: 5684, onReadable: () => {} }), { message: "port in use" });
    s.close();
    t.notThrows(() => udp.udp({ port: 5684, onReadable: () => {} }).close());
  } finally {
    udp.close();
  }
});

/** A node running the coaps firmware on real loopback sockets, its 5684 at a free real port. */
async function realCoapsNode() {
  const real = await freeUdpPort();
  const sim = await createSim({ realTime: true, udpFor: () => udp.udp });
  const udp = await openRealUdp({ reserve: [5684], portMap: (p) => p - 5684 + real, inject: (fn) => sim.realTime!.inject(fn) });
  return { real, console: sim.addNode(1).console, close: () => { sim.close(); udp.close(); } };
}

test("coaps connect ::ffff:127.0.0.1 reaches a real-socket node over IPv4, printed as 127.0.0.1", async (t) => {
  const s = await realCoapsNode(), c = await realCoapsNode();
  try {
    for (const line of ["coaps psk key id", "coaps start", "coaps resource r"]) {
      s.console.send(line);
      await s.console.waitFor("Done\r\n> ", 2000);
    }
    for (const line of ["coaps psk key id", "coaps start", `coaps connect ::ffff:127.0.0.1 ${s.real}`]) {
      c.console.send(line);
      await c.console.waitFor("Done\r\n> ", 2000);
    }
    // The server answers from 127.0.0.1: the session is that IPv4 peer's, so it connects.
    await c.console.waitFor("coaps connected\r\n", 10_000);
    c.console.send("coaps get r");
    await c.console.waitFor("coaps response from 127.0.0.1 with payload: 30\r\n", 10_000);
    await s.console.waitFor("coaps request from 127.0.0.1 GET\r\n", 2000);
    t.pass();
  } finally {
    c.close(); s.close();
  }
});
