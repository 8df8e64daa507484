// The console line discipline of OpenThread's UART CLI (spec §1.1–§1.3).
//
// Theory of operation: bytes arrive in chunks from the Serial port. Every byte except CR, LF,
// backspace and DEL is echoed as it arrives (while the 639-character buffer has room); CR or
// LF ends the line, which is echoed as CR LF and run at once, so a command's output follows
// its echo and the result line plus `> ` close it. Asynchronous lines (`line()` between
// commands) are written as they happen with no prompt after them: that is why an event shows
// up right after a pending `> ` and why the next command is echoed at the start of a line.
//
// What one input() produces (echo, CR LF, the command's lines, its result line, `> `) leaves in
// one write at its end: the same bytes in the same order, but one UART write (and one text
// conversion) per typed chunk instead of one per piece; on XS each write is a native call.
// Lines written between inputs (events) go out at once, as before.

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

const CR = 0x0d, LF = 0x0a;
const CRLF = "\r\n";
const ERASE = "\b \b";
const PROMPT = "> ";
const PROMPT_BYTES = latin1Encode(PROMPT);
/** The result line of every command that succeeds. */
const DONE = "Done\r\n";
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
  /** While input() runs: what it has written so far (one char per byte), sent when it returns. */
  #batch: string | undefined;

  constructor(port: ShellWriter, commands: Iterable<readonly [string, CommandHandler]>) {
    this.#port = port;
    this.#commands = new Map(commands);
  }

  /** Prints the start-up prompt (spec §1.3: once at start-up). */
  start(): void {
    this.#port.write(PROMPT_BYTES);
  }

  /** Writes one line ending in CR LF; used for command output and asynchronous lines alike. */
  line(text: string): void {
    this.#write(`${text}\r\n`);
  }

  /** Feeds bytes received on the UART. */
  input(bytes: Uint8Array): void {
    if (this.#batch !== undefined) { this.#input(bytes); return; } // a command fed input: same batch
    this.#batch = "";
    try {
      this.#input(bytes);
    } finally {
      const out = this.#batch;
      this.#batch = undefined;
      if (out.length > 0) this.#port.write(latin1Encode(out));
    }
  }

  /** Text of one char per byte to the UART: now, or with the rest of the current input. */
  #write(text: string): void {
    if (this.#batch !== undefined) this.#batch += text;
    else this.#port.write(latin1Encode(text));
  }

  #input(bytes: Uint8Array): void {
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
          const typed = text.slice(i, i + stored);
          this.#rx += typed;
          this.#write(typed);
        }
        i = end;
        continue;
      }
      const b = bytes[i++]!;
      const last = this.#lastByte;
      this.#lastByte = b;
      if (b === LF && last === CR) continue;
      if (b === CR || b === LF) {
        this.#write(CRLF);
        this.#endLine();
      } else if (this.#rx.length > 0) { // BS or DEL
        this.#rx = this.#rx.slice(0, -1);
        this.#write(ERASE);
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
        this.#write(PROMPT);
        return;
      } else {
        const word = tokens[0]!;
        const handler = this.#commands.get(word);
        if (handler !== undefined) error = this.#run(handler, tokens.slice(1));
        else if (word === HELP) error = this.#help();
        else error = OtError.InvalidCommand;
      }
    }
    this.#write(error === OtError.None ? `${DONE}${PROMPT}` : `Error ${otErrorText(error)}\r\n${PROMPT}`);
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
