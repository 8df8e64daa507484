// Our own driver for xsnap-worker (the XS engine from @agoric/xsnap): spawns it and speaks its
// netstring protocol on fds 3 (to the worker) and 4 (from it). No SES, no @endo.
//
// Synchronous by design. The simulator runs nodes on a virtual clock and calls a node's
// callbacks synchronously; a node on XS must answer within that same call, or virtual time and
// event order would differ from a node on Node. So fds 3/4 are FIFOs opened with blocking IO
// and each delivery runs to completion inside `deliver`: every XS -> host issueCommand in it is
// served by `onCommand` right there. Being synchronous is also the baton: one thing at a time
// per worker, and a nested delivery into a busy worker throws instead of corrupting the stream.
//
// The worker's stdout (print) and stderr go to files, never to a pipe that could fill while we
// block. A worker is stopped by PID ('q', then SIGKILL after a timeout), and every worker still
// alive when the process exits is killed, so none is left behind, also when a test fails.
import { spawn, execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const XSNAP_WORKER = fileURLToPath(new URL(
  "../../node_modules/@agoric/xsnap/xsnap-native/xsnap/build/bin/lin/release/xsnap-worker", import.meta.url));

/** The worker's meter after a delivery (xsnap's `.` reply). Heap counts are 64-bit slots. */
export interface XsMeter {
  readonly currentHeapCount: number;
  readonly compute: number;
  readonly allocate: number;
}

export interface XsReply {
  readonly meter: XsMeter;
  readonly bytes: Uint8Array;
}

/** An exception escaped to the top of an `e`/`?` delivery (xsnap's `!` reply: String(error)). */
export class XsUncaughtError extends Error {
  override readonly name = "XsUncaughtError";
}

/** The worker died or broke the protocol; carries its exit status and stderr. */
export class XsWorkerExitError extends Error {
  override readonly name = "XsWorkerExitError";
  constructor(message: string, readonly exitCode: number | undefined, readonly stderr: string) {
    super(`${message}${exitCode === undefined ? "" : ` (exit code ${exitCode})`}${stderr ? `\n--- xsnap stderr ---\n${stderr}` : ""}`);
  }
}

export interface XsWorkerOptions {
  /** Serves one XS -> host issueCommand; the returned bytes become XS's ArrayBuffer. The bytes passed in are only valid during the call. */
  onCommand?: (bytes: Uint8Array) => Uint8Array;
  /** Worker name (shows in `ps`). */
  name?: string;
  /**
   * xsnap `-l`: compute meter limit per delivery; the worker exits (17) when exceeded. Default
   * DEFAULT_METER_LIMIT: a firmware stuck in a loop must end the delivery (and its worker)
   * instead of blocking this process, or outliving it (a busy worker never sees EOF). 0 = none.
   */
  meterLimit?: number;
  /** Path of the xsnap-worker binary (default: the one the npm package builds). */
  binary?: string;
}

/** About 10 s of XS work in one delivery; the heaviest conformance delivery needs ~0.1 %. */
export const DEFAULT_METER_LIMIT = 200_000_000;
const EXIT_METER = 17;

const live = new Set<XsnapWorker>();
process.on("exit", () => { for (const w of live) w.kill(); });

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void { Atomics.wait(sleepCell, 0, 0, ms); }

/** True while the process exists and is not a zombie. */
export function workerAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Exit code of a zombie child from /proc (field 52, a wait status), if the kernel has it. */
function zombieExitCode(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] !== "Z") return undefined;
    const status = Number(fields[49]);
    return Number.isFinite(status) ? (status & 0x7f ? 128 + (status & 0x7f) : status >> 8) : undefined;
  } catch {
    return undefined;
  }
}

export class XsnapWorker {
  readonly pid: number;
  readonly #stdout: number;
  readonly #stderr: number;
  readonly #onCommand: (bytes: Uint8Array) => Uint8Array;
  #toWorker = -1;
  #fromWorker = -1;
  #in = Buffer.allocUnsafe(65536);
  #start = 0;
  #end = 0;
  #out = Buffer.allocUnsafe(4096);
  #busy = false;
  #dead: XsWorkerExitError | undefined;

  /** Spawns a worker and waits until it is ready. Throws a clear error if the binary is missing. */
  constructor(options: XsWorkerOptions = {}) {
    const binary = options.binary ?? XSNAP_WORKER;
    if (!existsSync(binary)) {
      throw new Error(`xsnap-worker not found at ${binary}. It is built by the install script of ` +
        "@agoric/xsnap; run `npm rebuild @agoric/xsnap` (needs cc and make).");
    }
    this.#onCommand = options.onCommand ?? (() => { throw new Error("this worker serves no issueCommand"); });
    const dir = mkdtempSync(join(tmpdir(), "xsnap-"));
    const [toWorker, fromWorker, log, err] = ["in", "out", "stdout", "stderr"].map((f) => join(dir, f)) as [string, string, string, string];
    execFileSync("mkfifo", [toWorker, fromWorker]);
    // Our own read ends of the worker's output files: the directory is removed once the worker
    // is up, so nothing is left on disk even if this process is SIGKILLed.
    writeFileSync(log, "");
    writeFileSync(err, "");
    this.#stdout = openSync(log, "r");
    this.#stderr = openSync(err, "r");
    const limit = Math.floor(options.meterLimit ?? DEFAULT_METER_LIMIT);
    const args = [options.name ?? "moddable-coaps", ...(limit > 0 ? ["-l", String(limit)] : [])];
    // The shell opens the FIFOs in the same order as we do below, then becomes the worker.
    const child = spawn("/bin/sh", ["-c", 'exec "$0" "$@" 3<"$XS_IN" 4>"$XS_OUT" 1>>"$XS_LOG" 2>>"$XS_ERR"', binary, ...args], {
      stdio: "ignore",
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", TZ: "UTC", XS_IN: toWorker, XS_OUT: fromWorker, XS_LOG: log, XS_ERR: err },
    });
    if (child.pid === undefined) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error("could not spawn xsnap-worker");
    }
    child.unref();
    this.pid = child.pid;
    live.add(this);
    try {
      this.#toWorker = openSync(toWorker, "w");
      this.#fromWorker = openSync(fromWorker, "r");
      this.#send("R");
      const ready = this.#receive();
      if (ready.toString("latin1") !== ".") this.#fail(`unexpected ready reply ${JSON.stringify(ready.toString("latin1"))}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Evaluates a script (global indirect eval). Strict only if it starts with "use strict". */
  evaluate(source: string): XsReply {
    return this.#exchange("e", Buffer.from(source, "utf8"));
  }

  /** Calls XS's globalThis.handleCommand with a copy of `bytes` as an ArrayBuffer. */
  deliver(bytes: Uint8Array): XsReply {
    return this.#exchange("?", bytes);
  }

  /** Writes a heap snapshot (xsnap `w`; it collects garbage first). */
  snapshot(path: string): XsReply {
    return this.#exchange("w", Buffer.from(path, "utf8"));
  }

  /** The worker's `print` output so far. */
  printed(): string {
    return readAll(this.#stdout);
  }

  get busy(): boolean { return this.#busy; }
  get closed(): boolean { return this.#dead !== undefined; }

  /** Asks the worker to quit, then SIGKILLs it by PID after `timeoutMs`. Repeatable. */
  close(timeoutMs = 1000): void {
    if (this.#dead === undefined && !this.#busy) {
      try { this.#send("q"); } catch { /* already gone */ }
    }
    const deadline = Date.now() + timeoutMs;
    while (workerAlive(this.pid) && Date.now() < deadline) sleepMs(2);
    this.kill();
  }

  /** SIGKILL by PID and release the FIFOs. Repeatable. */
  kill(): void {
    if (workerAlive(this.pid)) {
      try { process.kill(this.pid, "SIGKILL"); } catch { /* raced with its exit */ }
      // SIGKILL is not instant; callers (and tests) may check the PID right after.
      for (let i = 0; i < 250 && workerAlive(this.pid); i++) sleepMs(2);
    }
    this.#dead ??= new XsWorkerExitError("xsnap worker was closed", undefined, "");
    if (live.delete(this)) {
      for (const fd of [this.#toWorker, this.#fromWorker, this.#stdout, this.#stderr]) {
        if (fd >= 0) { try { closeSync(fd); } catch { /* closed */ } }
      }
    }
  }

  #exchange(kind: string, payload: Uint8Array): XsReply {
    if (this.#dead) throw this.#dead;
    if (this.#busy) throw new Error("xsnap worker is busy: a delivery cannot start inside another (no re-entrancy)");
    this.#busy = true;
    try {
      this.#send(kind, payload);
      for (;;) {
        const message = this.#receive();
        const tag = message[0];
        if (tag === 0x3f /* ? */) {
          let reply: Uint8Array;
          try {
            // A plain Uint8Array view (Buffer's slice() would not copy), valid during the call.
            reply = this.#onCommand(new Uint8Array(message.buffer, message.byteOffset + 1, message.length - 1));
          } catch (error) {
            // XS is blocked waiting for this reply; with no answer we can only end it.
            this.kill();
            throw error;
          }
          this.#send("/", reply);
        } else if (tag === 0x2e /* . */) {
          return parseOkay(message);
        } else if (tag === 0x21 /* ! */) {
          throw new XsUncaughtError(message.subarray(1).toString("utf8"));
        } else {
          this.#fail(`unexpected message kind ${JSON.stringify(String.fromCharCode(tag ?? 0))}`);
        }
      }
    } finally {
      this.#busy = false;
    }
  }

  // Frames are built in one reused buffer and written with a single write.
  #send(kind: string, payload: Uint8Array = EMPTY): void {
    const head = `${payload.length + 1}:${kind}`;
    const size = head.length + payload.length + 1;
    if (this.#out.length < size) this.#out = Buffer.allocUnsafe(Math.max(size, this.#out.length * 2));
    const frame = this.#out;
    frame.write(head, 0, "latin1");
    frame.set(payload, head.length);
    frame[size - 1] = 0x2c;
    let done = 0;
    try {
      while (done < size) done += writeSync(this.#toWorker, frame, done, size - done);
    } catch (error) {
      this.#fail(`cannot write to xsnap worker: ${(error as Error).message}`);
    }
  }

  // Reads go into one reused buffer; [#start, #end) holds bytes not yet parsed. A message is
  // returned as a view into it, valid until the next read (callers copy what they keep).
  #receive(): Buffer {
    for (;;) {
      const inbox = this.#in.subarray(this.#start, this.#end);
      const colon = inbox.indexOf(0x3a);
      if (colon > 0) {
        const length = Number(inbox.toString("latin1", 0, colon));
        if (!Number.isInteger(length)) this.#fail("bad netstring length from xsnap worker");
        const end = colon + 1 + length;
        if (inbox.length > end) {
          if (inbox[end] !== 0x2c) this.#fail("bad netstring trailer from xsnap worker");
          this.#start += end + 1;
          return inbox.subarray(colon + 1, end);
        }
        if (colon + 2 + length > this.#in.length) this.#grow(colon + 2 + length);
      }
      if (this.#start === this.#end) this.#start = this.#end = 0;
      else if (this.#end === this.#in.length) this.#grow(this.#end - this.#start);
      let n: number;
      try {
        n = readSync(this.#fromWorker, this.#in, this.#end, this.#in.length - this.#end, null);
      } catch (error) {
        this.#fail(`cannot read from xsnap worker: ${(error as Error).message}`);
      }
      if (n === 0) this.#fail("xsnap worker exited");
      this.#end += n;
    }
  }

  /** Moves the unparsed bytes to the front of a buffer with room for `need` bytes. */
  #grow(need: number): void {
    const pending = this.#in.subarray(this.#start, this.#end);
    const size = Math.max(this.#in.length, need + 1);
    const next = size > this.#in.length ? Buffer.allocUnsafe(size * 2) : this.#in;
    next.set(pending, 0);
    this.#in = next;
    this.#end = pending.length;
    this.#start = 0;
  }

  #fail(reason: string): never {
    let message = reason;
    // The worker closed its end, so it is exiting: give it a moment to become a zombie.
    for (let i = 0; i < 100 && workerAlive(this.pid); i++) sleepMs(2);
    const exitCode = zombieExitCode(this.pid);
    if (exitCode === EXIT_METER) message += ": a delivery exceeded the compute meter limit (endless loop?)";
    const stderr = readAll(this.#stderr).slice(-4000);
    const error = new XsWorkerExitError(message, exitCode, stderr);
    this.kill();
    this.#dead = error;
    throw error;
  }
}

const EMPTY = new Uint8Array(0);

/** The whole content of a file we hold open (its name may be gone), or "" once closed. */
function readAll(fd: number): string {
  const chunks: Buffer[] = [];
  try {
    for (let at = 0; ; ) {
      const chunk = Buffer.allocUnsafe(65536);
      const n = readSync(fd, chunk, 0, chunk.length, at);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      at += n;
    }
  } catch { /* closed */ }
  return Buffer.concat(chunks).toString("utf8");
}

function parseOkay(message: Buffer): XsReply {
  if (message.length === 1) return { meter: { currentHeapCount: 0, compute: 0, allocate: 0 }, bytes: new Uint8Array(0) };
  const sep = message.indexOf(1);
  const meterEnd = sep < 0 ? message.length : sep;
  const meter = JSON.parse(message.subarray(1, meterEnd).toString("latin1")) as XsMeter;
  return {
    meter: { currentHeapCount: meter.currentHeapCount, compute: meter.compute, allocate: meter.allocate },
    bytes: sep < 0 ? new Uint8Array(0) : new Uint8Array(message.subarray(sep + 1)),
  };
}
