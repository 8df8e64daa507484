import test from "ava";
import { loadTranscript, Replay, specSim } from "./replay.js";
import { assertConsoles, within } from "./check.js";

test("T6: a wrong PSK makes both sides print disconnected about 2 s after connect, byte for byte", async (t) => {
  const sim = await specSim(["S", "C"]);
  try {
    const r = new Replay(sim, ["S", "C"]);
    r.play(loadTranscript("t06.txt"));
    assertConsoles(t, r);
    const connect = r.timeOf("C", "coaps connect fdde:ad00:beef:0:9903:14b:27e0:5744");
    within(t, "connect → C disconnected", r.timeOf("C", "coaps disconnected") - connect, 2000, 2200);
    within(t, "connect → S disconnected", r.timeOf("S", "coaps disconnected") - connect, 2000, 2200);
  } finally {
    sim.close();
  }
});
