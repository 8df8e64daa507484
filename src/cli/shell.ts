// The console line discipline of OpenThread's UART CLI (spec §1.1–§1.3).
//
// Theory of operation: bytes arrive in chunks from the Serial port. Every byte except CR, LF,
// backspace and DEL is echoed as it arrives (while the 639-character buffer has room); CR or
// LF ends the line, which is echoed as CR LF and run at once, so a command's output follows
// its echo and the result line plus `> ` close it. Asynchronous lines (`line()` between
// commands) are written as they happen with no prompt after them: that is why an event shows
// up right after a pending `> ` and why the next command is echoed at the start of a line.

import { OtError, otErrorText } from "../coaps/ot-error.js";
import { tokenize } from "./tokenize.js";
import { latin1Decode, latin1Encode } from "../bytes/text.js";

/** Where command handlers and event printers write whole lines (CR LF is added). */
export interface Output {
  line(text: string): void;
}

/** A top-level command: gets its arguments (command word removed), returns the result. */
export type CommandHandler = (args: readonly string[], out: Output) => OtError;

/** Receive buffer size 640: 639 characters plus the C string's NUL (spec §1.1). */
export const RX_BUFFER_CHARS = 639;
/** Lines of this many characters or more fail with Parse (simulation/posix value, §1.2). */
export const MAX_LINE_LENGTH = 640;

const CR = 0x0d, LF = 0x0a, BS = 0x08, DEL = 0x7f;
const CRLF = new Uint8Array([CR, LF]);
const ERASE = new Uint8Array([BS, 0x20, BS]);
const PROMPT = new Uint8Array([0x3e, 0x20]);
/** The result line of every command that succeeds, encoded once. */
const DONE = latin1Encode("Done\r\n");
const HELP = "help";

/** The bytes that are not stored and echoed as typed: CR, LF, backspace, DEL. */
const CONTROL_CHARS: readonly string[] = Object.freeze(["\r", "\n", "\b", "\x7f"]);

/** Index of the first control char in `text` at or after `from`; the text's length if none. */
function nextControl(text: string, from: number): number {
  let first = text.length;
  for (let k = 0; k < CONTROL_CHARS.length; k++) {
    const at = text.indexOf(CONTROL_CHARS[k]!, from);
    if (at >= 0 && at < first) first = at;
  }
  return first;
}

export interface ShellWriter {
  write(bytes: Uint8Array): void;
}

export class Shell implements Output {
  readonly #port: ShellWriter;
  readonly #commands: ReadonlyMap<string, CommandHandler>;
  /** The receive buffer: the line typed so far, one char per byte (at most RX_BUFFER_CHARS). */
  #rx = "";
  #lastByte = 0;

  constructor(port: ShellWriter, commands: Iterable<readonly [string, CommandHandler]>) {
    this.#port = port;
    this.#commands = new Map(commands);
  }

  /** Prints the start-up prompt (spec §1.3: once at start-up). */
  start(): void {
    this.#port.write(PROMPT);
  }

  /** Writes one line ending in CR LF; used for command output and asynchronous lines alike. */
  line(text: string): void {
    this.#port.write(latin1Encode(`${text}\r\n`));
  }

  /** Feeds bytes received on the UART. */
  input(bytes: Uint8Array): void {
    // As text (one char per byte, same indices), the control bytes are found by the engine's
    // string search: a loop over the bytes costs an interpreter ~30 operations per byte.
    const text = latin1Decode(bytes);
    const n = text.length;
    let i = 0;
    while (i < n) {
      // A run of ordinary bytes is stored and echoed in one piece.
      const end = nextControl(text, i);
      if (end > i) {
        this.#lastByte = bytes[end - 1]!;
        const stored = Math.min(end - i, RX_BUFFER_CHARS - this.#rx.length); // the rest is dropped silently, not echoed
        if (stored > 0) {
          this.#rx += text.slice(i, i + stored);
          // A copy: a UART driver may queue what it is given, and the input buffer can be reused.
          this.#port.write(bytes.slice(i, i + stored));
        }
        i = end;
        continue;
      }
      const b = bytes[i++]!;
      const last = this.#lastByte;
      this.#lastByte = b;
      if (b === LF && last === CR) continue;
      if (b === CR || b === LF) {
        this.#port.write(CRLF);
        this.#endLine();
      } else if (this.#rx.length > 0) { // BS or DEL
        this.#rx = this.#rx.slice(0, -1);
        this.#port.write(ERASE);
      }
    }
  }

  #endLine(): void {
    const text = this.#rx;
    this.#rx = "";
    // The C buffer is a NUL-terminated string: a typed NUL ends the line there.
    const nul = text.indexOf("\0");
    this.runLine(nul >= 0 ? text.slice(0, nul) : text);
  }

  /** Interprets one line (without its line end) and prints the result line and prompt. */
  runLine(text: string): void {
    let error: OtError;
    if (text.length >= MAX_LINE_LENGTH) {
      error = OtError.Parse;
    } else {
      const tokens = tokenize(text);
      if (typeof tokens === "number") {
        error = tokens;
      } else if (tokens.length === 0) {
        this.#port.write(PROMPT);
        return;
      } else {
        const word = tokens[0]!;
        const handler = this.#commands.get(word);
        if (handler !== undefined) error = this.#run(handler, tokens.slice(1));
        else if (word === HELP) error = this.#help();
        else error = OtError.InvalidCommand;
      }
    }
    if (error === OtError.None) this.#port.write(DONE);
    else this.line(`Error ${otErrorText(error)}`);
    this.#port.write(PROMPT);
  }

  /**
   * Top-level `help`, as OpenThread's Interpreter::ProcessCommand answers it when no command of
   * that name exists: each command name on its own line in table (sorted) order, then Done.
   * `help` itself is not in the table, so it is not listed; arguments are ignored.
   */
  #help(): OtError {
    for (const name of [...this.#commands.keys()].sort()) this.line(name);
    return OtError.None;
  }

  /** A handler that throws (a bug) must not take the console down: it answers Failed. */
  #run(handler: CommandHandler, args: readonly string[]): OtError {
    try {
      return handler(args, this);
    } catch {
      return OtError.Failed;
    }
  }
}
