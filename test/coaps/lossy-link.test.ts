import test from "ava";
import { createSim } from "../../host-sim/harness.js";
import { after, run, C_ADDR, S_ADDR } from "./pair.js";

test("over a link losing 25 % of datagrams, CON requests are retransmitted and each answer is printed once", async (t) => {
  const sim = await createSim({ seed: 21, nodes: [1, 2], link: { loss: 0.25, delayMs: 5, jitterMs: 5 } });
  const p = { sim, s: sim.console(1), c: sim.console(2) };
  try {
    run(p.s, "coaps psk key id", "coaps start", "coaps resource r", "coaps set ok");
    run(p.c, "coaps psk key id", "coaps start", `coaps connect ${S_ADDR}`);
    p.c.expect("coaps connected\r\n", 200_000);
    after(p, p.c, 0);
    // From here on every datagram is one CoAP message in the session: C sends only requests
    // (and their retransmissions), S only piggy-backed answers (and cached copies of them).
    const flow = { cToS: 0, sToC: 0 };
    sim.network.addTap((d) => { if (d.source.text === C_ADDR) flow.cToS++; else if (d.source.text === S_ADDR) flow.sToC++; });
    const lostBefore = sim.network.stats.lost, sentBefore = sim.network.stats.sent;
    let answered = 0, timedOut = 0;
    for (let i = 0; i < 20; i++) {
      run(p.c, `coaps put r con ${i}`);
      const line = p.c.expect(/coaps (response from \S+|receive response error 28: ResponseTimeout)\r\n/, 100_000);
      if (line.includes("response from")) answered++; else timedOut++;
    }
    const requests = p.s.transcript().match(/coaps request from \S+ PUT with payload: /g) ?? [];
    const lost = sim.network.stats.lost - lostBefore;
    t.log(`${answered} answered, ${timedOut} timed out, ${requests.length} request lines, ${lost} datagrams lost, C→S ${flow.cToS}, S→C ${flow.sToC}`);
    // The link really lost datagrams of the exchanges, and C made up for them by retransmitting:
    // 20 requests took more than 20 datagrams; S answered duplicates from its cache (more than 20 answers).
    t.true(lost > 0, "datagrams were lost during the requests");
    t.true(flow.cToS > 20, `C sent ${flow.cToS} datagrams for 20 requests: retransmissions`);
    t.true(flow.sToC > 20, `S sent ${flow.sToC} answers for 20 requests: duplicates answered again`);
    t.is(flow.cToS + flow.sToC, sim.network.stats.sent - sentBefore, "no other traffic in the session");
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
