// Runs the whole ava suite and closes with the plain line CI reads: "N passed, N failed".
// ava's own summary is not that line, so we read its TAP stream.
import { spawn } from "node:child_process";

const args = ["ava", "--tap", ...process.argv.slice(2)];
const child = spawn("npx", ["--no-install", ...args], { stdio: ["ignore", "pipe", "inherit"] });
let passed = 0, failed = 0, skipped = 0, buffer = "";
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  buffer += chunk.toString("utf8");
  let nl;
  while ((nl = buffer.indexOf("\n")) >= 0) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    if (/^ok \d+/.test(line)) (/# SKIP|# TODO/.test(line) ? skipped++ : passed++);
    else if (/^not ok \d+/.test(line)) (/# TODO/.test(line) ? skipped++ : failed++);
  }
});
child.on("close", (code) => {
  // A crash of ava itself (no test lines) must not read as success.
  if (code !== 0 && failed === 0) failed = 1;
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
