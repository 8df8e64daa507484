import test from "ava";
import { loadTranscript, parseLines, Replay, specSim } from "./replay.js";
import { assertConsoles, within } from "./check.js";

const PREAMBLE = parseLines([
  "S|> coaps psk key id", "S|Done", "S|> coaps start", "S|Done", "S|> coaps resource r", "S|Done",
  "C|> coaps psk key id", "C|Done", "C|> coaps start", "C|Done",
  "N3|> coaps psk key id", "N3|Done", "N3|> coaps start", "N3|Done",
  "C|> coaps connect fdde:ad00:beef:0:9903:14b:27e0:5744", "C|Done", "S|> coaps connected", "C|> coaps connected",
].join("\n"));

test("T14: a busy server silently ignores a third node, which stops after its 2 s guard, byte for byte", async (t) => {
  const sim = await specSim(["S", "C", "N3"]);
  try {
    const r = new Replay(sim, ["S", "C", "N3"]);
    r.play(PREAMBLE);
    r.finish(0);
    r.mark();
    r.play(loadTranscript("t14.txt"));
    assertConsoles(t, r);
    const stop = r.timeOf("N3", "coaps stop");
    within(t, "stop → N3 disconnected", r.timeOf("N3", "coaps disconnected") - stop, 2000, 2010);
  } finally {
    sim.close();
  }
});
