// Runs every benchmark (bench/<area>/*.bench.ts), one after another so they do not compete
// for the two cores. `npm run bench -- codec dtls` runs only those areas.
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const only = process.argv.slice(2);
const areas = readdirSync("bench", { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
let failed = 0;
for (const area of areas) {
  if (only.length && !only.includes(area)) continue;
  const dir = join("bench", area);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".bench.ts")).sort()) {
    console.log(`\n=== ${join(dir, file)} ===`);
    const r = spawnSync("npx", ["--no-install", "tsx", join(dir, file)], { stdio: "inherit" });
    if (r.status !== 0) failed++;
  }
}
if (!existsSync("bench")) console.log("no benchmarks");
process.exit(failed ? 1 : 0);
