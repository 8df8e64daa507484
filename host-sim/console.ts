// A node's UART on the host. The firmware opens it through the platform SerialFactory (shaped
// like ECMA-419 embedded:io/serial, "buffer" format); the other end is a person (interactive
// mode) or a test (ScriptedConsole). Console bytes are kept as a latin1 string, one char per
// byte, so transcripts compare byte for byte.
import type { SerialFactory, SerialPort } from "../src/platform/serial.js";
import type { Timers } from "../src/platform/clock.js";
import { latin1Decode, latin1Encode } from "../src/bytes/text.js";

/** The host end of one node's UART. */
export class ConsoleWire {
  readonly #timers: Timers;
  /** Typed bytes the firmware has not read yet, as typed (read() joins them). */
  #input: Uint8Array[] = [];
  #inputLength = 0;
  // What the firmware wrote: joined on demand. Appending each write to one string would copy
  // the whole transcript per write on XS (flat strings; V8 builds ropes), and the simulation
  // runs on XS too (host-sim/xs/in-process/).
  #output = "";
  #unjoined: string[] = [];
  #onReadable: ((count: number) => void) | undefined;
  #notifyPending = false;
  readonly #listeners = new Set<(text: string) => void>();

  constructor(timers: Timers) {
    this.#timers = timers;
  }

  /** The SerialFactory the node's Platform gets. Opening it again replaces the earlier reader. */
  readonly serial: SerialFactory = (options) => {
    this.#onReadable = options.onReadable;
    const port: SerialPort = {
      write: (bytes) => this.#emit(latin1Decode(bytes)),
      read: () => {
        const chunks = this.#input;
        if (chunks.length === 0) return undefined;
        let bytes = chunks[0]!;
        if (chunks.length > 1) {
          bytes = new Uint8Array(this.#inputLength);
          let at = 0;
          for (let i = 0; i < chunks.length; i++) { bytes.set(chunks[i]!, at); at += chunks[i]!.length; }
        }
        this.#input = [];
        this.#inputLength = 0;
        return bytes;
      },
    };
    if (this.#input.length > 0) this.#scheduleNotify();
    return port;
  };

  /** Bytes typed at the terminal; the firmware hears about them from a timer, never synchronously. */
  type(bytes: Uint8Array | string): void {
    // A copy: the caller may reuse its array, and read() hands the chunk to the firmware.
    const b = typeof bytes === "string" ? latin1Encode(bytes) : bytes.slice();
    if (b.length === 0) return;
    this.#input.push(b);
    this.#inputLength += b.length;
    this.#scheduleNotify();
  }

  /** Everything the firmware wrote so far (CR LF and prompts included). */
  output(): string {
    if (this.#unjoined.length > 0) {
      this.#output += this.#unjoined.join("");
      this.#unjoined = [];
    }
    return this.#output;
  }

  /** Called with each chunk the firmware writes; returns an unsubscribe function. */
  onOutput(listener: (text: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(text: string): void {
    this.#unjoined.push(text);
    if (this.#listeners.size > 0) this.#listeners.forEach((l) => l(text));
  }

  #scheduleNotify(): void {
    // One notification per burst, as Moddable's serial driver posts one message per ISR batch.
    if (this.#notifyPending || !this.#onReadable) return;
    this.#notifyPending = true;
    this.#timers.set(() => {
      this.#notifyPending = false;
      if (this.#input.length > 0) this.#onReadable?.(this.#inputLength);
    }, 0);
  }
}

/** How a console makes time pass: on a virtual clock synchronously, or on the wall clock. */
export interface ConsoleDriver {
  /** Runs `fn` (typing) and then everything due at the current time. */
  inject(fn: () => void): void;
  /** Runs until `predicate` holds or `withinMs` passes (virtual runs synchronously). */
  runUntil(predicate: () => boolean, withinMs: number): boolean;
}

export class ExpectTimeout extends Error {
  constructor(what: string, withinMs: number, tail: string) {
    super(`expected ${what} within ${withinMs} ms; console ends with:\n${JSON.stringify(tail)}`);
    this.name = "ExpectTimeout";
  }
}

/** Expect-style console for tests: send a line, expect text, read the whole transcript. */
export class ScriptedConsole {
  readonly #wire: ConsoleWire;
  readonly #driver: ConsoleDriver;
  #cursor = 0;

  constructor(wire: ConsoleWire, driver: ConsoleDriver) {
    this.#wire = wire;
    this.#driver = driver;
  }

  /** Types `line` and CR, then runs everything that falls due at the current time. */
  send(line: string): void {
    this.type(`${line}\r`);
  }

  /** Types raw bytes (no CR added), then runs what falls due. */
  type(bytes: string | Uint8Array): void {
    this.#driver.inject(() => this.#wire.type(bytes));
  }

  /**
   * Waits (virtual ms) for `pattern` to appear after the previous match and returns the matched
   * text; throws ExpectTimeout with the console's tail otherwise.
   */
  expect(pattern: string | RegExp, withinMs = 0): string {
    let found: string | undefined;
    let checkedLength = -1;
    const check = (): boolean => {
      // runUntil asks after every timer; only new console output can change the answer.
      const output = this.#wire.output();
      if (output.length === checkedLength) return false;
      checkedLength = output.length;
      const rest = output.slice(this.#cursor);
      if (typeof pattern === "string") {
        const i = rest.indexOf(pattern);
        if (i < 0) return false;
        found = pattern;
        this.#cursor += i + pattern.length;
        return true;
      }
      const m = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(rest);
      if (!m) return false;
      found = m[0];
      this.#cursor += m.index + m[0].length;
      return true;
    };
    if (!this.#driver.runUntil(check, withinMs) || found === undefined) {
      throw new ExpectTimeout(String(pattern), withinMs, this.#wire.output().slice(-300));
    }
    return found;
  }

  /**
   * Real-time counterpart of expect: resolves with the match once it appears, rejects with
   * ExpectTimeout after `withinMs` of wall time.
   */
  waitFor(pattern: string | RegExp, withinMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const tryMatch = (): boolean => {
        const rest = this.#wire.output().slice(this.#cursor);
        const m = typeof pattern === "string"
          ? (rest.includes(pattern) ? { index: rest.indexOf(pattern), text: pattern } : undefined)
          : ((r) => (r ? { index: r.index, text: r[0] } : undefined))(new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(rest));
        if (!m) return false;
        this.#cursor += m.index + m.text.length;
        cleanup();
        resolve(m.text);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new ExpectTimeout(String(pattern), withinMs, this.#wire.output().slice(-300)));
      }, withinMs);
      const unsubscribe = this.#wire.onOutput(() => { tryMatch(); });
      const cleanup = () => { clearTimeout(timer); unsubscribe(); };
      tryMatch();
    });
  }

  /** A position in the transcript, for `transcript(since)` (e.g. after a common set-up). */
  mark(): number {
    return this.#wire.output().length;
  }

  /** All bytes the node's UART wrote (from `since`, a mark), as a latin1 string. */
  transcript(since = 0): string {
    return this.#wire.output().slice(since);
  }

  /** Output written since the last successful expect (or since the start). */
  unread(): string {
    return this.#wire.output().slice(this.#cursor);
  }
}
