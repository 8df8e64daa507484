// Observe with `coaps sessions <n>`: each server session keeps its own observers, `coaps set`
// notifies the observers of every session, and one session's end removes only its own.
import test from "ava";
import { createSim } from "../../host-sim/harness.js";
import { type, unreadAfter } from "./helpers/several-sessions.js";

const S = "fdde:ad00:beef:0:0:0:0:1";
const C2 = "fdde:ad00:beef:0:0:0:0:2";
const C3 = "fdde:ad00:beef:0:0:0:0:3";

test("two clients observe a server with coaps sessions 2: each coaps set reaches both, a disconnect removes one", async (t) => {
  const sim = await createSim({ seed: 7, nodes: [1, 2, 3] });
  t.teardown(() => sim.close());
  const s = sim.console(1);
  for (const line of ["coaps sessions 2", "coaps psk k id", "coaps start", "coaps resource r"]) type(s, line);
  for (const id of [2, 3]) {
    const c = sim.console(id);
    for (const line of ["coaps psk k id", "coaps start", `coaps connect ${S}`]) type(c, line);
    c.expect("coaps connected\r\n", 1000);
    type(c, "coaps observe r");
    t.is(unreadAfter(sim, c, 1000), `coaps response from ${S} OBS=0 with payload: 30\r\n`);
  }
  const log = unreadAfter(sim, s, 0);
  t.is(log.split("Subscribing client\r\n").length - 1, 2, log);

  type(s, "coaps set 7", `sending coaps notification to ${C2}\r\nsending coaps notification to ${C3}\r\nDone\r\n`);
  // Each session has its own endpoint, so its own Observe counter.
  t.is(unreadAfter(sim, sim.console(2), 1000), `coaps response from ${S} OBS=1 with payload: 37\r\n`);
  t.is(unreadAfter(sim, sim.console(3), 0), `coaps response from ${S} OBS=1 with payload: 37\r\n`);

  type(sim.console(2), "coaps disconnect");
  t.is(unreadAfter(sim, sim.console(2), 2500), "coaps receive response error 11: Abort\r\ncoaps disconnected\r\n");
  t.is(unreadAfter(sim, s, 0), `Removed subscriber ${C2}\r\ncoaps disconnected\r\n`);
  type(s, "coaps set 8", `sending coaps notification to ${C3}\r\nDone\r\n`);
  t.is(unreadAfter(sim, sim.console(3), 1000), `coaps response from ${S} OBS=2 with payload: 38\r\n`);
});
