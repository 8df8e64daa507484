// Console robustness on the real firmware (startCoapsApp): random bytes, overlong lines,
// control characters and 10,000 commands in a row. The shell must keep answering correctly.
import test from "ava";
import v8 from "node:v8";
import vm from "node:vm";
import { startCoapsApp } from "../../src/app.js";
import type { Platform } from "../../src/platform/index.js";
import type { SerialPort } from "../../src/platform/serial.js";
import { VirtualClock } from "../../host-sim/virtual-clock.js";
import { SimNetwork } from "../../host-sim/sim-network.js";
import { simUdpFactory } from "../../host-sim/sim-udp.js";
import { Prng } from "../../host-sim/prng.js";
import { loadDtlsBinding } from "../../host-sim/dtls-loader.js";

/** A node whose UART output goes to `sink` and whose input is typed with `type`. */
async function node(sink: (bytes: Uint8Array) => void) {
  const clock = new VirtualClock();
  const net = new SimNetwork({ clock, seed: 5 });
  let onReadable: (() => void) | undefined;
  let pending: Uint8Array | undefined;
  const serial: SerialPort = { write: sink, read: () => { const p = pending; pending = undefined; return p; } };
  const platform: Platform = {
    clock, timers: clock, udp: simUdpFactory(net.addNode(1, {})), random: new Prng(9, 1), dtls: await loadDtlsBinding(),
    serial: (o) => { onReadable = () => o.onReadable(1); return serial; },
  };
  const app = startCoapsApp(platform);
  const type = (bytes: Uint8Array | string): void => {
    pending = typeof bytes === "string" ? Uint8Array.from(bytes, (c) => c.charCodeAt(0)) : bytes;
    onReadable!();
    clock.runDue();
  };
  return { type, close: () => app.close() };
}

async function recordingNode() {
  let out = "";
  const n = await node((b) => { out += String.fromCharCode(...b); });
  return { ...n, take: () => { const o = out; out = ""; return o; } };
}

test("after 200,000 random bytes every line end is CR LF and the shell still answers", async (t) => {
  const n = await recordingNode();
  const prng = new Prng(1234);
  const chunk = new Uint8Array(1000);
  let all = "";
  for (let i = 0; i < 200; i++) {
    prng.fill(chunk);
    n.type(chunk);
    all += n.take();
  }
  t.notRegex(all, /[^\r]\n/, "every LF comes after a CR");
  t.notRegex(all, /\r[^\n]/, "every CR is followed by LF");
  n.type("\r");
  n.take();
  n.type("coaps set\r");
  t.regex(n.take(), /^coaps set\r\n[^\r\n]*\r\nDone\r\n> $/);
  n.close();
});

test("an overlong line is cut at 639 characters: the rest is neither echoed nor run", async (t) => {
  const n = await recordingNode();
  n.take();
  const line = "coaps isclosed" + " ".repeat(700) + "junk";
  n.type(line + "\r");
  t.is(n.take(), line.slice(0, 639) + "\r\nyes\r\nDone\r\n> ");
  n.type("x".repeat(5000) + "\r");
  t.is(n.take(), "x".repeat(639) + "\r\nError 35: InvalidCommand\r\n> ");
  n.close();
});

test("control characters are echoed and become part of the token; a NUL ends the command", async (t) => {
  const n = await recordingNode();
  n.take();
  n.type("\x01coaps\x1b isclosed\r");
  t.is(n.take(), "\x01coaps\x1b isclosed\r\nError 35: InvalidCommand\r\n> ");
  n.type("coaps isclosed\x00 extra words\r");
  t.is(n.take(), "coaps isclosed\x00 extra words\r\nyes\r\nDone\r\n> ");
  n.type("coaps isclosed\t\x0b\r");
  t.is(n.take(), "coaps isclosed\t\x0b\r\nError 7: InvalidArgs\r\n> ");
  n.close();
});

const HELP = "connect\r\ndelete\r\ndisconnect\r\nget\r\nisclosed\r\nisconnactive\r\nisconnected\r\npost\r\npsk\r\nput\r\nresource\r\nset\r\nstart\r\nstop\r\nx509\r\n";

test("10,000 commands in a row are all answered correctly and memory stays flat", async (t) => {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  let out = "";
  const n = await node((b) => { out += String.fromCharCode(...b); });
  out = "";
  const cases: Array<(i: number) => [string, string]> = [
    (i) => [`coaps set v${i % 1000}`, "Done\r\n"],
    (i) => ["coaps set", `v${(i - 1) % 1000}\r\nDone\r\n`],
    (i) => [`coaps resource r${i}`, "Done\r\n"],
    () => ["coaps help", `${HELP}Done\r\n`],
    () => ["coaps bogus", "Error 35: InvalidCommand\r\n"],
    () => ["coaps start", "Done\r\n"],
    () => ["coaps get x", "Error 13: InvalidState\r\n"],
    () => ["coaps stop", "Done\r\n"],
    (i) => [`coaps psk k${i} id`, "Done\r\n"],
    () => ["coaps isconnected", "no\r\nDone\r\n"],
  ];
  let wrong = 0;
  let heapAfterWarmup = 0;
  for (let i = 0; i < 10_000; i++) {
    const [line, answer] = cases[i % cases.length]!(i);
    n.type(`${line}\r`);
    if (out !== `${line}\r\n${answer}> `) wrong++;
    out = "";
    if (i === 1999) { gc(); heapAfterWarmup = process.memoryUsage().heapUsed; }
  }
  gc();
  const growth = process.memoryUsage().heapUsed - heapAfterWarmup;
  t.is(wrong, 0);
  t.true(growth < 512 * 1024, `heap grew by ${growth} bytes over 8,000 commands`);
  t.log(`heap growth over 8,000 commands: ${growth} bytes`);
  n.close();
});
