import test from "ava";
import { loadTranscript, Replay, specSim } from "./replay.js";
import { assertConsoles, within } from "./check.js";

test("T10: a peer that never answers gives coaps disconnected 118 s after connect, byte for byte", async (t) => {
  const sim = await specSim(["C"]);
  try {
    const r = new Replay(sim, ["C"]);
    r.play(loadTranscript("t10.txt"));
    assertConsoles(t, r);
    const connect = r.timeOf("C", "coaps connect fd00::1234");
    within(t, "connect → disconnected", r.timeOf("C", "coaps disconnected") - connect, 117_990, 118_010);
  } finally {
    sim.close();
  }
});
