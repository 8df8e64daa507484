// The Node side of a simulation that runs entirely inside one XS machine (entry.ts on
// runner.c): bundles the entry, starts the runner, and sends requests one line at a time.
//
//   const xs = await InProcessXsSim.open();
//   await xs.call({ op: "start", seed: 3, nodes: [{ id: 1 }, { id: 2 }] });
//   await xs.call({ op: "send", node: 1, line: "coaps start" });
//   xs.close();
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { type RunnerVariant, xsSimRunner } from "./build.js";
import type { InProcessRequest } from "./protocol.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * What the device build does for `Native(...)` and `native(...)` (xs-globals.d.ts), done for
 * this runner: a class extending Native(dtor) gets host objects with that destructor, and
 * `native("fn")` is the host function fn, resolved in the bundle's text as xsc resolves it
 * at build time, so a call is a property read and a call, not a lookup by name.
 */
const PRELUDE = `"use strict";
globalThis.Native = (destructor) => function NativeBase() { return Object.setPrototypeOf(__newHostObject(destructor), new.target.prototype); };
globalThis.native = (name) => { const fn = __natives[name]; if (fn === undefined) throw new Error("no native " + name); return fn; };
`;

const bundles = new Map<string, string>();
const DEFAULT_ENTRY = fileURLToPath(new URL("./entry.ts", import.meta.url));

/**
 * `entry` (default entry.ts) bundled as one strict IIFE script (ES2022, XS 13.3's level),
 * written under .tmp/; the path of the file.
 */
export function inProcessBundle(entry = DEFAULT_ENTRY): string {
  const done = bundles.get(entry);
  if (done !== undefined) return done;
  const result = buildSync({
    entryPoints: [entry],
    bundle: true, format: "iife", target: "es2022", platform: "neutral", write: false, logLevel: "silent",
  });
  const text = PRELUDE + result.outputFiles[0]!.text.replace(/\bnative\("(\w+)"\)/g, "__natives.$1");
  const dir = join(root, ".tmp/xs-sim-runner");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `bundle-${process.pid}-${bundles.size}.js`);
  writeFileSync(path, text);
  bundles.set(entry, path);
  return path;
}

export class InProcessXsSim {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #answers: Array<(line: string | undefined) => void> = [];
  #stderr = "";
  #exited = false;

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
    child.stderr.setEncoding("latin1").on("data", (text: string) => { this.#stderr = (this.#stderr + text).slice(-4000); });
    createInterface({ input: child.stdout }).on("line", (line) => this.#answers.shift()?.(line));
    child.on("exit", () => {
      this.#exited = true;
      for (const answer of this.#answers.splice(0)) answer(undefined);
    });
  }

  /**
   * `variant`: the runner build (build.ts; "measured" by default). `bundle`: another entry's
   * bundle (inProcessBundle(entry)), e.g. one that counts where the work goes.
   */
  static async open(options: { variant?: RunnerVariant; bundle?: string } = {}): Promise<InProcessXsSim> {
    const runner = await xsSimRunner(options.variant);
    return new InProcessXsSim(spawn(runner, [options.bundle ?? inProcessBundle()], { stdio: "pipe" }));
  }

  /** The runner's process id (for CPU accounting). */
  get pid(): number {
    return this.#child.pid!;
  }

  /** Sends one request and resolves with the entry's answer (rejects with the XS exception's message). */
  call<T = unknown>(request: InProcessRequest): Promise<T> {
    if (this.#exited) return Promise.reject(new Error(`xs-sim-runner has exited: ${this.#stderr}`));
    return new Promise<T>((resolve, reject) => {
      this.#answers.push((line) => {
        if (line === undefined) reject(new Error(`xs-sim-runner exited: ${this.#stderr}`));
        else if (line.startsWith(".")) resolve(JSON.parse(line.slice(1)) as T);
        else reject(new Error(`on XS: ${line.slice(1)}`));
      });
      this.#child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  /** Ends the machine (EOF on its input); resolves with its exit code once it is gone. */
  close(): Promise<number | null> {
    if (this.#exited) return Promise.resolve(this.#child.exitCode);
    return new Promise((resolve) => {
      this.#child.on("exit", (code) => resolve(code));
      this.#child.stdin.end();
    });
  }

  /** What the runner wrote on stderr (its last 4000 characters). */
  get stderr(): string {
    return this.#stderr;
  }
}
