import test from "ava";
import { loadTranscript, Replay, specSim } from "./replay.js";
import { assertConsoles } from "./check.js";

test("T5: argument validation with the transport closed matches byte for byte", async (t) => {
  const sim = await specSim(["S"]);
  try {
    const r = new Replay(sim, ["S"]);
    r.play(loadTranscript("t05.txt"));
    assertConsoles(t, r);
  } finally {
    sim.close();
  }
});
