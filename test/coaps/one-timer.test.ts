// The agent keeps ONE platform timer, at the earliest deadline of its DTLS session, its CoAP
// endpoint and its 2 s guard (issue 13 item 1), and still meets every deadline on time.
import test from "ava";
import { createSim } from "../../host-sim/harness.js";
import type { Timers, TimerHandle } from "../../src/platform/clock.js";
import { startCoapsApp } from "../../src/app.js";
import { after, run, S_ADDR } from "./pair.js";

/** Wraps a node's timers and records the most that were ever pending at once. */
function counting(inner: Timers) {
  const live = new Set<TimerHandle>();
  const stats = { max: 0, set: 0 };
  const timers: Timers = {
    set: (cb, ms) => {
      const h = inner.set(() => { live.delete(h); cb(); }, ms);
      live.add(h);
      stats.set++;
      stats.max = Math.max(stats.max, live.size);
      return h;
    },
    clear: (h) => { live.delete(h); inner.clear(h); },
  };
  return { timers, stats, live };
}

test("through a handshake, requests, a silent server and teardowns the agent never has two timers pending", async (t) => {
  const c = counting({ set: () => { throw new Error("unset"); }, clear: () => {} });
  const sim = await createSim({
    seed: 6, nodes: [1, 2],
    starterFor: (id) => (id === 2
      ? { start: (platform) => { const w = counting(platform.timers); Object.assign(c, w); return startCoapsApp({ ...platform, timers: w.timers }); } }
      : undefined),
  });
  const p = { sim, s: sim.console(1), c: sim.console(2) };
  try {
    run(p.s, "coaps psk key id", "coaps start", "coaps resource r");
    run(p.c, "coaps psk key id", "coaps start", "coaps connect fd00::1234");
    t.is(after(p, p.c, 30_000), "", "handshake retransmissions to nobody");
    run(p.c, "coaps disconnect");
    t.is(after(p, p.c, 2000), "coaps disconnected\r\n");
    run(p.c, `coaps connect ${S_ADDR}`);
    t.is(after(p, p.c, 500), "coaps connected\r\n");
    after(p, p.s, 0);
    run(p.c, "coaps get r con", "coaps put r con x", "coaps get r");
    after(p, p.c, 1000);
    sim.network.partition([1], [2]);
    run(p.c, "coaps put r con y", "coaps stop");
    t.is(after(p, p.c, 2000), "coaps receive response error 11: Abort\r\ncoaps disconnected\r\n");
    t.true(c.stats.set > 5, `${c.stats.set} timers set`);
    t.is(c.stats.max, 1);
    t.is(c.live.size, 0, "nothing pending once closed");
  } finally {
    sim.close();
  }
});
