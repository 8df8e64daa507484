// One test per error line of spec §3 and per row of the §10 table, on the real agent in a
// simulated node (node 1 = S, node 2 = C, connected with PSK where a row needs a session).
import test from "ava";
import { after, connectedPair, pair, run, S_ADDR, type Pair } from "../coaps/pair.js";

type Setup = "fresh" | "started" | "connected" | "server-connected" | "handshaking" | "guard";

async function setUp(setup: Setup): Promise<{ p: Pair; node: Pair["s"] }> {
  if (setup === "fresh") { const p = await pair(1); return { p, node: p.s }; }
  if (setup === "started") { const p = await pair(1); run(p.s, "coaps psk k id", "coaps start"); return { p, node: p.s }; }
  if (setup === "handshaking") {
    const p = await pair(1);
    run(p.s, "coaps psk k id", "coaps start", "coaps connect fd00::1234");
    return { p, node: p.s };
  }
  const p = await connectedPair();
  if (setup === "server-connected") return { p, node: p.s };
  if (setup === "guard") { run(p.c, "coaps disconnect"); p.sim.advance(500); }
  return { p, node: p.c };
}

const ROWS: ReadonlyArray<readonly [title: string, setup: Setup, line: string, result: string]> = [
  // §3.1
  ["bare coaps lists the subcommands and fails", "fresh", "coaps", "Error 7: InvalidArgs"],
  ["an unknown subcommand", "fresh", "coaps foo", "Error 35: InvalidCommand"],
  ["a subcommand in the wrong case", "fresh", "coaps Start", "Error 35: InvalidCommand"],
  ["an unknown command word", "fresh", "COAPS help", "Error 35: InvalidCommand"],
  // §3.2
  ["start with a word that is not true/false", "fresh", "coaps start yes", "Error 7: InvalidArgs"],
  ["start with TRUE (case-sensitive)", "fresh", "coaps start TRUE", "Error 7: InvalidArgs"],
  ["start with a count over 16 bits", "fresh", "coaps start 65536", "Error 7: InvalidArgs"],
  ["start with a negative count", "fresh", "coaps start -1", "Error 7: InvalidArgs"],
  ["start with 0x and no digits", "fresh", "coaps start 0x", "Error 7: InvalidArgs"],
  ["start when already started", "started", "coaps start", "Error 24: Already"],
  ["start false when already started", "started", "coaps start false", "Error 24: Already"],
  ["start with a count when already started", "started", "coaps start 3", "Error 24: Already"],
  ["start foo when already started checks the argument first", "started", "coaps start foo", "Error 7: InvalidArgs"],
  // §3.4
  ["psk without arguments", "fresh", "coaps psk", "Error 7: InvalidArgs"],
  ["psk without an identity", "fresh", "coaps psk k", "Error 7: InvalidArgs"],
  ["psk with a 33-character key", "fresh", `coaps psk ${"k".repeat(33)} id`, "Error 7: InvalidArgs"],
  ["psk with a 33-character identity", "fresh", `coaps psk k ${"i".repeat(33)}`, "Error 7: InvalidArgs"],
  // §3.6, §3.7
  ["set with 16 characters", "fresh", `coaps set ${"s".repeat(16)}`, "Error 7: InvalidArgs"],
  ["resource with 32 characters", "fresh", `coaps resource ${"r".repeat(32)}`, "Error 7: InvalidArgs"],
  ["resource with a bad block count", "fresh", "coaps resource r x", "Error 7: InvalidArgs"],
  ["resource with a block count over 32 bits", "fresh", "coaps resource r 4294967296", "Error 7: InvalidArgs"],
  // §3.8
  ["connect without an address", "started", "coaps connect", "Error 7: InvalidArgs"],
  ["connect with a malformed address", "started", "coaps connect fe80::1::2", "Error 6: Parse"],
  ["connect with a zone suffix", "started", "coaps connect fe80::1%eth0", "Error 6: Parse"],
  ["connect with a bracketed address", "started", "coaps connect [fe80::1]", "Error 6: Parse"],
  ["connect with a non-numeric port", "started", "coaps connect fe80::1 abc", "Error 7: InvalidArgs"],
  ["connect with a port over 16 bits", "started", "coaps connect fe80::1 70000", "Error 7: InvalidArgs"],
  ["connect with the transport closed", "fresh", "coaps connect fe80::1", "Error 13: InvalidState"],
  ["connect while connected as client", "connected", `coaps connect ${S_ADDR}`, "Error 13: InvalidState"],
  ["connect while connected as server", "server-connected", "coaps connect fe80::1", "Error 13: InvalidState"],
  ["connect during a handshake", "handshaking", "coaps connect fe80::1", "Error 13: InvalidState"],
  ["connect inside the 2 s guard", "guard", `coaps connect ${S_ADDR}`, "Error 13: InvalidState"],
  // §3.10
  ["isconnected with an argument", "fresh", "coaps isconnected x", "Error 7: InvalidArgs"],
  ["isconnactive with an argument", "fresh", "coaps isconnactive x", "Error 7: InvalidArgs"],
  ["isclosed with an argument", "fresh", "coaps isclosed x", "Error 7: InvalidArgs"],
  // §3.11
  ["get without a URI", "connected", "coaps get", "Error 7: InvalidArgs"],
  ["put with a 32-character URI", "connected", `coaps put ${"u".repeat(32)}`, "Error 7: InvalidArgs"],
  ["a block request with a bad block count", "connected", "coaps get r block-16 abc", "Error 7: InvalidArgs"],
  ["get when not started", "fresh", "coaps get x", "Error 13: InvalidState"],
  ["post when started but not connected", "started", "coaps post x con p", "Error 13: InvalidState"],
  ["delete during a handshake", "handshaking", "coaps delete x", "Error 13: InvalidState"],
  ["put inside the 2 s guard", "guard", "coaps put x con p", "Error 13: InvalidState"],
];

for (const [title, setup, line, result] of ROWS) {
  test(`${setup} node: ${title} answers ${result}`, async (t) => {
    const { p, node } = await setUp(setup);
    try {
      after(p, node, 0);
      node.send(line);
      const out = after(p, node, 0);
      t.true(out.startsWith(`${line}\r\n`), out);
      t.true(out.endsWith(`${result}\r\n> `), out);
      if (result !== "Error 7: InvalidArgs" || line !== "coaps") t.is(out.split("\r\n").length, 3, "nothing printed but the result line");
    } finally {
      p.sim.close();
    }
  });
}

test("connect with no credentials answers Error 7: InvalidArgs (deliberate difference from OpenThread)", async (t) => {
  const p = await pair(1);
  try {
    run(p.s, "coaps start");
    p.s.send("coaps connect fe80::1");
    t.is(after(p, p.s, 1000), "coaps connect fe80::1\r\nError 7: InvalidArgs\r\n> ");
  } finally {
    p.sim.close();
  }
});

// §10 rows that answer something other than an error.
test("§10: stop and disconnect on a node that never started answer Done", async (t) => {
  const p = await pair(1);
  try {
    after(p, p.s, 0);
    p.s.send("coaps stop");
    p.s.send("coaps disconnect");
    t.is(after(p, p.s, 0), "coaps stop\r\nDone\r\n> coaps disconnect\r\nDone\r\n> ");
  } finally {
    p.sim.close();
  }
});

test("§10: inside the 2 s guard after a disconnect, isconnactive says yes", async (t) => {
  const { p, node } = await setUp("guard");
  try {
    after(p, node, 0);
    node.send("coaps isconnactive");
    t.is(after(p, node, 0), "coaps isconnactive\r\nyes\r\nDone\r\n> ");
  } finally {
    p.sim.close();
  }
});

test("§10: after stop while connected, isclosed says no inside the guard and yes after coaps disconnected", async (t) => {
  const p = await connectedPair();
  try {
    run(p.c, "coaps stop");
    p.sim.advance(1000);
    p.c.send("coaps isclosed");
    t.is(after(p, p.c, 0), "coaps isclosed\r\nno\r\nDone\r\n> ");
    t.is(after(p, p.c, 1000), "coaps disconnected\r\n");
    p.c.send("coaps isclosed");
    t.is(after(p, p.c, 0), "coaps isclosed\r\nyes\r\nDone\r\n> ");
  } finally {
    p.sim.close();
  }
});
