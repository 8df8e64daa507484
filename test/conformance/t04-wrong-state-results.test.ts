import test from "ava";
import { loadTranscript, Replay, specSim } from "./replay.js";
import { assertConsoles } from "./check.js";

test("T4: wrong-state results on a fresh node match byte for byte", async (t) => {
  const sim = await specSim(["S"]);
  try {
    const r = new Replay(sim, ["S"]);
    r.play(loadTranscript("t04.txt"));
    assertConsoles(t, r);
  } finally {
    sim.close();
  }
});
