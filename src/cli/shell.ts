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
const HELP = "help";

export interface ShellWriter {
  write(bytes: Uint8Array): void;
}

export class Shell implements Output {
  readonly #port: ShellWriter;
  readonly #commands: ReadonlyMap<string, CommandHandler>;
  readonly #rx = new Uint8Array(RX_BUFFER_CHARS);
  #rxLength = 0;
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
    // The per-byte loop keeps the buffer state in locals (stored back around #endLine): on XS
    // every private-field access is a lookup and every `bytes.length` a native call.
    const rx = this.#rx;
    const n = bytes.length;
    let rxLength = this.#rxLength;
    let last = this.#lastByte;
    let echoStart = -1; // a run of echoed bytes is written in one piece
    for (let i = 0; i < n; i++) {
      const b = bytes[i]!;
      const previous = last;
      last = b;
      if (b >= 0x20 && b !== DEL) {
        if (rxLength < RX_BUFFER_CHARS) {
          rx[rxLength++] = b;
          if (echoStart < 0) echoStart = i;
        } else if (echoStart >= 0) {
          this.#echo(bytes, echoStart, i); // dropped silently, not echoed
          echoStart = -1;
        }
        continue;
      }
      if (echoStart >= 0) { this.#echo(bytes, echoStart, i); echoStart = -1; }
      if (b === LF && previous === CR) continue;
      if (b === CR || b === LF) {
        this.#port.write(CRLF);
        this.#rxLength = rxLength;
        this.#lastByte = last;
        this.#endLine();
        rxLength = this.#rxLength;
        continue;
      }
      if (b === BS || b === DEL) {
        if (rxLength > 0) {
          rxLength--;
          this.#port.write(ERASE);
        }
        continue;
      }
      // Other control characters are buffered and echoed like printable ones.
      if (rxLength < RX_BUFFER_CHARS) {
        rx[rxLength++] = b;
        echoStart = i;
      }
    }
    if (echoStart >= 0) this.#echo(bytes, echoStart, n);
    this.#rxLength = rxLength;
    this.#lastByte = last;
  }

  /** A copy: a UART driver may queue what it is given, and the input buffer can be reused. */
  #echo(bytes: Uint8Array, start: number, end: number): void {
    this.#port.write(bytes.slice(start, end));
  }

  #endLine(): void {
    // The C buffer is a NUL-terminated string: a typed NUL ends the line there.
    let length = this.#rxLength;
    const nul = this.#rx.subarray(0, length).indexOf(0);
    if (nul >= 0) length = nul;
    const text = latin1Decode(this.#rx.subarray(0, length));
    this.#rxLength = 0;
    this.runLine(text);
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
    this.line(error === OtError.None ? "Done" : `Error ${otErrorText(error)}`);
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
