// bench/xs/meter-in-process.ts counts XS instructions per GET with a metering build of the
// in-process runner. A tool that silently stopped counting (a runner without the meter, a
// wrapper that no longer reaches the methods) would mislead whoever tunes the firmware with it.
import test from "ava";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

test("the meter counts a plausible number of instructions per GET and sees each method called as often as it is", async (t) => {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "bench/xs/meter-in-process.ts", "40"], { maxBuffer: 1 << 22 });
  const total = Number(/XS instructions per GET \(both nodes and the simulator\): (\d+)/.exec(stdout)?.[1]);
  // About 20,000 today: far fewer would mean the meter misses the interpreter's work, far more a runaway.
  t.true(total > 5_000 && total < 100_000, `per GET: ${total}`);
  const row = (name: string) => new RegExp(`^\\s+${name.replace(".", "\\.")}\\s+(-?\\d+)\\s+(\\d+)\\s+([\\d.]+)$`, "m").exec(stdout);
  // One typed line and one response per GET on the client; two datagrams through the network.
  t.is(row("Shell.input")?.[3], "1.00", stdout);
  t.is(row("sim:SimNetwork.send")?.[3], "2.00", stdout);
  t.regex(stdout, /own instructions in simulator methods \d+, in firmware methods \d+/);
});
