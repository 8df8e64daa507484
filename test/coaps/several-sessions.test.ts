// `coaps sessions <n>` (extension, docs/coaps-shell.md "Several sessions"): a server that holds
// up to n DTLS peers at once, each with its own handshake, CoAP endpoint and 2 s guard.
import test from "ava";
import { CLIENT_IDS, SERVER, addressOf, crowd, type, unreadAfter } from "./helpers/several-sessions.js";
import { pair, run } from "./pair.js";

const count = (text: string, line: string): number => text.split(line).length - 1;

test("coaps sessions prints 1 by default, takes 1..8 while stopped, and refuses a change while started", async (t) => {
  const p = await pair(1);
  t.teardown(() => p.sim.close());
  type(p.s, "coaps sessions", "1\r\nDone\r\n");
  type(p.s, "coaps sessions 0", "Error 7: InvalidArgs\r\n");
  type(p.s, "coaps sessions 9", "Error 7: InvalidArgs\r\n");
  type(p.s, "coaps sessions eight", "Error 7: InvalidArgs\r\n");
  type(p.s, "coaps sessions 4 5", "Error 7: InvalidArgs\r\n");
  type(p.s, "coaps sessions 0x8");
  type(p.s, "coaps sessions", "8\r\nDone\r\n");
  type(p.s, "coaps start");
  type(p.s, "coaps sessions 2", "Error 13: InvalidState\r\n");
  type(p.s, "coaps sessions 8", "Error 13: InvalidState\r\n");
  type(p.s, "coaps sessions 9", "Error 7: InvalidArgs\r\n");
  type(p.s, "coaps stop");
  type(p.s, "coaps sessions 2");
  type(p.s, "coaps sessions", "2\r\nDone\r\n");
  t.pass("every line printed exactly its expected result");
});

test("coaps help does not list the extension: its output stays OpenThread's", async (t) => {
  const p = await pair(1);
  t.teardown(() => p.sim.close());
  p.s.send("coaps help");
  t.false(unreadAfter(p.sim, p.s, 0).includes("sessions"));
});

test("with coaps sessions 8, eight of nine simultaneous clients connect and each GET is answered to its own peer", async (t) => {
  const r = await crowd(8);
  t.teardown(() => r.sim.close());
  t.is(r.connected.length, 8, `connected: ${r.connected.join(",")}`);
  t.is(count(r.serverLog, "coaps connected\r\n"), 8);
  const [ignored] = CLIENT_IDS.filter((id) => !r.connected.includes(id));
  type(r.server, "coaps isconnected", "yes\r\nDone\r\n");
  type(r.server, "coaps isconnactive", "yes\r\nDone\r\n");
  for (const id of r.connected) type(r.sim.console(id), "coaps get res con");
  r.sim.advance(1000);
  for (const id of r.connected) {
    t.is(unreadAfter(r.sim, r.sim.console(id), 0), `coaps response from ${SERVER} with payload: 68656c6c6f\r\n`, `node ${id}`);
  }
  const served = unreadAfter(r.sim, r.server, 0);
  for (const id of r.connected) t.is(count(served, `coaps request from ${addressOf(id)} GET\r\n`), 1, `node ${id}`);
  t.is(count(served, "coaps response sent\r\n"), 8);
  // The ninth is still waiting for a ServerHello, as t14's second client: its GET is refused.
  type(r.sim.console(ignored!), "coaps isconnected", "no\r\nDone\r\n");
  type(r.sim.console(ignored!), "coaps get res", "Error 13: InvalidState\r\n");
  t.false(served.includes(addressOf(ignored!)));
});

test("with the default single session, the same crowd gets one session (the other eight are ignored)", async (t) => {
  const r = await crowd(1);
  t.teardown(() => r.sim.close());
  t.is(r.connected.length, 1);
  t.is(r.serverLog, "coaps connected\r\n");
});

test("a peer that disconnects frees its slot after its own 2 s guard; the others keep being served meanwhile", async (t) => {
  const r = await crowd(8);
  t.teardown(() => r.sim.close());
  const [first, second] = r.connected;
  const [ignored] = CLIENT_IDS.filter((id) => !r.connected.includes(id));
  type(r.sim.console(first!), "coaps disconnect");
  t.is(unreadAfter(r.sim, r.server, 1000), "", "the server's line waits for that peer's guard");
  type(r.sim.console(second!), "coaps get res con");
  r.sim.advance(500);
  t.is(r.sim.console(second!).unread(), `coaps response from ${SERVER} with payload: 68656c6c6f\r\n`, "served during the other peer's guard");
  t.is(unreadAfter(r.sim, r.server, 600), `coaps request from ${addressOf(second!)} GET\r\ncoaps response sent\r\ncoaps disconnected\r\n`);
  // The ignored client gives up (stop, its own guard), then connects again: the free slot takes it.
  const late = r.sim.console(ignored!);
  type(late, "coaps stop");
  r.sim.advance(2100);
  type(late, "coaps start");
  type(late, `coaps connect ${SERVER}`);
  late.expect("coaps connected\r\n", 2000);
  t.is(unreadAfter(r.sim, r.server, 0), "coaps connected\r\n");
});

test("coaps disconnect on the server ends every session: one coaps disconnected per session, 2 s later", async (t) => {
  const r = await crowd(8);
  t.teardown(() => r.sim.close());
  type(r.server, "coaps disconnect");
  t.is(unreadAfter(r.sim, r.server, 1999), "");
  t.is(unreadAfter(r.sim, r.server, 1), "coaps disconnected\r\n".repeat(8));
  for (const id of r.connected) t.is(unreadAfter(r.sim, r.sim.console(id), 0), "coaps disconnected\r\n", `node ${id}`);
  type(r.server, "coaps isconnactive", "no\r\nDone\r\n");
  type(r.server, "coaps isclosed", "no\r\nDone\r\n");
});

test("coaps stop on the server ends every session, then closes the transport after their guards", async (t) => {
  const r = await crowd(8);
  t.teardown(() => r.sim.close());
  type(r.server, "coaps stop");
  type(r.server, "coaps isclosed", "no\r\nDone\r\n");
  t.is(unreadAfter(r.sim, r.server, 2000), "coaps disconnected\r\n".repeat(8));
  type(r.server, "coaps isclosed", "yes\r\nDone\r\n");
  type(r.server, "coaps sessions 1");
});

test("the attempt limit counts every accepted peer: coaps start 3 with n = 8 serves three, then closes after their guards", async (t) => {
  const p = await pair(5);
  t.teardown(() => p.sim.close());
  run(p.s, "coaps sessions 8", "coaps psk k i", "coaps start 3", "coaps resource r");
  for (const id of [2, 3, 4, 5]) run(p.sim.console(id), "coaps psk k i", "coaps start", `coaps connect ${SERVER}`);
  p.sim.advance(3000);
  t.is(unreadAfter(p.sim, p.s, 0), "coaps connected\r\n".repeat(3));
  type(p.s, "coaps disconnect");
  t.is(unreadAfter(p.sim, p.s, 2000), "coaps disconnected\r\n".repeat(3));
  type(p.s, "coaps isclosed", "yes\r\nDone\r\n");
});

test("a client connect waits until no server session is in use; with none it works as with one session", async (t) => {
  const r = await crowd(8);
  t.teardown(() => r.sim.close());
  type(r.server, `coaps connect ${addressOf(r.connected[0]!)}`, "Error 13: InvalidState\r\n");
  type(r.server, "coaps disconnect");
  r.sim.advance(2000);
  r.server.unread();
  for (const id of r.connected) r.sim.console(id).unread();
  const target = r.sim.console(r.connected[0]!);
  type(target, "coaps resource mine");
  type(r.server, `coaps connect ${addressOf(r.connected[0]!)}`);
  r.server.expect("coaps connected\r\n", 2000);
  type(r.server, "coaps get mine con");
  r.server.expect(`coaps response from ${addressOf(r.connected[0]!)} with payload: 30\r\n`, 1000);
  t.pass("the client role connected and was answered once the slots were free");
});

test("the server's own requests go to the peer it accepted first among those connected", async (t) => {
  const r = await crowd(8);
  t.teardown(() => r.sim.close());
  for (const id of r.connected) type(r.sim.console(id), "coaps resource mine");
  type(r.server, "coaps get mine");
  const answer = unreadAfter(r.sim, r.server, 500);
  const m = /^coaps response from (\S+) with payload: 30\r\n$/.exec(answer);
  t.truthy(m, answer);
  const asked = r.connected.filter((id) => r.sim.console(id).unread().includes("coaps request from"));
  t.is(asked.length, 1);
  t.is(m?.[1], addressOf(asked[0]!));
});
