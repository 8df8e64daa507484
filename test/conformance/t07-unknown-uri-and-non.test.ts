import test from "ava";
import { ADDRESS, loadTranscript } from "./replay.js";
import { assertConsoles, connectedAsInT1 } from "./check.js";

test("T7: unknown URI, GET with payload and NON DELETE match byte for byte", async (t) => {
  const r = await connectedAsInT1();
  try {
    const sent: string[] = [];
    r.sim.network.addTap((d) => sent.push(d.source.text === ADDRESS.C ? "C" : "S"));
    let before = -1;
    r.play(loadTranscript("t07.txt"), (line) => { if (line.text.startsWith("coaps delete")) before = sent.length; });
    assertConsoles(t, r);
    // After the NON DELETE: C sends it, S answers with a NON 4.04, C rejects that with a Reset.
    t.deepEqual(sent.slice(before), ["C", "S", "C"]);
  } finally {
    r.sim.close();
  }
});
