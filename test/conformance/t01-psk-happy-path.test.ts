import test from "ava";
import { loadTranscript, Replay, specSim } from "./replay.js";
import { assertConsoles, within } from "./check.js";

test("T1: PSK happy path matches both consoles byte for byte, with the §9 timings", async (t) => {
  const sim = await specSim(["S", "C"]);
  try {
    const r = new Replay(sim, ["S", "C"]);
    r.play(loadTranscript("t01.txt"));
    assertConsoles(t, r);
    const connect = r.timeOf("C", "coaps connect fdde:ad00:beef:0:9903:14b:27e0:5744");
    within(t, "connect → C connected", r.timeOf("C", "coaps connected") - connect, 0, 100);
    within(t, "connect → S connected", r.timeOf("S", "coaps connected") - connect, 0, 100);
    const disconnect = r.timeOf("C", "coaps disconnect");
    within(t, "disconnect → C disconnected", r.timeOf("C", "coaps disconnected") - disconnect, 2000, 2010);
    within(t, "disconnect → S disconnected", r.timeOf("S", "coaps disconnected") - disconnect, 2000, 2010);
  } finally {
    sim.close();
  }
});
