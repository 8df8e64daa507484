// Runs test files in a child ava with the firmware on a chosen engine (MODDABLE_COAPS_ENGINE,
// installed by use-xs-engine.mjs), and reads its TAP stream and the XS nodes' heap reports.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const AVA = join(ROOT, "node_modules/ava/entrypoints/cli.mjs");

export interface NestedResult {
  readonly passed: string[];
  readonly failed: string[];
  /** The TAP text of failed tests (their diagnostics), for the assertion message. */
  readonly failures: string;
  /** One line per XS node of every simulation (see xs-harness.ts). */
  readonly reports: string[];
  readonly exitCode: number | null;
}

/** The conformance test files, as paths relative to the repository. */
export function conformanceFiles(filter: RegExp = /^t\d\d-.*\.test\.ts$/): string[] {
  return readdirSync(join(ROOT, "test/conformance")).filter((f) => filter.test(f)).sort().map((f) => `test/conformance/${f}`);
}

export function runOnEngine(engine: string, files: readonly string[]): Promise<NestedResult> {
  const dir = mkdtempSync(join(tmpdir(), "xs-conformance-"));
  const reportFile = join(dir, "reports.txt");
  const child = spawn(process.execPath, [AVA, "--tap", "--node-arguments=--import=./test/xs/helpers/use-xs-engine.mjs", ...files], {
    cwd: ROOT,
    env: { ...process.env, MODDABLE_COAPS_ENGINE: engine, XS_LANE_REPORT: reportFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tap = "";
  child.stdout.on("data", (chunk: Buffer) => { tap += chunk.toString("utf8"); });
  child.stderr.on("data", (chunk: Buffer) => { tap += chunk.toString("utf8"); });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode) => {
      const passed: string[] = [], failed: string[] = [];
      let failures = "", inFailure = false;
      for (const line of tap.split("\n")) {
        if (/^ok \d+/.test(line)) { passed.push(line); inFailure = false; }
        else if (/^not ok \d+/.test(line)) { failed.push(line); inFailure = true; }
        if (inFailure) failures += `${line}\n`;
      }
      let reports: string[] = [];
      try { reports = readFileSync(reportFile, "utf8").split("\n").filter((l) => l !== ""); } catch { /* none */ }
      rmSync(dir, { recursive: true, force: true });
      if (passed.length + failed.length === 0) failures = tap.slice(-4000);
      resolve({ passed, failed, failures, reports, exitCode });
    });
  });
}

/** PIDs named in heap reports ("node 1 on XS (pid 123): ..."). */
export function reportedPids(reports: readonly string[]): number[] {
  return reports.map((l) => Number(/\(pid (\d+)\)/.exec(l)?.[1])).filter((p) => Number.isInteger(p));
}
