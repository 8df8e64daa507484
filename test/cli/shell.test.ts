import test from "ava";
import { Shell, RX_BUFFER_CHARS } from "../../src/cli/shell.js";
import { OtError } from "../../src/coaps/ot-error.js";
import { bytes, makeShell, RecordingPort } from "./fakes.js";

function echoShell() {
  const port = new RecordingPort();
  const seen: string[][] = [];
  const shell = new Shell(port, [["echo", (args, out) => { seen.push([...args]); out.line(args.join("|")); return OtError.None; }],
    ["fail", () => OtError.Abort]]);
  return { shell, port, seen };
}

test("start prints the prompt once with no line end", (t) => {
  const { shell, port } = makeShell();
  shell.start();
  t.is(port.take(), "> ");
});

test("typed bytes are echoed and CR ends the line with CR LF, result and prompt", (t) => {
  const { shell, port } = echoShell();
  shell.input(bytes("echo a b\r"));
  t.is(port.take(), "echo a b\r\na|b\r\nDone\r\n> ");
});

test("LF alone ends a line and LF right after CR is ignored", (t) => {
  const { shell, port, seen } = echoShell();
  shell.input(bytes("echo x\necho y\r\n"));
  t.deepEqual(seen, [["x"], ["y"]]);
  t.is(port.take(), "echo x\r\nx\r\nDone\r\n> echo y\r\ny\r\nDone\r\n> ");
});

test("CR LF split across two chunks still counts as one line end", (t) => {
  const { shell, port } = echoShell();
  shell.input(bytes("echo z\r"));
  shell.input(bytes("\n"));
  t.is(port.take(), "echo z\r\nz\r\nDone\r\n> ");
});

test("an LF ends the line when a typed character came between it and the last CR", (t) => {
  const { shell, port, seen } = echoShell();
  shell.input(bytes("\recho q\n"));
  shell.input(bytes("\r"));
  shell.input(bytes("x"));
  shell.input(bytes("\n"));
  t.deepEqual(seen, [["q"]]);
  t.is(port.take(), "\r\n> echo q\r\nq\r\nDone\r\n> \r\n> x\r\nError 35: InvalidCommand\r\n> ");
});

test("two CRs in a row give a second, empty line that prints only a prompt", (t) => {
  const { shell, port } = echoShell();
  shell.input(bytes("\r\r"));
  t.is(port.take(), "\r\n> \r\n> ");
});

test("an empty or blank line prints only a fresh prompt", (t) => {
  const { shell, port } = echoShell();
  shell.input(bytes(" \t \r"));
  t.is(port.take(), " \t \r\n> ");
});

test("backspace and DEL erase the last character with BS SP BS and do nothing on an empty buffer", (t) => {
  const { shell, port, seen } = echoShell();
  shell.input(bytes("\becho ab\b\x7fc\r"));
  t.is(port.take(), "echo ab\b \b\b \bc\r\nc\r\nDone\r\n> ");
  t.deepEqual(seen, [["c"]]);
});

test("the buffer holds 639 characters and drops further ones silently", (t) => {
  const { shell, port, seen } = echoShell();
  const long = "echo " + "x".repeat(700);
  shell.input(bytes(long + "\r"));
  const out = port.take();
  t.is(out, long.slice(0, RX_BUFFER_CHARS) + "\r\n" + "x".repeat(RX_BUFFER_CHARS - 5) + "\r\nDone\r\n> ");
  t.is(seen[0]![0]!.length, RX_BUFFER_CHARS - 5);
});

test("backspace after a full buffer frees room for one more character", (t) => {
  const { shell, port } = echoShell();
  shell.input(bytes("x".repeat(RX_BUFFER_CHARS) + "yz\bq"));
  t.is(port.take(), "x".repeat(RX_BUFFER_CHARS) + "\b \bq");
});

test("an unknown command word answers Error 35: InvalidCommand, case-sensitively", (t) => {
  const { shell, port } = echoShell();
  shell.input(bytes("ECHO x\r"));
  t.is(port.take(), "ECHO x\r\nError 35: InvalidCommand\r\n> ");
});

test("a failing handler prints Error n: Name", (t) => {
  const { shell, port } = echoShell();
  shell.input(bytes("fail\r"));
  t.is(port.take(), "fail\r\nError 11: Abort\r\n> ");
});

test("31 tokens are accepted and a 32nd fails the line with InvalidArgs without running it", (t) => {
  const { shell, port, seen } = echoShell();
  shell.input(bytes("echo" + " a".repeat(30) + "\r"));
  t.is(seen.length, 1);
  port.take();
  shell.input(bytes("echo" + " a".repeat(31) + "\r"));
  t.is(seen.length, 1);
  t.true(port.take().endsWith("\r\nError 7: InvalidArgs\r\n> "));
});

test("backslash escapes a separator or a backslash and stays before anything else", (t) => {
  const { shell, seen } = echoShell();
  shell.input(bytes("echo x\\ y a\\\\ b \\q \"c d\"\r"));
  t.deepEqual(seen, [["x y", "a\\", "b", "\\q", "\"c", "d\""]]);
});

test("an asynchronous line is written at once with no prompt after it", (t) => {
  const { shell, port } = echoShell();
  shell.start();
  shell.input(bytes("ech"));
  shell.line("coaps connected");
  shell.input(bytes("o q\r"));
  t.is(port.take(), "> echcoaps connected\r\no q\r\nq\r\nDone\r\n> ");
});

test("a typed NUL ends the command text there, as in the C string buffer", (t) => {
  const { shell, seen } = echoShell();
  shell.input(bytes("echo a\0b c\r"));
  t.deepEqual(seen, [["a"]]);
});

test("a line of 640 or more characters fails with Parse when run directly", (t) => {
  const { shell, port, seen } = echoShell();
  shell.runLine("echo " + "y".repeat(635));
  t.is(port.take(), "Error 6: Parse\r\n> ");
  shell.runLine("echo " + "y".repeat(634));
  t.is(seen.length, 1);
});

test("a handler that throws answers Error 1: Failed and the console keeps working", (t) => {
  const port = new RecordingPort();
  const shell = new Shell(port, [["boom", () => { throw new Error("bug"); }], ["ok", () => OtError.None]]);
  shell.input(bytes("boom\rok\r"));
  t.is(port.take(), "boom\r\nError 1: Failed\r\n> ok\r\nDone\r\n> ");
});

test("top-level help lists the shell's commands one per line, then Done, as OpenThread's does", (t) => {
  const { shell, port } = makeShell();
  shell.runLine("help");
  // OpenThread prints its sorted command table; `help` is not a table entry, so it is not listed.
  t.is(port.take(), "coaps\r\nDone\r\n> ");
});

test("top-level help ignores its arguments and lists every registered command in sorted order", (t) => {
  const port = new RecordingPort();
  const none = () => OtError.None;
  const shell = new Shell(port, [["zeta", none], ["coaps", none], ["alpha", none]]);
  shell.runLine("help me please");
  t.is(port.take(), "alpha\r\ncoaps\r\nzeta\r\nDone\r\n> ");
});

test("help is case-sensitive like every command word, and a table entry named help wins", (t) => {
  const { shell, port } = makeShell();
  shell.runLine("HELP");
  t.is(port.take(), "Error 35: InvalidCommand\r\n> ");
  const own = new RecordingPort();
  const custom = new Shell(own, [["help", (_args, out) => { out.line("mine"); return OtError.Abort; }]]);
  custom.runLine("help");
  t.is(own.take(), "mine\r\nError 11: Abort\r\n> ");
});
