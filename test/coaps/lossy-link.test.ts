import test from "ava";
import { createSim } from "../../host-sim/harness.js";
import { after, run, S_ADDR } from "./pair.js";

test("over a link losing 25 % of datagrams, CON requests are retransmitted and each answer is printed once", async (t) => {
  const sim = await createSim({ seed: 21, nodes: [1, 2], link: { loss: 0.25, delayMs: 5, jitterMs: 5 } });
  const p = { sim, s: sim.console(1), c: sim.console(2) };
  try {
    run(p.s, "coaps psk key id", "coaps start", "coaps resource r", "coaps set ok");
    run(p.c, "coaps psk key id", "coaps start", `coaps connect ${S_ADDR}`);
    p.c.expect("coaps connected\r\n", 200_000);
    after(p, p.c, 0);
    let answered = 0, timedOut = 0;
    for (let i = 0; i < 20; i++) {
      run(p.c, `coaps put r con ${i}`);
      const line = p.c.expect(/coaps (response from \S+|receive response error 28: ResponseTimeout)\r\n/, 100_000);
      if (line.includes("response from")) answered++; else timedOut++;
    }
    const requests = p.s.transcript().match(/coaps request from \S+ PUT with payload: /g) ?? [];
    t.log(`${answered} answered, ${timedOut} timed out, ${requests.length} request lines, ${sim.network.stats.lost} datagrams lost`);
    t.is(answered, 20, `${timedOut} timed out`);
    // The server's duplicate cache keeps a retransmitted request from printing twice.
    t.is(requests.length, 20);
    // The client prints each answer once: exactly one response line per request over the whole
    // transcript, also after late retransmissions and duplicate ACKs have had time to arrive.
    sim.advance(100_000);
    const responses = p.c.transcript().match(/coaps response from \S+\r\n/g) ?? [];
    t.is(responses.length, 20, "one response line per request on the client");
    t.notRegex(p.c.transcript(), /receive response error/);
  } finally {
    sim.close();
  }
});
