// `coaps sessions 8` on a node running on XS, against eight coap-client-openssl processes at
// once over real loopback DTLS (the simulator's real-socket mode, only the engine changed).
import test from "ava";
import { createSim } from "../../host-sim/harness.js";
import { openRealUdp, type RealUdp } from "../../host-sim/real-udp.js";
import { starterForEngines } from "../../host-sim/xs/engine-option.js";
import { freeUdpPort } from "../interop/peers.js";
import { CLIENTS, count, heldAtOnce, libcoapCrowd } from "../interop/libcoap-crowd.js";

test.serial("eight libcoap clients at once each get the resource from a node on XS with coaps sessions 8", async (t) => {
  const port = await freeUdpPort();
  let udp: RealUdp | undefined;
  const sim = await createSim({ seed: 11, realTime: true, udpFor: () => udp!.udp, firmware: "none", starterFor: await starterForEngines("xs") });
  udp = await openRealUdp({ reserve: [5684], portMap: (p) => (p === 5684 ? port : p), inject: (fn) => sim.realTime!.inject(fn) });
  const node = sim.addNode(1);
  try {
    const outputs = await libcoapCrowd(node.console, port);
    const text = node.console.transcript();
    for (const out of outputs) t.regex(out, /hello/, `client: ${out}\nnode: ${text}`);
    t.is(count(text, "coaps request from 0:0:0:0:0:0:0:1 GET\r\n"), CLIENTS, text);
    t.true(heldAtOnce(text), `all ${CLIENTS} sessions were held at once:\n${text}`);
    t.regex(node.report() ?? "", /^node 1 on XS/);
  } finally {
    sim.close();
    udp.close();
  }
});
