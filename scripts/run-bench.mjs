// Runs every benchmark (bench/<area>/*.bench.ts), one after another so they do not compete for
// the cores, each in `node --expose-gc --import tsx` (the harness calls gc() between contenders)
// and under the port lock (flock /tmp/coaps-ports.lock; set COAPS_PORT_LOCK_HELD=1 if the caller
// already holds it). Each benchmark reports through bench/harness.ts; the reports are collected
// into bench/results.json with the machine they ran on, and the README's figures table is
// regenerated from that file (bench/readme-table.ts).
//   npm run bench                 all areas
//   npm run bench -- codec dtls   only those areas (their entries in bench/results.json are replaced)
import { cpus, loadavg } from "node:os";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const RESULTS = "bench/results.json";
const PARTS = join(".tmp", "bench-parts");
const only = process.argv.slice(2);
const areas = readdirSync("bench", { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
for (const a of only) if (!areas.includes(a)) { console.error(`no benchmark area ${a} (have: ${areas.join(", ")})`); process.exit(2); }
const hasFlock = spawnSync("flock", ["--version"]).status === 0;
const lockHeld = process.env.COAPS_PORT_LOCK_HELD === "1";

const files = areas.filter((a) => !only.length || only.includes(a))
  .flatMap((a) => readdirSync(join("bench", a)).filter((f) => f.endsWith(".bench.ts")).sort().map((f) => join("bench", a, f)));
rmSync(PARTS, { recursive: true, force: true });
mkdirSync(PARTS, { recursive: true });

const started = Date.now();
const loadBefore = loadavg()[0];
const reports = [];
let failed = 0;
files.forEach((file, i) => {
  const part = join(PARTS, `${i}.json`);
  const elapsed = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`\n=== [${i + 1}/${files.length}] ${file} (${elapsed} s so far) ===`);
  const node = [process.execPath, "--expose-gc", "--import", "tsx", file];
  const [cmd, ...args] = hasFlock && !lockHeld ? ["flock", "/tmp/coaps-ports.lock", ...node] : node;
  const t0 = Date.now();
  const load0 = loadavg()[0];
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, BENCH_RESULTS: part } });
  console.log(`--- ${file}: ${r.status === 0 ? "done" : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (r.status !== 0 || !existsSync(part)) { failed++; return; }
  const ranAt = new Date().toISOString();
  reports.push({ file, ranAt, loadAverage: [Number(load0.toFixed(2)), Number(loadavg()[0].toFixed(2))], ...JSON.parse(readFileSync(part, "utf8")) });
});

const previous = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, "utf8")) : { benchmarks: [] };
const ids = new Set(reports.map((r) => r.id));
const benchmarks = only.length
  ? [...previous.benchmarks.filter((b) => !ids.has(b.id)), ...reports].sort((a, b) => a.file.localeCompare(b.file))
  : reports;
const summary = {
  machine: {
    date: new Date().toISOString(),
    cpus: cpus().length,
    model: cpus()[0]?.model ?? "unknown",
    node: process.version,
    loadAverage: [Number(loadBefore.toFixed(2)), Number(loadavg()[0].toFixed(2))],
    note: process.env.BENCH_NOTE ?? "",
  },
  benchmarks,
};
writeFileSync(RESULTS, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`\nwrote ${RESULTS} (${benchmarks.length} benchmarks) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
for (const b of benchmarks) for (const v of b.verdicts) console.log(`  ${v.pass ? "PASS" : "MISS"}: ${v.label}`);

const table = spawnSync(process.execPath, ["--import", "tsx", "bench/readme-table.ts", "--write"], { stdio: "inherit" });
if (table.status !== 0) failed++;
process.exit(failed ? 1 : 0);
