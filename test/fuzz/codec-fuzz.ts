// `npm run fuzz [count] [seed]` (or FUZZ_COUNT / FUZZ_SEED): default 1,000,000 datagrams.
// Exits non-zero when anything other than CoapParseError escapes or a check fails.
import { fuzzCodec } from "./codec-fuzz-core.js";

const count = Number(process.argv[2] ?? process.env.FUZZ_COUNT ?? 1_000_000);
const seed = Number(process.argv[3] ?? process.env.FUZZ_SEED ?? ((Date.now() ^ (process.pid << 16)) >>> 0));
const started = performance.now();
const report = fuzzCodec(count, seed);
const seconds = (performance.now() - started) / 1000;
console.log(`codec fuzz: ${report.count} datagrams, seed ${seed}, ${seconds.toFixed(1)} s`);
console.log(`  decoded ${report.decoded}, rejected ${report.count - report.decoded}:`, report.rejected);
console.log(`  endpoint events: ${report.endpointEvents}`);
for (const f of report.failures) console.log(`  FAILURE ${f}`);
console.log(report.failures.length === 0 ? "codec fuzz: OK" : `codec fuzz: ${report.failures.length} failure(s)`);
process.exit(report.failures.length === 0 ? 0 : 1);
