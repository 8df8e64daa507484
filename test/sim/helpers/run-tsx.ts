// Runs one of the simulator's command-line entries (host-sim/*.ts) as `npm run` would, from the
// repository root, and collects its exit status and output; killed after `timeoutMs`.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));

export interface CliRun { readonly status: number | null; readonly stdout: string; readonly stderr: string }

/** `stdin: "pipe"` keeps an interactive entry (npm start) from seeing an end of input at once. */
export function runTsx(script: string, args: readonly string[], options: { timeoutMs?: number; stdin?: "ignore" | "pipe" } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: root, stdio: [options.stdin ?? "ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout!.on("data", (d: Buffer) => { stdout += d.toString("latin1"); });
    child.stderr!.on("data", (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill(), options.timeoutMs ?? 30_000);
    child.on("close", (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

/** `npm run scenario -- <args>`. */
export const runScenarioCli = (args: readonly string[], timeoutMs?: number): Promise<CliRun> =>
  runTsx("host-sim/scenario-cli.ts", args, timeoutMs === undefined ? {} : { timeoutMs });
