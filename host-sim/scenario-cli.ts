// `npm run scenario -- <file> [options]`: runs a scenario (see scenario.ts) and prints each
// node's console. Exit 0 after a complete run, 2 for a bad command line or scenario, 1 when the
// firmware fails.
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { chartOfFailedRun, runScenario, ScenarioError, type ScenarioOptions } from "./scenario.js";
import type { Chart } from "./msc/recorder.js";
import { loadFirmware, starterFor } from "./firmware.js";
import type { LinkSettings } from "./sim-network.js";
import { renderHtml, renderSvg } from "./msc/render.js";
import { unwritableReason } from "./output-path.js";

const USAGE = `usage: npm run scenario -- <file> [options]
  --seed <n>            seed of the run (default 1): loss, jitter and node RNGs
  --delay <ms>          one-way link delay (default 0)
  --jitter <ms>         extra delay, uniform 0..ms (default 0)
  --loss <p>            datagram loss probability 0..1 (default 0)
  --duplicate <p>       duplication probability 0..1 (default 0)
  --reorder <p>         probability a datagram is overtaken by later ones (default 0)
  --firmware <file>     run <file>'s startCoapsApp instead of src/app.ts
  --engine <spec>       xs, node, or per node: 1=xs,2=node (XS lane)
  --pcap <file> [--keylog <file>]   capture the simulated traffic (DTLS keys: <file>.keylog)
  --msc <file.svg>      write a message sequence chart of the run (SVG)
  --html <file.html>    write the chart and every node's console as one HTML page
A scenario line is "<node> <text>" (types text + CR on node 1-32), "wait <ms>",
"loss <n> <m> <p>", "partition <ids> | <ids>", "heal", or "# comment";
{addr N} in text is node N's address fdde:ad00:beef:0:0:0:0:<N in hex>.`;

function usage(message: string): never {
  process.stderr.write(`scenario: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<number> {
  let file: string | undefined;
  let seed = 1, firmware: string | undefined, engine: string | undefined, pcap: string | undefined, keyLog: string | undefined;
  let svg: string | undefined, html: string | undefined;
  const link: { -readonly [K in keyof LinkSettings]?: LinkSettings[K] } = {};
  const num = (flag: string, v: string | undefined, max: number): number => {
    const n = Number(v);
    if (v === undefined || v.trim() === "" || !Number.isFinite(n) || n < 0 || n > max) usage(`${flag} needs a number in 0..${max}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = () => argv[++i];
    switch (a) {
      case "-h": case "--help": process.stdout.write(`${USAGE}\n`); return 0;
      case "--seed": seed = num(a, v(), 2 ** 53); break;
      case "--delay": link.delayMs = num(a, v(), 1e9); break;
      case "--jitter": link.jitterMs = num(a, v(), 1e9); break;
      case "--loss": link.loss = num(a, v(), 1); break;
      case "--duplicate": link.duplicate = num(a, v(), 1); break;
      case "--reorder": link.reorder = num(a, v(), 1); break;
      case "--firmware": firmware = v() ?? usage("--firmware needs a file"); break;
      case "--engine": engine = v() ?? usage("--engine needs xs, node or 1=xs,2=node"); break;
      case "--pcap": pcap = v() ?? usage("--pcap needs a file"); break;
      case "--keylog": keyLog = v() ?? usage("--keylog needs a file"); break;
      case "--msc": svg = v() ?? usage("--msc needs a file"); break;
      case "--html": html = v() ?? usage("--html needs a file"); break;
      default:
        if (a.startsWith("-")) usage(`unknown option ${a}`);
        if (file !== undefined) usage(`one scenario file only (got ${file} and ${a})`);
        file = a;
    }
  }
  if (file === undefined) usage("no scenario file given");
  if (keyLog && !pcap) usage("--keylog needs --pcap");
  // The key log goes beside the capture unless named: run.pcap -> run.keylog.
  if (pcap && !keyLog) keyLog = `${pcap.replace(/\.pcap$/, "")}.keylog`;
  for (const [flag, path] of [["--msc", svg], ["--html", html], ["--pcap", pcap], ["--keylog", keyLog]] as const) {
    const why = path === undefined ? undefined : unwritableReason(path);
    if (why !== undefined) usage(`${flag} ${path}: ${why}`);
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    usage(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const options: ScenarioOptions = {
    seed, link,
    ...(pcap ? { capture: { pcap, ...(keyLog ? { keyLog } : {}) } } : {}),
    ...(svg || html ? { chart: { title: `${basename(file)} (seed ${seed})` } } : {}),
  };
  let run: ScenarioOptions;
  if (engine !== undefined) {
    // The XS lane is loaded only when asked for: a Node-only run never needs xsnap.
    const { starterForEngines } = await import("./xs/engine-option.js");
    run = { ...options, firmware: "none", starterFor: await starterForEngines(engine, firmware) };
  } else {
    run = { ...options, firmware: starterFor(await loadFirmware(firmware)) };
  }
  const writeChart = (chart: Chart | undefined) => {
    if (chart && svg) writeFileSync(svg, renderSvg(chart));
    if (chart && html) writeFileSync(html, renderHtml(chart));
  };
  let result;
  try {
    result = await runScenario(text, run, file);
  } catch (error) {
    // A picture of the run up to the failure is what one wants to look at then.
    writeChart(chartOfFailedRun(error));
    throw error;
  }
  process.stdout.write(result.output);
  writeChart(result.chart);
  for (const r of result.reports) process.stderr.write(`${r}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    const bad = error instanceof ScenarioError || /^--engine|^cannot load firmware|does not export/.test(error.message);
    process.stderr.write(`scenario: ${bad ? error.message : (error.stack ?? error.message)}\n`);
    process.exit(bad ? 2 : 1);
  },
);
