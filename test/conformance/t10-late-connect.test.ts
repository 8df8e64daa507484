// T10 with the connect made long after the node started: §9's 118 s and §8.2's flights at
// 0, 8, 24 and 56 s count from the connect, whatever the clock read when it was made (the
// DTLS engine is created at the caller's `now`, not at time 0).
import test from "ava";
import { clientHellosIn } from "../helpers/dtls-records.js";
import { loadTranscript, Replay, specSim } from "./replay.js";
import { assertConsoles, within } from "./check.js";

for (const startMs of [20_000, 1_000_000]) {
  test(`T10 with the connect made at t = ${startMs / 1000} s: one ClientHello per flight at 0/8/24/56 s, coaps disconnected 118 s after connect`, async (t) => {
    const sim = await specSim(["C"]);
    try {
      const hellos: Array<{ at: number; cookieLength: number }> = [];
      sim.network.addTap((d) => {
        for (const h of clientHellosIn(d.bytes)) hellos.push({ at: d.sentAt, cookieLength: h.cookieLength });
      });
      sim.advance(startMs);
      const r = new Replay(sim, ["C"]);
      r.play(loadTranscript("t10.txt"));
      assertConsoles(t, r);
      const connect = r.timeOf("C", "coaps connect fd00::1234");
      t.true(connect >= startMs);
      within(t, "connect → disconnected", r.timeOf("C", "coaps disconnected") - connect, 117_990, 118_010);
      t.deepEqual(hellos.map((h) => Math.round((h.at - connect) / 100) / 10), [0, 8, 24, 56], "ClientHello send times (s after connect)");
      t.true(hellos.every((h) => h.cookieLength === 0));
    } finally {
      sim.close();
    }
  });
}
