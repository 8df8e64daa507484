// An output file the simulator cannot write (--msc, --html, --pcap, --keylog) is refused before
// the run, with one line and exit 2: not a stack trace after the whole run (scenario), nor a
// lost chart at Ctrl-C after a whole interactive session (npm start).
import test from "ava";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTsx } from "./helpers/run-tsx.js";


const run = (script: string, args: string[]) => runTsx(script, args, { stdin: "pipe" });

const dir = mkdtempSync(join(tmpdir(), "output-paths-"));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));
const scenario = join(dir, "ping.scenario");
writeFileSync(scenario, "1 coaps help\n");
const missing = join(dir, "no-such-dir", "run.svg");

for (const [option, path] of [["--msc", missing], ["--html", dir], ["--pcap", join(dir, "no-such-dir", "run.pcap")]] as const) {
  test(`npm run scenario -- FILE ${option} <unwritable> exits 2 before the run, naming the file`, async (t) => {
    const r = await run("host-sim/scenario-cli.ts", [scenario, option, path]);
    t.is(r.status, 2);
    t.regex(r.stderr, new RegExp(`^scenario: ${option} ${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: `));
    t.notRegex(r.stderr, /\n\s+at /, "no stack trace");
  });
}

test("npm start -- --msc <unwritable> refuses at once instead of losing the chart at Ctrl-C", async (t) => {
  const r = await run("host-sim/main.ts", ["--msc", missing]);
  t.is(r.status, 2);
  t.true(r.stderr.startsWith(`moddable-coaps simulator: --msc ${missing}: `), r.stderr);
});
