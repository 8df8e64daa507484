import test from "ava";
import { loadTranscript, Replay, specSim } from "./replay.js";
import { assertConsoles } from "./check.js";

test("T9: the server closes itself once its connection-attempt limit is used up, byte for byte", async (t) => {
  const sim = await specSim(["S", "C"]);
  try {
    const r = new Replay(sim, ["S", "C"]);
    r.play(loadTranscript("t06.txt")); // T9 continues from the end of T6
    r.finish(0);
    r.mark();
    r.play(loadTranscript("t09.txt"));
    assertConsoles(t, r);
  } finally {
    sim.close();
  }
});
