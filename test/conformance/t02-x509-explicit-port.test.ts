import test from "ava";
import { loadTranscript, Replay, specSim } from "./replay.js";
import { assertConsoles } from "./check.js";

test("T2: x509 with the peer check off, explicit port and uncompressed addresses match byte for byte", async (t) => {
  // S answers at its routing locator too; C's locator is the source toward it (spec T2 intro).
  const sim = await specSim(["S", "C"], {
    S: { extraAddresses: ["fdde:ad00:beef:0:0:ff:fe00:fc00"] },
    C: { extraAddresses: ["fdde:ad00:beef:0:0:ff:fe00:fc01"] },
  });
  try {
    const r = new Replay(sim, ["S", "C"]);
    r.play(loadTranscript("t02.txt"));
    assertConsoles(t, r);
  } finally {
    sim.close();
  }
});
