// The chart files as a browser sees them: `npm run scenario -- FILE --msc x.svg --html x.html`,
// opened in headless Chromium (Debian's `chromium`, scripts/setup.sh installs it). The dumped
// DOM must hold one arrow and one label per datagram; the screenshot must show the arrows in
// their colours (a red cross for the lost datagram).
import test from "ava";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { inflateSync } from "node:zlib";
import { runScenarioCli } from "./helpers/run-tsx.js";

const dir = mkdtempSync(join(tmpdir(), "msc-browser-"));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

const runCli = (args: string[]) => runScenarioCli(args, 60_000);

/** Headless Chromium; as root it needs --no-sandbox. */
function chromium(...args: string[]): string {
  const r = spawnSync("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", ...args], { encoding: "utf8", timeout: 90_000 });
  if (r.error) throw new Error(`chromium: ${r.error.message} (apt-get install chromium; scripts/setup.sh)`);
  if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;
const labels = (dom: string) => [...dom.matchAll(/<text class="label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));

interface Png { width: number; height: number; rgba: Uint8Array }

/** Decodes an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes). */
function decodePng(bytes: Buffer): Png {
  if (bytes.subarray(0, 8).toString("hex") !== "89504e470d0a1a0a") throw new Error("not a PNG");
  let pos = 8, width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  while (pos < bytes.length) {
    const len = bytes.readUInt32BE(pos), type = bytes.toString("latin1", pos + 4, pos + 8);
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error("PNG: only 8-bit non-interlaced");
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      if (!channels) throw new Error(`PNG colour type ${data[9]}`);
    } else if (type === "IDAT") idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rgba = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = Uint8Array.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? line[i - channels]! : 0, b = prev[i]!, c = i >= channels ? prev[i - channels]! : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
      line[i] = (line[i]! + pred) & 255;
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 3; k++) rgba[(y * width + x) * 4 + k] = line[x * channels + k]!;
      rgba[(y * width + x) * 4 + 3] = channels === 4 ? line[x * channels + 3]! : 255;
    }
    prev = line;
  }
  return { width, height, rgba };
}

/** Pixels within a small distance of a colour (anti-aliased edges are not counted). */
function pixelsNear(png: Png, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  let n = 0;
  for (let i = 0; i < png.rgba.length; i += 4) {
    if (Math.abs(png.rgba[i]! - r) + Math.abs(png.rgba[i + 1]! - g) + Math.abs(png.rgba[i + 2]! - b) < 40) n++;
  }
  return n;
}

const EXPECTED_LABELS = [
  /^ClientHello$/, /^HelloVerifyRequest$/, /^ClientHello$/, /^ServerHello, ServerHelloDone$/,
  /^ClientKeyExchange, ChangeCipherSpec, Finished$/, /^ChangeCipherSpec, Finished$/,
  /^CON PUT MID \d+ tok [0-9a-f]{4} \/test-resource · 5 B$/, /^CON PUT MID \d+ tok [0-9a-f]{4} \/test-resource · 5 B$/,
  /^ACK 2\.03 MID \d+ tok [0-9a-f]{4}$/, /^CON GET MID \d+ tok [0-9a-f]{4} \/test-resource$/, /^ACK 2\.05 MID \d+ tok [0-9a-f]{4} · 1 B$/,
];

let files: Promise<{ svg: string; html: string }> | undefined;
/** Runs examples/retransmit.scenario once through the CLI, writing both files. */
function chartFiles(): Promise<{ svg: string; html: string }> {
  files ??= (async () => {
    const svg = join(dir, "run.svg"), html = join(dir, "run.html");
    const r = await runCli(["host-sim/examples/retransmit.scenario", "--msc", svg, "--html", html]);
    if (r.status !== 0) throw new Error(`scenario exited ${r.status}: ${r.stderr}`);
    if (!r.stdout.startsWith("=== node 1 ===\n")) throw new Error(`unexpected output ${r.stdout}`);
    return { svg, html };
  })();
  return files;
}

function assertChartDom(t: import("ava").ExecutionContext, dom: string): void {
  t.false(dom.includes("parsererror"), "the SVG parses as XML");
  t.is(count(dom, /<g class="lifeline"/g), 2);
  t.is(count(dom, /<g class="msg"/g), EXPECTED_LABELS.length);
  const texts = labels(dom);
  t.is(texts.length, EXPECTED_LABELS.length, texts.join("\n"));
  texts.forEach((text, i) => t.regex(text, EXPECTED_LABELS[i]!));
  t.is(count(dom, /data-outcome="loss"/g), 1);
  t.is(count(dom, /data-outcome="delivered"/g), EXPECTED_LABELS.length - 1);
  t.is(count(dom, /<path class="cross"/g), 1);
  t.is(count(dom, /<g class="network"/g), 2);
  // Every typed line is a note: 3 on node 1, 5 on node 2.
  t.is(count(dom, /<g class="note"[^>]*data-kind="input"/g), 8);
  t.true(count(dom, /<text class="time"/g) >= 4);
}

test.serial("Chromium loads the SVG: an arrow and a label per datagram, the lost one crossed", async (t) => {
  const { svg } = await chartFiles();
  assertChartDom(t, chromium("--dump-dom", pathToFileURL(svg).href));
});

test.serial("Chromium loads the HTML page: the same chart inline and both consoles", async (t) => {
  const { html } = await chartFiles();
  const dom = chromium("--dump-dom", pathToFileURL(html).href);
  assertChartDom(t, dom);
  t.is(count(dom, /<section class="console"/g), 2);
  t.regex(dom, /<pre>&gt; coaps psk secret123 id1\nDone\n/);
  t.true(dom.includes("coaps response from fdde:ad00:beef:0:0:0:0:1 with payload: 30\n"));
});

test.serial("the screenshots show the chart: handshake, CoAP and loss colours, not a blank page", async (t) => {
  const { svg, html } = await chartFiles();
  for (const [file, size] of [[svg, [1000, 900]], [html, [1200, 1400]]] as const) {
    const png = join(dir, `${file.endsWith("svg") ? "svg" : "html"}.png`);
    chromium(`--screenshot=${png}`, `--window-size=${size[0]},${size[1]}`, pathToFileURL(file).href);
    t.true(existsSync(png));
    const image = decodePng(readFileSync(png));
    t.deepEqual([image.width, image.height], [...size]);
    t.true(pixelsNear(image, "#6b4fa0") > 200, "purple handshake arrows");
    t.true(pixelsNear(image, "#0b5ea8") > 200, "blue CoAP arrows");
    t.true(pixelsNear(image, "#c0392b") > 30, "the red cross and dashes of the loss");
  }
});
