// Observe when things cross on a link with 20 ms of delay, and with a session in its 2 s
// guard: notifications in flight when the client cancels, `coaps set` while one of the
// server's sessions is tearing down. test/xs/observe-shell-xs.test.ts runs this file with
// the firmware on XS as well.
import test from "ava";
import { createSim, type Sim } from "../../host-sim/harness.js";
import { type, unreadAfter } from "./helpers/several-sessions.js";

const S = "fdde:ad00:beef:0:0:0:0:1";
const C2 = "fdde:ad00:beef:0:0:0:0:2";
const C3 = "fdde:ad00:beef:0:0:0:0:3";
const hex = (s: string): string => Array.from(s, (c) => c.charCodeAt(0).toString(16)).join("");

/** Node 1 serves resource r with `coaps sessions <n>`; each client connects and observes it. */
async function observed(n: number, clients: number[], delayMs: number): Promise<Sim> {
  const sim = await createSim({ seed: 7, nodes: [1, ...clients], link: { delayMs } });
  for (const line of [`coaps sessions ${n}`, "coaps psk k id", "coaps start", "coaps resource r"]) type(sim.console(1), line);
  for (const id of clients) {
    const c = sim.console(id);
    for (const line of ["coaps psk k id", "coaps start", `coaps connect ${S}`]) type(c, line);
    c.expect("coaps connected\r\n", 3000);
    type(c, "coaps observe r");
    c.expect(`coaps response from ${S} OBS=0 with payload: 30\r\n`, 1000);
  }
  unreadAfter(sim, sim.console(1), 0);
  return sim;
}

for (const n of [1, 2]) {
  test(`coaps sessions ${n}: notifications still in flight when C cancels are not printed; the cancel's own answer is, with the content S had then`, async (t) => {
    const sim = await observed(n, [2], 20);
    t.teardown(() => sim.close());
    const s = sim.console(1), c = sim.console(2);
    type(s, "coaps set 4", `sending coaps notification to ${C2}\r\nDone\r\n`);
    sim.advance(5);
    type(c, "coaps cancel"); // OBS=4 is 15 ms away from C
    sim.advance(10);
    type(s, "coaps set 5", `sending coaps notification to ${C2}\r\nDone\r\n`); // reaches C after the cancel too
    t.is(unreadAfter(sim, c, 1000), `coaps response from ${S} with payload: ${hex("5")}\r\n`);
    t.is(unreadAfter(sim, s, 0), `coaps request from ${C2} GET OBS=1\r\nRemoved subscriber ${C2}\r\ncoaps response sent\r\n`);
    type(s, "coaps set 6");
    t.is(unreadAfter(sim, c, 5000), "");
  });
}

test("coaps sessions 2: coaps set while one session is in its guard notifies only the other; the guarded one's observer goes at the guard's end", async (t) => {
  const sim = await observed(2, [2, 3], 0);
  t.teardown(() => sim.close());
  const s = sim.console(1);
  type(sim.console(2), "coaps disconnect");
  sim.advance(300);
  type(s, "coaps set 7", `sending coaps notification to ${C3}\r\nDone\r\n`);
  t.is(unreadAfter(sim, sim.console(3), 1000), `coaps response from ${S} OBS=1 with payload: 37\r\n`);
  t.is(unreadAfter(sim, sim.console(2), 2000), "coaps receive response error 11: Abort\r\ncoaps disconnected\r\n");
  t.is(unreadAfter(sim, s, 0), `Removed subscriber ${C2}\r\ncoaps disconnected\r\n`);
});

