import test from "ava";
import { loadTranscript, Replay, specSim } from "./replay.js";
import { assertConsoles } from "./check.js";

test("T3: help and command-word errors match byte for byte", async (t) => {
  const sim = await specSim(["S"]);
  try {
    const r = new Replay(sim, ["S"]);
    r.play(loadTranscript("t03.txt"));
    assertConsoles(t, r);
  } finally {
    sim.close();
  }
});
