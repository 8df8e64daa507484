import test from "ava";
import { XsnapWorker, XsUncaughtError, XsWorkerExitError, workerAlive } from "../../host-sim/xs/xsnap-driver.js";

// One worker for the file (spawning costs ~150 ms); the fatal-path tests need their own.
const calls: number[][] = [];
const worker = new XsnapWorker({
  name: "driver-test",
  onCommand: (bytes) => { calls.push([...bytes]); return Uint8Array.from(bytes, (b) => b * 2); },
});
test.after.always(() => worker.close());

test("an issueCommand from XS is served synchronously inside the delivery that made it", (t) => {
  worker.evaluate(`"use strict"; globalThis.handleCommand = (ab) => {
    const doubled = new Uint8Array(issueCommand(ab));
    return Uint8Array.from(doubled, (b) => b + 1).buffer;
  };`);
  const reply = worker.deliver(Uint8Array.of(1, 2, 3));
  t.deepEqual([...reply.bytes], [3, 5, 7]);
  t.deepEqual(calls.at(-1), [1, 2, 3]);
});

test("every delivery reports the worker's meter", (t) => {
  const before = worker.evaluate("globalThis.keep = []; 0").meter;
  const after = worker.evaluate("for (let i = 0; i < 500; i++) keep.push({ i }); 0").meter;
  t.true(before.currentHeapCount > 0);
  t.true(after.currentHeapCount >= before.currentHeapCount + 500, `${before.currentHeapCount} -> ${after.currentHeapCount}`);
  t.true(after.compute > 500);
});

test("an exception escaping a delivery rejects with XS's message and the worker lives on", (t) => {
  const error = t.throws(() => worker.evaluate(`throw new TypeError("no such thing")`), { instanceOf: XsUncaughtError });
  t.is(error?.message, "TypeError: no such thing");
  t.is(worker.evaluate(`"use strict"; 6 * 7`).meter.compute > 0, true);
});

test("a fatal error in XS (stack overflow) reports the exit code and leaves no process", (t) => {
  const doomed = new XsnapWorker({ name: "driver-test-overflow" });
  t.teardown(() => doomed.kill());
  const error = t.throws(() => doomed.evaluate("function f() { return f() + 1; } f();"), { instanceOf: XsWorkerExitError });
  t.is(error?.exitCode, 12);
  t.false(workerAlive(doomed.pid));
  t.throws(() => doomed.evaluate("1"), { instanceOf: XsWorkerExitError }, "a dead worker keeps refusing work");
});

test("a worker is stopped by PID on close", (t) => {
  const short = new XsnapWorker({ name: "driver-test-close" });
  t.true(workerAlive(short.pid));
  short.close(500);
  t.false(workerAlive(short.pid));
});

test("a missing worker binary gives the npm rebuild hint", (t) => {
  const error = t.throws(() => new XsnapWorker({ binary: "/nonexistent/xsnap-worker" }));
  t.regex(error?.message ?? "", /npm rebuild @agoric\/xsnap/);
});

test("a delivery cannot start inside another delivery to the same worker", (t) => {
  const nested = new XsnapWorker({
    name: "driver-test-nested",
    onCommand: () => { nested.deliver(new Uint8Array(1)); return new Uint8Array(0); },
  });
  t.teardown(() => nested.kill());
  nested.evaluate(`globalThis.handleCommand = (ab) => issueCommand(ab);`);
  t.throws(() => nested.deliver(new Uint8Array(1)), { message: /busy/ });
  t.false(workerAlive(nested.pid), "a worker left blocked in issueCommand is killed");
});

test("a worker whose parent is killed with SIGKILL exits by itself", async (t) => {
  const { spawn } = await import("node:child_process");
  const parent = spawn(process.execPath, ["--import", "tsx", new URL("./helpers/orphan-parent.ts", import.meta.url).pathname], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  t.teardown(() => { if (parent.exitCode === null) parent.kill("SIGKILL"); });
  const pid = await new Promise<number>((resolve, reject) => {
    parent.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim())));
    parent.once("exit", () => reject(new Error("parent exited before starting a worker")));
  });
  t.true(workerAlive(pid));
  parent.kill("SIGKILL");
  // The worker reads EOF on its command FIFO once no writer is left, and quits.
  for (let i = 0; i < 100 && workerAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  t.false(workerAlive(pid));
});

test("a delivery stuck in an endless loop ends at the meter limit instead of hanging", (t) => {
  const stuck = new XsnapWorker({ name: "driver-test-loop", meterLimit: 10_000_000 });
  t.teardown(() => stuck.kill());
  const error = t.throws(() => stuck.evaluate("for (;;) {}"), { instanceOf: XsWorkerExitError });
  t.is(error?.exitCode, 17);
  t.regex(error?.message ?? "", /compute meter limit/);
  t.false(workerAlive(stuck.pid));
});
