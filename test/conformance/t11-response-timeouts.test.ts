import test from "ava";
import { loadTranscript, ID } from "./replay.js";
import { assertConsoles, connectedAsInT1, within } from "./check.js";

test("T11: with the server cut off, the CON PUT times out at 31·T0 and the NON GET at 93 s, byte for byte", async (t) => {
  const r = await connectedAsInT1();
  try {
    r.sim.network.partition([ID.S], [ID.C]);
    r.play(loadTranscript("t11.txt"));
    assertConsoles(t, r);
    const get = r.timeOf("C", "coaps get test-resource");
    const put = r.timeOf("C", "coaps put test-resource con x");
    const error = "coaps receive response error 28: ResponseTimeout";
    within(t, "CON PUT → error 28", r.timeOf("C", error, 1) - put, 62_000, 93_000);
    t.is(r.timeOf("C", error, 2) - get, 93_000);
  } finally {
    r.sim.close();
  }
});
