// `npm start [-- <node-id>] [options]`: the interactive simulator (see interactive.ts).
import { runInteractive } from "./interactive.js";
import { MAX_NODE_ID, DEFAULT_BRIDGE_BASE_PORT } from "./bridge.js";
import { unwritableReason } from "./output-path.js";

const USAGE = `usage: npm start [-- <node-id>] [options]
  (no node id)         nodes 1 and 2 in this terminal; Ctrl-T switches consoles, Ctrl-C quits
  <node-id>            1-${MAX_NODE_ID}: this terminal is that node's console; run other nodes in
                       other terminals (npm start -- 2, ...); they talk over loopback UDP
options:
  --real               real sockets: the node's UDP port 5684 is a real port on ::1 and 127.0.0.1
  --port-offset <n>    with --real: real port = 5684 + n (default 0)
  --base-port <p>      node n's loopback bridge port is p + n (default ${DEFAULT_BRIDGE_BASE_PORT})
  --firmware <file>    run <file>'s startCoapsApp instead of src/app.ts
  --engine <spec>      xs, node, or per node: 1=xs,2=node (XS lane)
  --seed <n>           seed for the node RNGs and link randomness (default 1)
  --delay <ms> --jitter <ms> --loss <p>    simulated link settings (two-node session)
  --pcap <file> [--keylog <file>]          capture simulated traffic for Wireshark (keys: <file>.keylog)
  --msc <file.svg>     write a message sequence chart of the session when it ends (Ctrl-C)
  --html <file.html>   write the chart and each node's console as one HTML page when it ends
  --verbose            diagnostic lines (e.g. why coaps start failed) on the consoles too`;
function fail(message: string): never {
  process.stderr.write(`moddable-coaps simulator: ${message}\n`);
  process.exit(2);
}

function parse(argv: string[]) {
  const o = {
    nodeId: undefined as number | undefined, real: false, portOffset: 0, basePort: undefined as number | undefined,
    firmware: undefined as string | undefined, engine: undefined as string | undefined, seed: 1, pcap: undefined as string | undefined,
    keyLog: undefined as string | undefined, link: {} as Record<string, number>, verbose: false,
    msc: undefined as string | undefined, html: undefined as string | undefined,
  };
  const num = (flag: string, v: string | undefined, min: number, max: number): number => {
    const n = Number(v);
    if (v === undefined || v.trim() === "" || !Number.isFinite(n) || n < min || n > max) fail(`${flag} needs a number in ${min}..${max}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => argv[++i];
    switch (a) {
      case "-h": case "--help": process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      case "--real": o.real = true; break;
      case "--verbose": o.verbose = true; break;
      case "--port-offset": o.portOffset = num(a, next(), 0, 60000); break;
      case "--base-port": o.basePort = num(a, next(), 1024, 65535 - MAX_NODE_ID); break;
      case "--firmware": o.firmware = next() ?? fail("--firmware needs a file"); break;
      case "--engine": o.engine = next() ?? fail("--engine needs xs, node or 1=xs,2=node"); break;
      case "--seed": o.seed = num(a, next(), 0, 2 ** 53); break;
      case "--delay": o.link.delayMs = num(a, next(), 0, 1e7); break;
      case "--jitter": o.link.jitterMs = num(a, next(), 0, 1e7); break;
      case "--loss": o.link.loss = num(a, next(), 0, 1); break;
      case "--pcap": o.pcap = next() ?? fail("--pcap needs a file"); break;
      case "--keylog": o.keyLog = next() ?? fail("--keylog needs a file"); break;
      case "--msc": o.msc = next() ?? fail("--msc needs a file"); break;
      case "--html": o.html = next() ?? fail("--html needs a file"); break;
      default:
        if (a.startsWith("-")) fail(`unknown option ${a}\n${USAGE}`);
        if (o.nodeId !== undefined) fail(`one node id only (got ${o.nodeId} and ${a})`);
        if (!/^\d+$/.test(a) || Number(a) < 1 || Number(a) > MAX_NODE_ID) fail(`unknown node id "${a}": use 1-${MAX_NODE_ID}`);
        o.nodeId = Number(a);
    }
  }
  if (o.keyLog && !o.pcap) fail("--keylog needs --pcap");
  if (o.pcap && !o.keyLog) o.keyLog = `${o.pcap.replace(/\.pcap$/, "")}.keylog`;
  if (o.real && o.nodeId === undefined) fail("--real needs a node id (npm start -- 1 --real)");
  if (o.basePort !== undefined && o.real) fail("--base-port is for the loopback bridge, not --real");
  // Real sockets bypass the simulated network, so there would be nothing to draw.
  if ((o.msc || o.html) && o.real) fail("--msc and --html chart the simulated network, not --real sockets");
  for (const [flag, path] of [["--msc", o.msc], ["--html", o.html], ["--pcap", o.pcap], ["--keylog", o.keyLog]] as const) {
    const why = path === undefined ? undefined : unwritableReason(path);
    if (why !== undefined) fail(`${flag} ${path}: ${why}`);
  }
  return o;
}

const options = parse(process.argv.slice(2));
runInteractive(options).then(
  (code) => process.exit(code),
  (error: Error) => { process.stderr.write(`moddable-coaps simulator: ${error.message}\n`); process.exit(1); },
);
