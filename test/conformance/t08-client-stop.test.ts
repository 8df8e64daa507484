import test from "ava";
import { loadTranscript } from "./replay.js";
import { assertConsoles, connectedAsInT1, within } from "./check.js";

test("T8: client stop while connected closes after the 2 s guard, byte for byte", async (t) => {
  const r = await connectedAsInT1();
  try {
    r.play(loadTranscript("t08.txt"));
    assertConsoles(t, r);
    const stop = r.timeOf("C", "coaps stop");
    within(t, "stop → C disconnected", r.timeOf("C", "coaps disconnected") - stop, 2000, 2010);
    within(t, "stop → S disconnected", r.timeOf("S", "coaps disconnected") - stop, 2000, 2010);
  } finally {
    r.sim.close();
  }
});
