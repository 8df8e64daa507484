import test from "ava";
import { takeEngineOption } from "../../host-sim/xs/engine-option.js";
import { parseEngineSelection } from "../../host-sim/xs/runtime.js";

test("--engine xs puts every node on XS and no option leaves them on Node", (t) => {
  t.deepEqual(["1", "2", "7"].map(parseEngineSelection("xs")), ["xs", "xs", "xs"]);
  t.deepEqual(["1", "2"].map(parseEngineSelection(undefined)), ["node", "node"]);
});

test("an engine can be chosen per node id, after an optional default", (t) => {
  t.deepEqual(["1", "2", "3"].map(parseEngineSelection("1=xs,2=node")), ["xs", "node", "node"]);
  t.deepEqual(["1", "2", "3"].map(parseEngineSelection("xs,2=node")), ["xs", "node", "xs"]);
});

test("an unknown engine name is refused with the choices", (t) => {
  t.throws(() => parseEngineSelection("1=v8"), { message: /unknown engine "v8" \(use node or xs\)/ });
  t.throws(() => takeEngineOption(["--engine", "quickjs"]), { message: /unknown engine/ });
  t.throws(() => takeEngineOption(["--engine"]), { message: /needs a value/ });
});

test("the --engine option is taken out of the arguments in both spellings", (t) => {
  t.deepEqual(takeEngineOption(["--engine", "xs", "1"]), { engine: "xs", rest: ["1"] });
  t.deepEqual(takeEngineOption(["2", "--engine=1=xs"]), { engine: "1=xs", rest: ["2"] });
  t.deepEqual(takeEngineOption(["--pcap", "x.pcap"]), { engine: undefined, rest: ["--pcap", "x.pcap"] });
});

test("the simulator runs the selected nodes of a firmware module on XS (--engine 1=xs)", async (t) => {
  const { createSim } = await import("../../host-sim/harness.js");
  const { starterForEngines } = await import("../../host-sim/xs/engine-option.js");
  const fixture = new URL("../sim/fixtures/echo-firmware.ts", import.meta.url).pathname;
  const sim = await createSim({ nodes: [1, 2], firmware: "none", starterFor: await starterForEngines("1=xs", fixture) });
  t.teardown(() => sim.close());
  for (const [node, line] of [[2, "udp open 5684"], [1, "udp open 1000"], [1, "udp send fdde:ad00:beef::2 5684 hi"],
    [2, "udp send fdde:ad00:beef:0:0:0:0:1 1000 back"], [1, "after 250 ring"], [1, "now"]] as const) {
    sim.console(node).send(line);
    sim.advance(300);
  }
  t.regex(sim.node(1).report() ?? "", /^node 1 on XS/);
  t.is(sim.node(2).report(), undefined);
  t.is(sim.console(2).transcript(), "> udp open 5684\r\nDone\r\n> udp from fdde:ad00:beef:0:0:0:0:1 1000: hi\r\n" +
    "udp send fdde:ad00:beef:0:0:0:0:1 1000 back\r\nDone\r\n> ");
  t.is(sim.console(1).transcript(), "> udp open 1000\r\nDone\r\n> udp send fdde:ad00:beef::2 5684 hi\r\nDone\r\n> " +
    "udp from fdde:ad00:beef:0:0:0:0:2 5684: back\r\nafter 250 ring\r\nDone\r\n> ring\r\nnow\r\n1500\r\nDone\r\n> ");
});
