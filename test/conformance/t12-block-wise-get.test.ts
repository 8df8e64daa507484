import test from "ava";
import { loadTranscript } from "./replay.js";
import { assertConsoles, connectedAsInT1 } from "./check.js";

test("T12: block-wise GET prints the node-wide block counter and matching random blocks on both consoles", async (t) => {
  const r = await connectedAsInT1();
  try {
    r.play(loadTranscript("t12.txt"));
    assertConsoles(t, r);
  } finally {
    r.sim.close();
  }
});
