import test from "ava";
import { COAPS_COMMANDS } from "../../src/cli/coaps-commands.js";
import { bytes, FakeAgent, makeShell } from "./fakes.js";

const HELP = ["connect", "delete", "disconnect", "get", "isclosed", "isconnactive", "isconnected", "post",
  "psk", "put", "resource", "set", "start", "stop", "x509"];

function run(line: string, agent = new FakeAgent()) {
  const { shell, port } = makeShell(agent);
  shell.input(bytes(line + "\r"));
  const out = port.take();
  const prefix = line + "\r\n";
  return { out: out.startsWith(prefix) ? out.slice(prefix.length) : out, agent };
}

test("the command table is sorted by name and lists the spec's subcommands", (t) => {
  const names = COAPS_COMMANDS.map(([n]) => n);
  t.deepEqual(names, [...names].sort());
  t.deepEqual(names, HELP);
});

test("coaps help prints the subcommands then Done, ignoring extra arguments", (t) => {
  t.is(run("coaps help me").out, HELP.map((n) => n + "\r\n").join("") + "Done\r\n> ");
});

test("bare coaps prints the subcommands then Error 7: InvalidArgs", (t) => {
  t.is(run("coaps").out, HELP.map((n) => n + "\r\n").join("") + "Error 7: InvalidArgs\r\n> ");
});

test("an unknown or wrongly cased subcommand answers Error 35: InvalidCommand", (t) => {
  t.is(run("coaps foo").out, "Error 35: InvalidCommand\r\n> ");
  t.is(run("coaps START").out, "Error 35: InvalidCommand\r\n> ");
});

test("coaps start parses true, false and an attempt count", (t) => {
  t.deepEqual(run("coaps start").agent.calls, ["start true 0"]);
  t.deepEqual(run("coaps start true").agent.calls, ["start true 0"]);
  t.deepEqual(run("coaps start false").agent.calls, ["start false 0"]);
  t.deepEqual(run("coaps start 0x10").agent.calls, ["start true 16"]);
});

for (const arg of ["foo", "70000", "-1", "False", "TRUE"]) {
  test(`coaps start ${arg} answers Error 7: InvalidArgs and changes nothing`, (t) => {
    const { out, agent } = run(`coaps start ${arg}`);
    t.is(out, "Error 7: InvalidArgs\r\n> ");
    t.deepEqual(agent.calls, []);
  });
}

test("coaps psk passes the typed bytes and accepts 32 characters", (t) => {
  const { out, agent } = run(`coaps psk 1234 ${"i".repeat(32)} extra`);
  t.is(out, "Done\r\n> ");
  t.deepEqual(agent.calls, [`psk 49,50,51,52 ${Array(32).fill(105).join(",")}`]);
});

for (const [what, args] of [["no arguments", ""], ["one argument", "onlyone"], ["a 33-character key", `${"k".repeat(33)} id`],
  ["a 33-character identity", `k ${"i".repeat(33)}`]] as const) {
  test(`coaps psk with ${what} answers Error 7: InvalidArgs`, (t) => {
    const { out, agent } = run(`coaps psk ${args}`);
    t.is(out, "Error 7: InvalidArgs\r\n> ");
    t.deepEqual(agent.calls, []);
  });
}

test("coaps resource prints an empty line when unset and accepts 31 characters", (t) => {
  const agent = new FakeAgent();
  t.is(run("coaps resource", agent).out, "\r\nDone\r\n> ");
  t.is(run(`coaps resource ${"r".repeat(31)} 7`, agent).out, "Done\r\n> ");
  t.is(agent.uri, "r".repeat(31));
  t.is(agent.blockCount, 7);
  t.is(run("coaps resource", agent).out, "r".repeat(31) + "\r\nDone\r\n> ");
});

test("coaps resource with 32 characters or a bad block count fails and keeps the old URI", (t) => {
  const agent = new FakeAgent();
  agent.uri = "old";
  t.is(run(`coaps resource ${"r".repeat(32)}`, agent).out, "Error 7: InvalidArgs\r\n> ");
  t.is(run("coaps resource new -3", agent).out, "Error 7: InvalidArgs\r\n> ");
  t.is(agent.uri, "old");
});

test("coaps set prints the content and takes up to 15 characters", (t) => {
  const agent = new FakeAgent();
  t.is(run("coaps set", agent).out, "0\r\nDone\r\n> ");
  t.is(run(`coaps set ${"s".repeat(15)} more`, agent).out, "Done\r\n> ");
  t.is(run(`coaps set ${"s".repeat(16)}`, agent).out, "Error 7: InvalidArgs\r\n> ");
  t.is(run("coaps set", agent).out, "s".repeat(15) + "\r\nDone\r\n> ");
  t.is(run("coaps set psk k id", agent).out, "Done\r\n> ");
  t.is(run("coaps set", agent).out, "psk\r\nDone\r\n> ");
});

test("coaps connect checks the address (missing: InvalidArgs, malformed: Parse) and the port", (t) => {
  t.is(run("coaps connect").out, "Error 7: InvalidArgs\r\n> ");
  t.is(run("coaps connect foo").out, "Error 6: Parse\r\n> ");
  t.is(run("coaps connect fe80::1 abc").out, "Error 7: InvalidArgs\r\n> ");
  t.is(run("coaps connect fe80::1 70000").out, "Error 7: InvalidArgs\r\n> ");
});

test("coaps connect passes the canonical address and port, default 5684", (t) => {
  const agent = new FakeAgent();
  agent.started = true;
  t.is(run("coaps connect fdde:ad00:beef::ff:fe00:fc00", agent).out, "Done\r\n> ");
  t.is(run("coaps connect 127.0.0.1 5000", agent).out, "Error 13: InvalidState\r\n> ");
  t.deepEqual(agent.calls, ["connect fdde:ad00:beef:0:0:ff:fe00:fc00 5684", "connect 127.0.0.1 5000"]);
});

for (const cmd of ["isclosed", "isconnactive", "isconnected"]) {
  test(`coaps ${cmd} prints yes or no, and any argument answers InvalidArgs`, (t) => {
    const agent = new FakeAgent();
    t.is(run(`coaps ${cmd}`, agent).out, `${cmd === "isclosed" ? "yes" : "no"}\r\nDone\r\n> `);
    t.is(run(`coaps ${cmd} x`, agent).out, "Error 7: InvalidArgs\r\n> ");
  });
}

test("request types: con and block-N are confirmable, anything else is non-confirmable", (t) => {
  const agent = new FakeAgent();
  agent.connected = true;
  run("coaps get a con", agent);
  run("coaps get a non-con", agent);
  run("coaps put a CON", agent);
  run("coaps get a block-64", agent);
  run("coaps get a block-15", agent);
  run("coaps post a hello", agent);
  const r = agent.requests.map((q) => [q.method, q.confirmable, q.block ?? 0, q.payload ? String.fromCharCode(...q.payload) : null]);
  t.deepEqual(r, [["GET", true, 0, null], ["GET", false, 0, null], ["PUT", false, 0, null], ["GET", true, 64, null],
    ["GET", false, 0, null], ["POST", false, 0, null]]);
});

test("the third argument is the payload of a normal request and the block count of a block request", (t) => {
  const agent = new FakeAgent();
  agent.connected = true;
  run("coaps put a/b con hello extra", agent);
  t.deepEqual(Array.from(agent.requests[0]!.payload!), [104, 101, 108, 108, 111]);
  run("coaps put a block-32 5", agent);
  t.is(agent.requests[1]!.payload, undefined);
  t.is(agent.blockCount, 5);
  t.is(run("coaps get a block-16 abc", agent).out, "Error 7: InvalidArgs\r\n> ");
  t.is(agent.requests.length, 2);
});

test("a request needs a URI of at most 31 characters", (t) => {
  const agent = new FakeAgent();
  agent.connected = true;
  t.is(run("coaps get", agent).out, "Error 7: InvalidArgs\r\n> ");
  t.is(run(`coaps delete ${"u".repeat(32)}`, agent).out, "Error 7: InvalidArgs\r\n> ");
  t.is(run(`coaps delete ${"u".repeat(31)}`, agent).out, "Done\r\n> ");
});

test("a request while not connected answers the agent's InvalidState", (t) => {
  t.is(run("coaps get test").out, "Error 13: InvalidState\r\n> ");
});

test("the extensions observe and cancel are dispatched but not listed by coaps help", (t) => {
  t.false(run("coaps help").out.includes("observe"));
  t.false(run("coaps help").out.includes("cancel"));
  const agent = new FakeAgent();
  agent.connected = true;
  t.is(run("coaps observe a/b", agent).out, "Done\r\n> ");
  t.is(run("coaps observe a/b con", agent).out, "Done\r\n> ");
  t.is(run("coaps observe a/b non-con", agent).out, "Done\r\n> ");
  t.is(run("coaps cancel", agent).out, "Done\r\n> ");
  t.is(run("coaps cancel a/b", agent).out, "Done\r\n> ");
  t.deepEqual(agent.calls, ["observe a/b false", "observe a/b true", "observe a/b false", "cancel -", "cancel a/b"]);
});

test("coaps observe refuses a missing or long URI, a block type and extra arguments before asking the agent", (t) => {
  const agent = new FakeAgent();
  agent.connected = true;
  for (const line of ["coaps observe", `coaps observe ${"u".repeat(32)}`, "coaps observe r block-64", "coaps observe r con x", "coaps cancel r x"]) {
    t.is(run(line, agent).out, "Error 7: InvalidArgs\r\n> ", line);
  }
  t.deepEqual(agent.calls, []);
  t.is(run(`coaps observe ${"u".repeat(31)}`, agent).out, "Done\r\n> ");
});
