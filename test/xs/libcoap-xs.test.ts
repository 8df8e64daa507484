// A node on XS against real libcoap peers over loopback DTLS (PSK, real sockets, real time):
// the simulator's real-socket mode, with only the engine changed. Peers are stopped by PID.
import test from "ava";
import { createSim } from "../../host-sim/harness.js";
import { openRealUdp, type RealUdp } from "../../host-sim/real-udp.js";
import { starterForEngines } from "../../host-sim/xs/engine-option.js";
import { workerAlive } from "../../host-sim/xs/xsnap-driver.js";
import { command, connectToCoapsServer, finished, freeUdpPort, startCoapsServer, startPeer } from "../interop/peers.js";

async function xsRealNode() {
  const port = await freeUdpPort();
  let udp: RealUdp | undefined;
  const sim = await createSim({ seed: 11, realTime: true, udpFor: () => udp!.udp, firmware: "none", starterFor: await starterForEngines("xs") });
  udp = await openRealUdp({ reserve: [5684], portMap: (p) => (p === 5684 ? port : p), inject: (fn) => sim.realTime!.inject(fn) });
  const node = sim.addNode(1);
  return { node, console: node.console, port, close: () => { sim.close(); udp!.close(); } };
}

test.serial("coap-client-openssl GETs the resource of a node running on XS", async (t) => {
  const x = await xsRealNode();
  const pid = x.node.report()?.match(/pid (\d+)/)?.[1];
  let peer: ReturnType<typeof startPeer> | undefined;
  try {
    for (const line of ["coaps psk secretPSK Client_identity", "coaps start", "coaps resource test", "coaps set hello-from-xs"]) await command(x.console, line);
    peer = startPeer("coap-client-openssl", ["-m", "get", "-k", "secretPSK", "-u", "Client_identity", "-B", "10", `coaps://[::1]:${x.port}/test`]);
    const out = await finished(peer, 15_000);
    t.regex(out, /hello-from-xs/, out); // coap-client exits 0 even on failure: read its output
    await x.console.waitFor("coaps request from 0:0:0:0:0:0:0:1 GET\r\ncoaps response sent\r\n", 2000);
    t.regex(x.node.report() ?? "", /^node 1 on XS/);
  } finally {
    peer?.stop();
    x.close();
  }
  t.false(workerAlive(Number(pid)), "the XS worker is gone after close");
});

test.serial("a node on XS connects to coap-server-openssl and GETs its .well-known/core", async (t) => {
  const server = await startCoapsServer();
  const x = await xsRealNode();
  try {
    await connectToCoapsServer(x.console, server.port);
    await command(x.console, "coaps get .well-known/core con");
    const core = await x.console.waitFor(/coaps response from 0:0:0:0:0:0:0:1 with payload: ([0-9a-f]+)\r\n/, 5000);
    t.true(Buffer.from(/payload: ([0-9a-f]+)/.exec(core)![1]!, "hex").toString("latin1").includes("</time>"), core);
    await command(x.console, "coaps disconnect");
    await x.console.waitFor("coaps disconnected\r\n", 3000);
  } finally {
    server.stop();
    x.close();
  }
});
