// A platform whose UDP is IPv4-only (Moddable's lin simulator: its socket is AF_INET) refuses
// `coaps connect <ipv6>` with Error 27: NotCapable and stays disconnected, instead of answering
// Done and then failing every send while stuck in "connecting". IPv4 peers still work. The
// firmware runs on Node and on XS (the capability crosses the xsnap wire).
import test from "ava";
import { createSim } from "../../host-sim/harness.js";
import { loadFirmwareModule, runtimeFor, type EngineName } from "../../host-sim/xs/runtime.js";
import type { UdpFactory } from "../../src/platform/udp.js";

/** Like Moddable's stock socket: no IPv6, and an IPv6 destination fails the send. */
function ipv4Only(simulated: UdpFactory): UdpFactory {
  return (options) => {
    const socket = simulated(options);
    return {
      ipv6: false,
      write(bytes, address, port) {
        if (address.includes(":")) throw new Error("UDP send failed");
        socket.write(bytes, address, port);
      },
      read: () => socket.read(),
      close: () => socket.close(),
    };
  };
}

const firmware = await loadFirmwareModule();

async function run(engine: EngineName) {
  const sim = await createSim({
    nodes: [{ id: 1, ipv4: true }, { id: 2, ipv4: true }],
    starterFor: (id) => (id === 1 ? runtimeFor(firmware, engine) : undefined),
    udpFor: (id, simulated) => (id === 1 ? ipv4Only(simulated) : undefined),
  });
  const [c, s] = [sim.console(1), sim.console(2)];
  for (const line of ["coaps psk secret123 id1", "coaps start"]) {
    s.send(line);
    c.send(line);
  }
  return { sim, c, s };
}

for (const engine of ["node", "xs"] as const) {
  test(`on ${engine}: coaps connect to an IPv6 peer answers Error 27: NotCapable and changes nothing`, async (t) => {
    const { sim, c } = await run(engine);
    t.teardown(() => sim.close());
    const before = c.transcript().length;
    c.send("coaps connect fdde:ad00:beef:0:0:0:0:2");
    c.send("coaps isconnactive");
    sim.advance(10_000);
    t.is(c.transcript().slice(before),
      "coaps connect fdde:ad00:beef:0:0:0:0:2\r\nError 27: NotCapable\r\n> " +
      "coaps isconnactive\r\nno\r\nDone\r\n> ");
    if (engine === "xs") t.regex(sim.node(1).report() ?? "", /^node 1 on XS/);
    else t.is(sim.node(1).report(), undefined);
  });

  test(`on ${engine}: the same node still connects to an IPv4 peer afterwards`, async (t) => {
    const { sim, c } = await run(engine);
    t.teardown(() => sim.close());
    c.send("coaps connect ::1");
    c.expect("Error 27: NotCapable\r\n> ", 0);
    c.send("coaps connect 192.0.2.2");
    c.expect("Done\r\n> ", 0);
    c.expect("coaps connected\r\n", 5000);
    c.send("coaps get test");
    c.expect(/coaps response from 192\.0\.2\.2/, 5000);
    t.pass();
  });

  test(`on ${engine}: an IPv4-mapped address is the IPv4 peer, not an IPv6 one`, async (t) => {
    const { sim, c } = await run(engine);
    t.teardown(() => sim.close());
    c.send("coaps connect ::ffff:192.0.2.2");
    c.expect("Done\r\n> ", 0);
    c.expect("coaps connected\r\n", 5000);
    c.send("coaps get test");
    c.expect(/coaps response from 192\.0\.2\.2\r\n/, 5000);
    t.pass();
  });
}
