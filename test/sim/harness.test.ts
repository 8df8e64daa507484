import test from "ava";
import { createSim, consoleMatches, runTranscript, specConsoles } from "../../host-sim/harness.js";
import { loadFirmware } from "../../host-sim/firmware.js";
import { startCoapsApp as echoFirmware } from "./fixtures/echo-firmware.js";

test("each node starts with a pending prompt and echoes a typed line with CR LF", async (t) => {
  const sim = await createSim({ nodes: [1], firmware: echoFirmware });
  const c = sim.console(1);
  t.is(c.transcript(), "> ");
  c.send("now");
  t.is(c.transcript(), "> now\r\n0\r\nDone\r\n> ");
  c.type("nox\x7fw\r");
  t.is(c.transcript(), "> now\r\n0\r\nDone\r\n> nox\b \bw\r\n0\r\nDone\r\n> ");
  sim.close();
});

test("expect waits on virtual time and reports the console tail when text never comes", async (t) => {
  const sim = await createSim({ nodes: [1], firmware: echoFirmware });
  const c = sim.console(1);
  c.send("after 93000 timeout!");
  t.is(c.expect("Done\r\n> "), "Done\r\n> ");
  t.throws(() => c.expect("timeout!", 92_999), { message: /expected timeout! within 92999 ms/ });
  t.is(c.expect(/time\w+!\r\n/, 10), "timeout!\r\n");
  t.is(sim.clock.now(), 93_000);
  sim.close();
});

test("two nodes exchange datagrams by their simulated addresses", async (t) => {
  const sim = await createSim({ nodes: [1, 2], firmware: echoFirmware, link: { delayMs: 7 } });
  const consoles = runTranscript(sim, [
    { node: 2, send: "udp open 5684" },
    { node: 1, send: "udp open 1000" },
    { node: 1, send: "udp send fdde:ad00:beef::2 5684 hello there" },
    { wait: 7 },
    { node: 2, send: "udp send fdde:ad00:beef:0:0:0:0:1 1000 back" },
    { wait: 10 },
  ]);
  t.is(consoles.get(2), "> udp open 5684\r\nDone\r\n> udp from fdde:ad00:beef:0:0:0:0:1 1000: hello there\r\nudp send fdde:ad00:beef:0:0:0:0:1 1000 back\r\nDone\r\n> ");
  t.true(consoleMatches(consoles.get(1)!, specConsoles([
    "N1|> udp open 1000", "N1|Done", "N1|> udp send fdde:ad00:beef::2 5684 hello there", "N1|Done",
    "# node 2 answers", "N1|> udp from fdde:ad00:beef:0:0:0:0:2 5684: back",
  ].join("\n"), { N1: 1 }).get(1)!));
  sim.close();
});

test("node random sources are reproducible from the seed and differ between nodes", async (t) => {
  const draw = async (seed: number) => {
    const sim = await createSim({ seed, nodes: [1, 2], firmware: echoFirmware });
    sim.console(1).send("rand");
    sim.console(2).send("rand");
    const out = [...sim.transcripts().values()].map((s) => /\r\n([0-9a-f]{8})\r\n/.exec(s)![1]);
    sim.close();
    return out;
  };
  const a = await draw(5);
  t.deepEqual(await draw(5), a);
  t.not(a[0], a[1]);
  t.notDeepEqual(await draw(6), a);
});

test("stopping a node cancels the timers its firmware left behind", async (t) => {
  const sim = await createSim({ nodes: [1], firmware: echoFirmware });
  sim.console(1).send("after 5000 ring");
  sim.node(1).stop();
  sim.advance(10_000);
  t.is(sim.console(1).transcript(), "> after 5000 ring\r\nDone\r\n> ");
  t.is(sim.clock.pending(), 0);
});

test("specConsoles joins each label's lines with CR LF and rejects unknown labels", (t) => {
  const m = specConsoles("```\nS|> coaps start\nS|Done\n# later\nC|> coaps connected\n```", { S: 1, C: 2 });
  t.is(m.get(1), "> coaps start\r\nDone\r\n");
  t.is(m.get(2), "> coaps connected\r\n");
  t.throws(() => specConsoles("X|hi", { S: 1 }));
  t.true(consoleMatches("a\r\n> ", "a\r\n"));
  t.false(consoleMatches("a\r\nb", "a\r\n"));
});

test("a firmware module that does not exist gives one clear error", async (t) => {
  await t.throwsAsync(loadFirmware("test/sim/fixtures/no-such-firmware.ts"), { message: /cannot load firmware test\/sim\/fixtures\/no-such-firmware.ts/ });
});

test("on Node, a node's encoded CoAP messages are cut from shared slabs (Platform.allocBytes)", async (t) => {
  // V8 allocates each ArrayBuffer off-heap, 1–2 µs apiece on some machines: the simulator gives
  // every node the slab allocator, and the agent works on it.
  const sim = await createSim({ seed: 1, nodes: [1, 2] });
  const allocate = sim.node(1).platform.allocBytes;
  t.truthy(allocate);
  t.true(allocate!(100).buffer.byteLength > 100);
  const [s, c] = [sim.console(1), sim.console(2)];
  for (const line of ["coaps psk k id", "coaps start", "coaps resource r", "coaps set hi"]) { s.send(line); s.expect("Done\r\n", 10); }
  for (const line of ["coaps psk k id", "coaps start", `coaps connect ${sim.node(1).address}`]) { c.send(line); c.expect("Done\r\n", 10); }
  c.expect("coaps connected\r\n", 5000);
  c.send("coaps put r con " + "x".repeat(200));
  t.is(c.expect("coaps response from", 5000), "coaps response from");
  sim.close();
});
