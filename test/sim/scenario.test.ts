import test from "ava";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseScenario, runScenario } from "../../host-sim/scenario.js";
import { startCoapsApp as echoFirmware } from "./fixtures/echo-firmware.js";
import { runScenarioCli } from "./helpers/run-tsx.js";


const PING = `# node 2 listens, node 1 sends to it
2 udp open 5684
1 udp open 7
1 udp send {addr 2} 5684 hello
wait 10
1 after 500 half a second later
2    udp send {addr 1} 7 two  spaces
wait 499
`;

test("the output is a header line per node in id order followed by its exact console bytes", async (t) => {
  const r = await runScenario(PING, { firmware: echoFirmware, link: { delayMs: 5 } });
  t.is(r.output,
    "=== node 1 ===\n" +
    "> udp open 7\r\nDone\r\n> udp send fdde:ad00:beef:0:0:0:0:2 5684 hello\r\nDone\r\n" +
    "> after 500 half a second later\r\nDone\r\n> udp from fdde:ad00:beef:0:0:0:0:2 5684: two spaces\r\n\n" +
    "=== node 2 ===\n" +
    "> udp open 5684\r\nDone\r\n> udp from fdde:ad00:beef:0:0:0:0:1 7: hello\r\n" +
    "   udp send fdde:ad00:beef:0:0:0:0:1 7 two  spaces\r\nDone\r\n> \n");
  t.is(r.endTime, 509);
});

test("wait runs timers that fall due inside it and stops the run at the last directive", async (t) => {
  const r = await runScenario("1 after 1000 tick\nwait 999\n", { firmware: echoFirmware });
  t.is(r.consoles.get(1), "> after 1000 tick\r\nDone\r\n> ");
  const r2 = await runScenario("1 after 1000 tick\nwait 1000\n", { firmware: echoFirmware });
  t.true(r2.consoles.get(1)!.endsWith("> tick\r\n"));
});

test("a node is created when its first line is reached, so earlier datagrams to it vanish", async (t) => {
  const r = await runScenario("1 udp open 7\n1 udp send {addr 3} 9 early\nwait 5\n3 udp open 9\n1 udp send {addr 3} 9 late\n", { firmware: echoFirmware });
  t.deepEqual([...r.consoles.keys()], [1, 3]);
  t.is(r.consoles.get(3), "> udp open 9\r\nDone\r\n> udp from fdde:ad00:beef:0:0:0:0:1 7: late\r\n");
});

test("network options apply: total loss leaves the receiver silent, and the seed reproduces a lossy run", async (t) => {
  const lines = ["2 udp open 9", "1 udp open 7", ...Array.from({ length: 40 }, (_, i) => `1 udp send {addr 2} 9 m${i}`), "wait 100"].join("\n");
  const lost = await runScenario(lines, { firmware: echoFirmware, link: { loss: 1 } });
  t.false(lost.consoles.get(2)!.includes("udp from"));
  const a = await runScenario(lines, { firmware: echoFirmware, seed: 3, link: { loss: 0.5, jitterMs: 30, reorder: 0.2 } });
  const b = await runScenario(lines, { firmware: echoFirmware, seed: 3, link: { loss: 0.5, jitterMs: 30, reorder: 0.2 } });
  const c = await runScenario(lines, { firmware: echoFirmware, seed: 4, link: { loss: 0.5, jitterMs: 30, reorder: 0.2 } });
  t.is(a.output, b.output);
  t.not(a.output, c.output);
  const got = (a.consoles.get(2)!.match(/udp from/g) ?? []).length;
  t.true(got > 5 && got < 35, `received ${got} of 40`);
});

test("bad lines are reported with file and line number", (t) => {
  t.throws(() => parseScenario("1 ok\n\nwait soon\n", "x.txt"), { message: 'x.txt:3: wait needs a whole number of milliseconds, got "soon"' });
  t.throws(() => parseScenario("33 coaps start", "x.txt"), { message: "x.txt:1: node 33: node ids are 1-32" });
  t.throws(() => parseScenario("0 coaps start", "x.txt"), { message: "x.txt:1: node 0: node ids are 1-32" });
  t.throws(() => parseScenario("# ok\nhello", "x.txt"), { message: /^x.txt:2: expected "<node> <text>"/ });
  t.throws(() => parseScenario("1 coaps connect {addr 40}", "x.txt"), { message: "x.txt:1: {addr 40}: node ids are 1-32" });
  // Network directives name nodes the scenario starts (a "<n> <text>" line, before or after).
  t.throws(() => parseScenario("1 udp open 5\n2 udp open 6\nloss 1 9 0.5\n", "x.txt"),
    { message: 'x.txt:3: loss: node 9 is never started (no "9 <text>" line in the scenario)' });
  t.throws(() => parseScenario("1 a\n2 b\n\npartition 1 | 2 7\n", "x.txt"),
    { message: 'x.txt:4: partition: node 7 is never started (no "7 <text>" line in the scenario)' });
  t.throws(() => parseScenario("partition 4 | 1\n1 a\n", "x.txt"),
    { message: 'x.txt:1: partition: node 4 is never started (no "4 <text>" line in the scenario)' });
  t.deepEqual(parseScenario("loss 1 2 1\npartition 2 | 1\n1 a\n2\n").map((d) => d.kind), ["loss", "partition", "type", "type"]);
  t.deepEqual(parseScenario("  # indented comment\r\n12 coaps  x\r\n4\n"), [
    { line: 2, kind: "type", node: 12, text: "coaps  x" },
    { line: 3, kind: "type", node: 4, text: "" },
  ]);
});

const runCli = (args: string[]) => runScenarioCli(args, 30_000);

test("npm run scenario prints what the library returns and rejects a bad file with exit 2", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "scenario-"));
  try {
    writeFileSync(join(dir, "ok.txt"), PING);
    writeFileSync(join(dir, "bad.txt"), "1 udp open 7\nwait -1\n");
    const [ok, bad, missing] = await Promise.all([
      runCli([join(dir, "ok.txt"), "--firmware", "test/sim/fixtures/echo-firmware.ts", "--delay", "5"]),
      runCli([join(dir, "bad.txt"), "--firmware", "test/sim/fixtures/echo-firmware.ts"]),
      runCli([join(dir, "none.txt")]),
    ]);
    t.is(ok.status, 0, ok.stderr);
    t.is(ok.stdout, (await runScenario(PING, { firmware: echoFirmware, link: { delayMs: 5 } })).output);
    t.is(bad.status, 2);
    t.is(bad.stderr.trim(), `scenario: ${join(dir, "bad.txt")}:2: wait needs a whole number of milliseconds, got "-1"`);
    t.is(missing.status, 2);
    t.regex(missing.stderr, /^scenario: cannot read .*none\.txt: ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
