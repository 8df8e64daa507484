// The lane firmware in the simulator proper (SimNetwork, console wire, virtual clock) with
// the N-API DTLS engine: a real PSK handshake, data and close, with each node on XS or Node.
import test from "ava";
import { createSim, type Sim } from "../../host-sim/harness.js";
import { type EngineName, runtimeFor } from "../../host-sim/xs/runtime.js";
import { laneFirmware } from "./helpers/lane-run.js";

async function secureRun(server: EngineName, client: EngineName): Promise<{ sim: Sim; s: string; c: string }> {
  const sim = await createSim({ nodes: [1, 2], firmware: "none" });
  try {
    sim.node(1).start(runtimeFor(laneFirmware, server));
    sim.node(2).start(runtimeFor(laneFirmware, client));
    sim.runDue();
    const [s, c] = [sim.console(1), sim.console(2)];
    s.send("bind 5684");
    c.send("bind 0");
    s.send("secure listen");
    c.send(`secure connect ${sim.node(1).address} 5684`);
    sim.advance(2000);
    c.send("secure send hello over dtls");
    sim.advance(100);
    c.send("secure close");
    sim.advance(3000);
    return { sim, s: s.transcript(), c: c.transcript() };
  } catch (error) {
    sim.close();
    throw error;
  }
}

const reference = await secureRun("node", "node");
reference.sim.close();

test("a DTLS session between two nodes on Node completes (the reference run)", (t) => {
  t.regex(reference.s, /secure accepted \[fdde:ad00:beef:0:0:0:0:2\]:\d+\r\nsecure connected suite=c0a8 at 0\r\n/);
  t.regex(reference.s, /secure rx "hello over dtls" at 2000\r\nsecure closed peer-closed PeerClosed at 2100\r\n/);
  t.regex(reference.c, /secure rx "echo:hello over dtls" at 2000\r\nsecure closed local None at 2100\r\n/);
});

test("both nodes on XS give the Node transcripts byte for byte, with the N-API DTLS engine", async (t) => {
  const run = await secureRun("xs", "xs");
  t.teardown(() => run.sim.close());
  t.is(run.s, reference.s);
  t.is(run.c, reference.c);
  for (const id of [1, 2]) t.regex(run.sim.node(id).report() ?? "", new RegExp(`^node ${id} on XS`));
});

test("an XS server and a Node client (and the reverse) complete the same session", async (t) => {
  const a = await secureRun("xs", "node");
  t.teardown(() => a.sim.close());
  const b = await secureRun("node", "xs");
  t.teardown(() => b.sim.close());
  t.deepEqual([a.s, a.c], [reference.s, reference.c]);
  t.deepEqual([b.s, b.c], [reference.s, reference.c]);
  t.is(a.sim.node(2).report(), undefined, "a node on Node has no XS report");
});
