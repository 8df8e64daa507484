// The readiness probe the interop tests use instead of fixed sleeps.
import test from "ava";
import { spawn } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { udpPortBound, waitForUdpPort } from "./udp-ready.js";

async function bindUdp(type: "udp4" | "udp6", port = 0): Promise<Socket> {
  const s = createSocket(type);
  await new Promise<void>((resolve) => s.bind(port, type === "udp4" ? "127.0.0.1" : "::1", resolve));
  return s;
}
const close = (s: Socket) => new Promise<void>((resolve) => s.close(resolve));

test.serial("a port is reported bound once a socket holds it (IPv4 and IPv6), and by whom", async (t) => {
  for (const type of ["udp4", "udp6"] as const) {
    const s = await bindUdp(type);
    const port = s.address().port;
    t.true(udpPortBound(port), type);
    t.true(udpPortBound(port, process.pid), `${type}: held by this process`);
    const other = spawn("sleep", ["5"]);
    try {
      t.false(udpPortBound(port, other.pid!), `${type}: not by another process`);
    } finally {
      other.kill();
    }
    await close(s);
    t.false(udpPortBound(port), `${type}: free again after close`);
  }
});

test.serial("waitForUdpPort resolves when the port gets bound later, not before", async (t) => {
  const probe = await bindUdp("udp4");
  const port = probe.address().port;
  await close(probe);
  let bound: Socket | undefined;
  let resolvedBeforeBind = false;
  const waiting = waitForUdpPort(port, { pid: process.pid, withinMs: 5000 }).then(() => { resolvedBeforeBind = bound === undefined; });
  await new Promise((r) => setTimeout(r, 30));
  bound = await bindUdp("udp4", port);
  await waiting;
  t.false(resolvedBeforeBind);
  await close(bound);
});

test.serial("waitForUdpPort gives up at once when the peer has exited, and after its deadline otherwise", async (t) => {
  const probe = await bindUdp("udp4");
  const port = probe.address().port;
  await close(probe);
  await t.throwsAsync(waitForUdpPort(port, { withinMs: 5000, exited: () => true }), { message: /exited before binding/ });
  await t.throwsAsync(waitForUdpPort(port, { withinMs: 20 }), { message: /not bound/ });
});
