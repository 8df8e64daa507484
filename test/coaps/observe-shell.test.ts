// Observe (RFC 7641) and /.well-known/core (RFC 6690) on the `coaps` shell, two simulated nodes
// on virtual time: C observes S's resource, `coaps set` on S notifies it, the lines are those of
// OpenThread's plain `coap` CLI with `coaps` (docs/coaps-shell.md "Observe and /.well-known/core").
import test from "ava";
import type { ScriptedConsole } from "../../host-sim/console.js";
import { createSim } from "../../host-sim/harness.js";
import { startCoapsApp } from "../../src/app.js";
import { rawPeer } from "./raw-peer.js";
import { after, connectedPair, C_ADDR, pair, run, S_ADDR, type Pair } from "./pair.js";

const hexOf = (s: string): string => Array.from(s, (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");

/** Types `line` and returns what the node printed for it (without the echo), up to its prompt. */
function typed(p: Pair, con: ScriptedConsole, line: string): string {
  after(p, con, 0);
  con.send(line);
  const out = con.expect(/^[\s\S]*?(Done|Error \d+: \w+)\r\n> /, 0);
  return out.startsWith(`${line}\r\n`) ? out.slice(line.length + 2) : out;
}

const response = (obs: number | undefined, payload: string): string =>
  `coaps response from ${S_ADDR}${obs === undefined ? "" : ` OBS=${obs}`}${payload === "" ? "" : ` with payload: ${hexOf(payload)}`}\r\n`;

/** S (node 1) started with `notificationConfirmableEvery`, C connected and observing S's `r`, both consoles read. */
async function observingPair(notificationConfirmableEvery: number): Promise<Pair> {
  const sim = await createSim({
    seed: 3, nodes: [1, 2],
    starterFor: (id) => (id === 1 ? { start: (platform) => startCoapsApp(platform, { notificationConfirmableEvery }) } : undefined),
  });
  const p: Pair = { sim, s: sim.console(1), c: sim.console(2) };
  run(p.s, "coaps psk key id", "coaps start", "coaps resource r");
  run(p.c, "coaps psk key id", "coaps start", `coaps connect ${S_ADDR}`);
  p.c.expect("coaps connected\r\n", 1000);
  run(p.c, "coaps observe r");
  after(p, p.c, 1000);
  after(p, p.s, 0);
  return p;
}

test("C observes S's resource: a registration line on each side, then one response line per coaps set", async (t) => {
  const p = await connectedPair();
  try {
    t.is(typed(p, p.c, "coaps observe r"), "Done\r\n> ");
    t.is(after(p, p.c, 1000), response(0, "0"));
    t.is(after(p, p.s, 0), `coaps request from ${C_ADDR} GET OBS=0\r\nSubscribing client\r\ncoaps response sent\r\n`);
    t.is(typed(p, p.s, "coaps set hello"), `sending coaps notification to ${C_ADDR}\r\nDone\r\n> `);
    t.is(after(p, p.c, 1000), response(1, "hello"));
    t.is(typed(p, p.s, "coaps set again"), `sending coaps notification to ${C_ADDR}\r\nDone\r\n> `);
    t.is(after(p, p.c, 1000), response(2, "again"));
    t.is(typed(p, p.s, "coaps set"), "again\r\nDone\r\n> ", "showing the content notifies nobody");
    t.is(after(p, p.c, 1000), "");
  } finally {
    p.sim.close();
  }
});

test("coaps cancel sends Observe=1: S removes the subscriber, C prints the answer and no more notifications", async (t) => {
  const p = await connectedPair();
  try {
    run(p.c, "coaps observe r con");
    after(p, p.c, 1000);
    after(p, p.s, 0);
    t.is(typed(p, p.c, "coaps cancel"), "Done\r\n> ");
    t.is(after(p, p.c, 1000), response(undefined, "0"));
    t.is(after(p, p.s, 0), `coaps request from ${C_ADDR} GET OBS=1\r\nRemoved subscriber ${C_ADDR}\r\ncoaps response sent\r\n`);
    t.is(typed(p, p.s, "coaps set 1"), "Done\r\n> ");
    t.is(after(p, p.c, 5000), "");
    t.is(typed(p, p.c, "coaps cancel"), "Error 13: InvalidState\r\n> ", "nothing left to cancel");
  } finally {
    p.sim.close();
  }
});

test("notifications are NON except every 5th, which S sees acknowledged", async (t) => {
  const p = await connectedPair();
  try {
    run(p.c, "coaps observe r");
    after(p, p.c, 1000);
    after(p, p.s, 0);
    const acks: number[] = [];
    for (let i = 1; i <= 10; i++) {
      typed(p, p.s, `coaps set ${i}`);
      t.is(after(p, p.c, 1000), response(i, String(i)));
      if (after(p, p.s, 0) === `Received coaps notification ACK from ${C_ADDR}\r\n`) acks.push(i);
    }
    t.deepEqual(acks, [5, 10]);
  } finally {
    p.sim.close();
  }
});

test("the CON count is an app option: with notificationConfirmableEvery 1 every notification is acknowledged", async (t) => {
  const p = await observingPair(1);
  try {
    for (let i = 1; i <= 3; i++) {
      typed(p, p.s, `coaps set ${i}`);
      t.is(after(p, p.c, 1000), response(i, String(i)));
      t.is(after(p, p.s, 0), `Received coaps notification ACK from ${C_ADDR}\r\n`);
    }
  } finally {
    p.sim.close();
  }
});

test("the session's end deregisters: S prints Removed subscriber, C's observation ends with Abort", async (t) => {
  const p = await connectedPair();
  try {
    run(p.c, "coaps observe r");
    after(p, p.c, 1000);
    after(p, p.s, 0);
    run(p.c, "coaps disconnect");
    p.sim.advance(500);
    t.is(typed(p, p.s, "coaps set 0"), "Done\r\n> ", "in the teardown guard nothing is sent, so no notification line");
    t.is(after(p, p.c, 2000), "coaps receive response error 11: Abort\r\ncoaps disconnected\r\n");
    t.is(after(p, p.s, 0), `Removed subscriber ${C_ADDR}\r\ncoaps disconnected\r\n`);
    t.is(typed(p, p.s, "coaps set 1"), "Done\r\n> ", "no observer is left to notify");
    t.is(typed(p, p.c, "coaps cancel"), "Error 13: InvalidState\r\n> ");
  } finally {
    p.sim.close();
  }
});

test("a second coaps observe drops the first silently; its next notification gets a Reset, which removes it on S", async (t) => {
  const p = await connectedPair();
  try {
    run(p.c, "coaps observe r");
    after(p, p.c, 1000);
    run(p.c, "coaps observe r");
    t.is(after(p, p.c, 1000), response(1, "0"));
    t.is(after(p, p.s, 0), `coaps request from ${C_ADDR} GET OBS=0\r\nSubscribing client\r\ncoaps response sent\r\n`.repeat(2));
    t.is(typed(p, p.s, "coaps set x"), `sending coaps notification to ${C_ADDR}\r\n`.repeat(2) + "Done\r\n> ");
    t.is(after(p, p.c, 1000), response(2, "x"), "one line: the dropped observation is not printed");
    t.is(after(p, p.s, 0), `Removed subscriber ${C_ADDR}\r\n`);
    t.is(typed(p, p.s, "coaps set y"), `sending coaps notification to ${C_ADDR}\r\nDone\r\n> `);
  } finally {
    p.sim.close();
  }
});

test("renaming the resource ends the observation with a 4.04 notification", async (t) => {
  const p = await connectedPair();
  try {
    run(p.c, "coaps observe r");
    after(p, p.c, 1000);
    after(p, p.s, 0);
    run(p.s, "coaps resource other");
    t.is(after(p, p.c, 1000), response(undefined, ""));
    t.is(after(p, p.s, 0), `Received coaps notification ACK from ${C_ADDR}\r\nRemoved subscriber ${C_ADDR}\r\n`);
    t.is(typed(p, p.c, "coaps cancel"), "Error 13: InvalidState\r\n> ");
  } finally {
    p.sim.close();
  }
});

test("coaps observe and cancel refuse what the request commands refuse", async (t) => {
  const p = await pair();
  try {
    run(p.c, "coaps psk key id", "coaps start");
    t.is(typed(p, p.c, "coaps observe r"), "Error 13: InvalidState\r\n> ", "not connected");
    t.is(typed(p, p.c, "coaps cancel"), "Error 13: InvalidState\r\n> ");
    t.is(typed(p, p.c, "coaps observe"), "Error 7: InvalidArgs\r\n> ");
    t.is(typed(p, p.c, `coaps observe ${"u".repeat(32)}`), "Error 7: InvalidArgs\r\n> ");
    t.is(typed(p, p.c, "coaps observe r block-16"), "Error 7: InvalidArgs\r\n> ");
    t.is(typed(p, p.c, "coaps observe r con x"), "Error 7: InvalidArgs\r\n> ");
    t.is(typed(p, p.c, "coaps cancel r x"), "Error 7: InvalidArgs\r\n> ");
  } finally {
    p.sim.close();
  }
});

test("coaps cancel with a URI must name the observed one", async (t) => {
  const p = await connectedPair();
  try {
    run(p.c, "coaps observe r");
    after(p, p.c, 1000);
    t.is(typed(p, p.c, "coaps cancel q"), "Error 7: InvalidArgs\r\n> ");
    t.is(typed(p, p.c, "coaps cancel r"), "Done\r\n> ");
    t.is(after(p, p.c, 1000), response(undefined, "0"));
  } finally {
    p.sim.close();
  }
});

test("GET /.well-known/core lists the resource as observable and prints nothing on S; other unknown paths stay 4.04", async (t) => {
  const p = await connectedPair();
  try {
    run(p.c, "coaps get .well-known/core con");
    t.is(after(p, p.c, 1000), response(undefined, "</r>;obs"));
    run(p.c, "coaps get .well-known/other con");
    t.is(after(p, p.c, 1000), response(undefined, ""));
    t.is(after(p, p.s, 0), "");
  } finally {
    p.sim.close();
  }
});

// On the wire, with a raw CoAP peer in the DTLS session (node 2, C_ADDR): GET r with token aa and Observe=0.
const REGISTER = "41010040" + "aa" + "60" + "5172";

const hexText = (text: string): string => Array.from(text, (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
/** CON GET /.well-known/core (MID 0x0040+n, token aa) with one Uri-Query option (RFC 6690 §4.1). */
const wellKnownCore = (n: number, query: string): string =>
  `4101${(0x40 + n).toString(16).padStart(4, "0")}aa` + "bb" + hexText(".well-known") + "04" + hexText("core") +
  (query.length < 13 ? `4${query.length.toString(16)}` : `4d${(query.length - 13).toString(16).padStart(2, "0")}`) + hexText(query);

test("on the wire: /.well-known/core?<filter> lists only the matching links; none is 2.05 with an empty list", async (t) => {
  const p = await rawPeer((s) => s.send("coaps resource test-resource"));
  try {
    const answer = (n: number, payload: string) => `6145${(0x40 + n).toString(16).padStart(4, "0")}aa` + "c128" + (payload ? `ff${hexText(payload)}` : "");
    p.send(wellKnownCore(0, "href=/test*"));
    t.deepEqual(p.take(), [answer(0, "</test-resource>;obs")]);
    p.send(wellKnownCore(1, "obs"));
    t.deepEqual(p.take(), [answer(1, "</test-resource>;obs")]);
    p.send(wellKnownCore(2, "rt=temperature"));
    t.deepEqual(p.take(), [answer(2, "")], "2.05, Content-Format 40, no payload");
    p.send(wellKnownCore(3, "href=/other"));
    t.deepEqual(p.take(), [answer(3, "")]);
    t.notRegex(p.s.transcript(), /coaps (request|response)/, "answered by the CoAP layer: nothing printed on the node");
  } finally {
    p.sim.close();
  }
});

test("on the wire: the registration is answered with Observe 0, notifications 1–4 go NON and the 5th CON", async (t) => {
  const p = await rawPeer((s) => s.send("coaps resource r"));
  try {
    p.send(REGISTER);
    t.deepEqual(p.take(), ["614500" + "40" + "aa" + "60" + "ff30"]);
    const types: string[] = [];
    for (let i = 1; i <= 5; i++) {
      p.s.send(`coaps set ${i}`);
      p.sim.advance(10);
      const [record] = p.take();
      t.is(record!.slice(2, 4), "45", "2.05");
      t.is(record!.slice(8), `aa61${i.toString(16).padStart(2, "0")}ff3${i}`, "token, Observe = i, the new content");
      types.push(record!.slice(0, 2));
    }
    t.deepEqual(types, ["51", "51", "51", "51", "41"]);
  } finally {
    p.sim.close();
  }
});

test("an unacknowledged CON notification ends the observation as OpenThread's does: delivery error, Removed subscriber", async (t) => {
  const p = await rawPeer((s) => s.send("coaps resource r"));
  try {
    p.send(REGISTER);
    for (let i = 1; i <= 5; i++) p.s.send(`coaps set ${i}`);
    p.s.expect(/Done\r\n> $/, 0);
    p.sim.advance(100_000); // 31 × ACK_TIMEOUT at most (93 s)
    t.is(p.take().length, 1 + 5 + 4, "registration, five notifications, four retransmissions of the CON one");
    t.is(p.s.unread(), `coaps notification delivery error 28: ResponseTimeout\r\nRemoved subscriber ${C_ADDR}\r\n`);
    p.s.send("coaps set 6");
    p.sim.advance(10);
    t.deepEqual(p.take(), [], "nobody is notified any more");
  } finally {
    p.sim.close();
  }
});

test("a Reset to a NON notification removes the subscriber", async (t) => {
  const p = await rawPeer((s) => s.send("coaps resource r"));
  try {
    p.send(REGISTER);
    p.take();
    p.s.send("coaps set 1");
    p.sim.advance(10);
    const [notification] = p.take();
    p.s.expect(/Done\r\n> $/, 0);
    p.send("7000" + notification!.slice(4, 8));
    t.is(p.s.unread(), `Removed subscriber ${C_ADDR}\r\n`);
    p.s.send("coaps set 2");
    p.sim.advance(10);
    t.deepEqual(p.take(), []);
  } finally {
    p.sim.close();
  }
});

test("with a count that is never reached, the first notification after 24 h without an ACK goes CON", async (t) => {
  const p = await observingPair(1000);
  try {
    typed(p, p.s, "coaps set a");
    t.is(after(p, p.c, 1000), response(1, "a"));
    t.is(after(p, p.s, 0), "", "NON: no ACK");
    p.sim.advance(24 * 3600 * 1000 - 5000); // the registration was 2 s ago
    typed(p, p.s, "coaps set b");
    t.is(after(p, p.c, 1000), response(2, "b"));
    t.is(after(p, p.s, 0), "", "still under 24 h since the registration: NON");
    p.sim.advance(3000);
    typed(p, p.s, "coaps set c");
    t.is(after(p, p.c, 1000), response(3, "c"));
    t.is(after(p, p.s, 0), `Received coaps notification ACK from ${C_ADDR}\r\n`, "24 h: CON");
  } finally {
    p.sim.close();
  }
});
