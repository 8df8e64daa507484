import test from "ava";
import { createSim } from "../../host-sim/harness.js";
import { loadDtlsBinding } from "../../host-sim/dtls-loader.js";
import type { DtlsBinding } from "../../src/platform/dtls-binding.js";
import { after, pair, run, S_ADDR } from "./pair.js";

test("a started node without credentials leaves ClientHellos unanswered: the client gives up after 118 s", async (t) => {
  const p = await pair();
  try {
    run(p.s, "coaps start");
    run(p.c, "coaps psk key id", "coaps start", `coaps connect ${S_ADDR}`);
    t.is(after(p, p.c, 117_990), "");
    t.is(after(p, p.c, 20), "coaps disconnected\r\n");
    t.is(after(p, p.s, 0), "");
    // Credentials given later are used for the next ClientHello.
    run(p.s, "coaps psk key id");
    run(p.c, `coaps connect ${S_ADDR}`);
    t.is(after(p, p.c, 500), "coaps connected\r\n");
  } finally {
    p.sim.close();
  }
});

test("when the DTLS binding refuses to create a client session, connect answers Error 1: Failed and nothing is stuck", async (t) => {
  // The listener `coaps start` makes is real; only the client engine is refused.
  const real = await loadDtlsBinding();
  const refusing: DtlsBinding = {
    createEngine: (now, o) => { if (o.role === "client") throw new Error("InvalidInput"); return real.createEngine(now, o); },
  };
  const sim = await createSim({ seed: 2, nodes: [1], dtls: refusing });
  const c = sim.console(1);
  try {
    c.send("coaps psk key id");
    c.send("coaps start");
    c.send(`coaps connect ${S_ADDR}`);
    c.send("coaps isconnactive");
    t.true(c.transcript().endsWith(`coaps connect ${S_ADDR}\r\nError 1: Failed\r\n> coaps isconnactive\r\nno\r\nDone\r\n> `));
  } finally {
    sim.close();
  }
});
