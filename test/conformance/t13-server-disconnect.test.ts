import test from "ava";
import { loadTranscript } from "./replay.js";
import { assertConsoles, connectedAsInT1, within } from "./check.js";

test("T13: a server-side disconnect reaches both consoles after the 2 s guard, byte for byte", async (t) => {
  const r = await connectedAsInT1();
  try {
    r.play(loadTranscript("t13.txt"));
    assertConsoles(t, r);
    const disconnect = r.timeOf("S", "coaps disconnect");
    within(t, "disconnect → S disconnected", r.timeOf("S", "coaps disconnected") - disconnect, 2000, 2010);
    within(t, "disconnect → C disconnected", r.timeOf("C", "coaps disconnected") - disconnect, 2000, 2010);
  } finally {
    r.sim.close();
  }
});
