// The message sequence chart: what it records of a run (labels from DTLS headers and from the
// tapped plaintext, outcomes of each datagram) and the SVG/HTML it renders.
import test from "ava";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chartOfFailedRun, runScenario } from "../../host-sim/scenario.js";
import type { Chart, DatagramEvent } from "../../host-sim/msc/recorder.js";
import { chartCounts, renderHtml, renderSvg, terminalText } from "../../host-sim/msc/render.js";
import { labelDatagram } from "../../host-sim/msc/label.js";
import { encodeMessage } from "../../src/coap/encode.js";
import { startCoapsApp as echoFirmware } from "./fixtures/echo-firmware.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const WALKTHROUGH = readFileSync(`${root}host-sim/examples/walkthrough.scenario`, "utf8");

const datagrams = (c: Chart) => c.events.filter((e): e is DatagramEvent => e.type === "datagram");
const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

test("the walkthrough's chart names each handshake flight from its headers and each CoAP message from its plaintext", async (t) => {
  const r = await runScenario(WALKTHROUGH, { chart: { title: "walkthrough" } });
  const chart = r.chart!;
  t.deepEqual(chart.nodes, [{ id: 1, address: "fdde:ad00:beef:0:0:0:0:1" }, { id: 2, address: "fdde:ad00:beef:0:0:0:0:2" }]);
  const d = datagrams(chart);
  const rows = d.map((e) => `${e.from}>${e.to} ${e.kind} ${e.label}`);
  const mid = "MID (\\d+) tok ([0-9a-f]{4})";
  const expected = [
    "2>1 dtls ClientHello", "1>2 dtls HelloVerifyRequest", "2>1 dtls ClientHello",
    "1>2 dtls ServerHello, ServerHelloDone", "2>1 dtls ClientKeyExchange, ChangeCipherSpec, Finished",
    "1>2 dtls ChangeCipherSpec, Finished",
    `2>1 coaps NON GET ${mid} /test-resource`, `1>2 coaps ACK 2.05 ${mid} · 1 B`,
    `2>1 coaps CON PUT ${mid} /test-resource · 5 B`, `1>2 coaps ACK 2.03 ${mid}`,
    `2>1 coaps CON GET ${mid} /test-resource`, `1>2 coaps ACK 2.05 ${mid} · 5 B`,
    "2>1 dtls Alert close_notify",
  ];
  t.is(rows.length, expected.length, rows.join("\n"));
  const ids: string[][] = [];
  rows.forEach((row, i) => {
    const m = new RegExp(`^${expected[i]!.replace(/[|]/g, "\\$&")}$`).exec(row);
    t.truthy(m, `row ${i}: ${row} !~ ${expected[i]}`);
    if (m && m[1]) ids.push([m[1], m[2]!]);
  });
  // Each response carries its request's MID and token: the plaintext went to the right datagram.
  for (let i = 0; i < ids.length; i += 2) t.deepEqual(ids[i + 1], ids[i]);
  t.true(d.every((e) => e.outcomes.length === 1 && e.outcomes[0]!.kind === "delivered"));
  // The runner's shutdown (sim.close) comes after the chart was taken.
  t.is(d.at(-1)!.time, 400);
  t.is(chart.endTime, 2500);
});

test("typed lines and printed lines are notes; echoes and Done are not", async (t) => {
  const r = await runScenario("1 udp open 7\n1 udp send {addr 1} 7 hi <b>&\n1 nonsense\n", { firmware: echoFirmware, chart: {} });
  const notes = r.chart!.events.map((e) => e.type === "note" && `${e.node} ${e.kind} ${e.text}`).filter((n) => n);
  t.deepEqual(notes, [
    "1 input udp open 7",
    "1 input udp send fdde:ad00:beef:0:0:0:0:1 7 hi <b>&",
    "1 output udp from fdde:ad00:beef:0:0:0:0:1 7: hi <b>&",
    "1 input nonsense",
    "1 output Error 35: InvalidCommand",
  ]);
  const svg = renderSvg(r.chart!);
  t.false(svg.includes("<b>"));
  t.true(svg.includes("hi &lt;b&gt;&amp;"));
});

test("a block-wise GET shows Block2 on every message; the hex lines stay in the console only", async (t) => {
  const r = await runScenario([
    "1 coaps psk k id", "1 coaps start", "1 coaps resource test-resource", "2 coaps psk k id", "2 coaps start",
    "2 coaps connect {addr 1}", "wait 10", "2 coaps get test-resource block-16", "wait 100",
  ].join("\n"), { chart: {} });
  const coap = datagrams(r.chart!).filter((e) => e.kind === "coaps").map((e) => e.label.replace(/MID \d+ tok [0-9a-f]+/, "M"));
  t.deepEqual(coap, [
    "CON GET M /test-resource Block2 0/0/16", "ACK 2.05 M Block2 0/1/16 · 16 B",
    "CON GET M /test-resource Block2 1/0/16", "ACK 2.05 M Block2 1/0/16 · 16 B",
  ]);
  const notes = r.chart!.events.filter((e) => e.type === "note").map((e) => e.type === "note" && e.text);
  t.true(notes.includes("send block: Num 0 Len 16"));
  t.true(notes.includes("received block: Num 0 Len 16"));
  t.false(notes.some((n) => /^[0-9a-f]{32}$/.test(String(n))));
  t.regex(r.consoles.get(2)!, /received block: Num 0 Len 16\r\n[0-9a-f]{32}\r\n/);
});

test("plain datagrams and every way of not arriving are charted", async (t) => {
  const r = await runScenario([
    "1 udp open 7",
    "1 udp send {addr 3} 9 early", // node 3 does not exist yet: vanished
    "3 udp open 9",
    "1 udp send {addr 3} 9 inflight",
    "wait 5",
    "partition 1 | 3", // cuts the datagram still on the 10 ms link
    "wait 20",
    "heal",
    "1 udp send {addr 3} 10 nobody", // nothing bound on port 10
    "loss 1 3 1",
    "1 udp send {addr 3} 9 lost",
    "loss 1 3 0",
    "1 udp send {addr 3} 9 fine",
    "wait 20",
  ].join("\n"), { firmware: echoFirmware, link: { delayMs: 10 }, chart: {} });
  const d = datagrams(r.chart!);
  t.deepEqual(d.map((e) => [e.kind, e.label, e.time, e.outcomes.map((o) => (o.kind === "dropped" ? o.reason : o.kind)).join()]), [
    ["udp", "UDP 5 B", 0, "vanished"],
    ["udp", "UDP 8 B", 0, "partition"],
    ["udp", "UDP 6 B", 25, "no-listener"],
    ["udp", "UDP 4 B", 25, "loss"],
    ["udp", "UDP 4 B", 25, "delivered"],
  ]);
  // A datagram cut in flight is drawn down to the row where it was dropped.
  const inflight = d[1]!;
  t.true(inflight.outcomes[0]!.afterRow > inflight.row);
  t.deepEqual(r.chart!.events.filter((e) => e.type === "network").map((e) => e.type === "network" && e.text),
    ["partition 1 | 3", "heal", "loss 1 3 1", "loss 1 3 0"]);
  t.deepEqual(chartCounts(r.chart!), { arrows: 5, lost: 4, notes: r.chart!.events.filter((e) => e.type === "note").length });
  const svg = renderSvg(r.chart!);
  t.is(count(svg, /<g class="msg"/g), 5);
  t.is(count(svg, /<path class="cross"/g), 4);
  for (const o of ["vanished", "no-listener", "partition", "loss", "delivered"]) t.is(count(svg, new RegExp(`data-outcome="${o}"`, "g")), 1, o);
  t.is(count(svg, /<g class="network"/g), 4);
});

test("a duplicated datagram is a second arrow without a second label", async (t) => {
  const r = await runScenario("2 udp open 9\n1 udp open 7\n1 udp send {addr 2} 9 twice\nwait 5\n",
    { firmware: echoFirmware, link: { duplicate: 1 }, chart: {} });
  const [d] = datagrams(r.chart!);
  t.is(d!.outcomes.length, 2);
  const svg = renderSvg(r.chart!);
  t.is(count(svg, /<g class="msg"/g), 2);
  t.is(count(svg, /data-duplicate="true"/g), 1);
  t.is(count(svg, /<text class="label"/g), 1);
});

const record = (type: number, epoch: number, fragment: number[]) =>
  [type, 0xfe, 0xfd, epoch >> 8, epoch & 255, 0, 0, 0, 0, 0, 7, fragment.length >> 8, fragment.length & 255, ...fragment];

test("labels: plaintext alerts, fragmented handshakes, encrypted records, plain CoAP with Block and Observe", (t) => {
  t.deepEqual(labelDatagram(Uint8Array.from(record(21, 0, [2, 40]))), { kind: "dtls", text: "Alert fatal handshake_failure", detail: ["epoch 0 seq 7: Alert fatal handshake_failure, 2 B"] });
  const certFragment = [11, 0, 4, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0xaa, 0xbb];
  t.is(labelDatagram(Uint8Array.from(record(22, 0, certFragment))).text, "Certificate (fragment)");
  t.is(labelDatagram(Uint8Array.from(record(21, 1, [9, 9, 9]))).text, "Alert (encrypted)");
  t.is(labelDatagram(Uint8Array.from(record(23, 1, [9, 9, 9]))).text, "ApplicationData");
  const get = encodeMessage({
    type: 0, code: 1, messageId: 0x1234, token: Uint8Array.of(0xab, 0xcd),
    options: [{ number: 6, value: Uint8Array.of() }, { number: 11, value: Uint8Array.from([0x61]) }, { number: 11, value: Uint8Array.from([0x62]) }, { number: 23, value: Uint8Array.of(0x3a) }],
    payload: Uint8Array.of(),
  });
  t.deepEqual(labelDatagram(get), { kind: "coap", text: "CON GET MID 4660 tok abcd /a/b Observe 0 Block2 3/1/64", detail: ["plain UDP, 13 B"] });
  const put = encodeMessage({ type: 1, code: 3, messageId: 1, token: Uint8Array.of(), options: [{ number: 27, value: Uint8Array.of(0x1, 0x08) }], payload: new Uint8Array(16) });
  t.is(labelDatagram(put).text, "NON PUT MID 1 Block1 16/1/16 · 16 B");
  // The same bytes inside a DTLS application record, labelled from the plaintext handed over.
  t.is(labelDatagram(Uint8Array.from(record(23, 1, [1, 2, 3])), [put]).text, "NON PUT MID 1 Block1 16/1/16 · 16 B");
});

test("the HTML page is self-contained: the inline chart and every node's console, escaped", async (t) => {
  const r = await runScenario("1 udp open 7\n1 udp send {addr 2} 9 <script>alert(1)</script>\n2 coaps start\n", { firmware: echoFirmware, chart: { title: "t <1>" } });
  const html = renderHtml(r.chart!);
  t.true(html.startsWith("<!DOCTYPE html>"));
  t.is(count(html, /<svg /g), 1);
  t.false(/<script|src=|href=|@import|url\(http/i.test(html));
  t.deepEqual(html.match(/https?:\/\/[^"\s]*/g), ["http://www.w3.org/2000/svg"]);
  t.true(html.includes("<title>t &lt;1&gt;</title>"));
  t.is(count(html, /<section class="console"/g), 2);
  t.true(html.includes("&gt; udp send fdde:ad00:beef:0:0:0:0:2 9 &lt;script&gt;alert(1)&lt;/script&gt;\nDone\n"));
  t.false(html.includes("\r"));
});

test("the HTML consoles read as a terminal shows them: backspaces applied, CR LF as line ends", (t) => {
  t.is(terminalText("> coaps psk k iz\b \bd\r\nDone\r\n> "), "> coaps psk k id\nDone\n> ");
  t.is(terminalText("abc\rX\r\n\b\bq"), "Xbc\nq");
});

test("the chart's CoAP labels agree with tshark decrypting the same run's capture", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "msc-pcap-"));
  try {
    const pcap = join(dir, "w.pcap"), keyLog = join(dir, "w.keylog");
    const r = await runScenario(WALKTHROUGH, { chart: {}, capture: { pcap, keyLog } });
    const fromChart = datagrams(r.chart!).filter((e) => e.kind === "coaps").map((e) => {
      const m = /^(\w+) (\S+) MID (\d+) tok ([0-9a-f]+)/.exec(e.label)!;
      return `${e.time} ${m[1]} ${m[2]} ${m[3]} ${m[4]}`;
    });
    const shark = spawnSync("tshark", ["-r", pcap, "-o", `tls.keylog_file:${keyLog}`, "-Y", "coap", "-T", "fields", "-E", "separator=|",
      "-e", "frame.time_relative", "-e", "coap.type", "-e", "coap.code", "-e", "coap.mid", "-e", "coap.token"], { encoding: "utf8" });
    t.is(shark.status, 0, shark.stderr);
    const types = ["CON", "NON", "ACK", "RST"], methods = ["", "GET", "POST", "PUT", "DELETE"];
    const fromShark = shark.stdout.trim().split("\n").map((line) => {
      const [time, type, code, mid, token] = line.split("|") as [string, string, string, string, string];
      const c = Number(code);
      const name = c < 32 ? methods[c] : `${c >> 5}.${String(c & 31).padStart(2, "0")}`;
      return `${Math.round(Number(time) * 1000)} ${types[Number(type)]} ${name} ${mid} ${token}`;
    });
    t.is(fromChart.length, 6);
    t.deepEqual(fromChart, fromShark);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a run that throws still leaves its chart up to the failure", async (t) => {
  const error = await t.throwsAsync(runScenario("2 udp open 9\n1 udp open 7\n1 udp send {addr 2} 9 x\n1 udp open 7\n2 udp open 10\n",
    { firmware: echoFirmware, chart: {} }), { message: "port in use" });
  const chart = chartOfFailedRun(error);
  t.truthy(chart);
  t.deepEqual(datagrams(chart!).map((e) => `${e.from}>${e.to} ${e.label}`), ["1>2 UDP 1 B"]);
  t.deepEqual(chart!.events.filter((e) => e.type === "note" && e.kind === "input").map((e) => e.type === "note" && e.text),
    ["udp open 9", "udp open 7", "udp send fdde:ad00:beef:0:0:0:0:2 9 x", "udp open 7"]);
  t.is(chartOfFailedRun(await t.throwsAsync(runScenario("1 udp open 7\n1 udp open 7\n", { firmware: echoFirmware }))), undefined);
});
