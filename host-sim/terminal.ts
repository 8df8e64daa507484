// The controlling terminal as a node's UART: raw mode so the firmware's own line discipline
// does echo, backspace and CR LF. Ctrl-C and Ctrl-D end the program (spec §1.1: on POSIX
// builds they interrupt / exit and are not echoed). A closed terminal (EOF, SIGHUP, EIO on
// output) ends it too, once, restoring the terminal mode.

export interface TerminalHandlers {
  /** Bytes typed, minus the keys handled here. */
  onInput(bytes: Uint8Array): void;
  /** Extra control keys the caller wants (e.g. 0x14 = Ctrl-T); other bytes go to onInput. */
  readonly keys?: ReadonlyMap<number, () => void>;
  /** Called once when the session must end; `reason` is printed by the caller if it wants. */
  onEnd(reason: "quit" | "closed"): void;
}

export interface Terminal {
  write(text: string): void;
  /** Restores the terminal and stops listening. Repeatable. */
  release(): void;
}

const CTRL_C = 0x03, CTRL_D = 0x04;

/**
 * Longest console line a terminal is given, in bytes: what a board's shell UART can hold
 * (src/platform/moddable/serial.ts queues 8192 bytes). Every line the shell prints in normal
 * use is far shorter; a peer's 16 KB record would otherwise be 32 KB of hex in one line,
 * written synchronously to the terminal while the simulation waits.
 */
export const TERMINAL_LINE_LIMIT = 8192;

/**
 * Cuts a console's output stream into lines of at most `limit` bytes for a terminal. A longer
 * line keeps its first `limit` bytes and ends with ` [... <n> more bytes]` and CR LF; shorter
 * lines, partial lines and line ends pass through byte for byte. Lines end at LF; chunks may
 * split a line anywhere. The transcript (ConsoleWire.output) is not affected.
 */
export class LineBound {
  readonly #limit: number;
  #column = 0;
  #dropped = 0;
  #droppedCr = false;

  constructor(limit = TERMINAL_LINE_LIMIT) {
    this.#limit = limit;
  }

  filter(text: string): string {
    let out = "";
    for (let pos = 0; pos < text.length;) {
      const lf = text.indexOf("\n", pos);
      const end = lf < 0 ? text.length : lf;
      const room = this.#limit - this.#column;
      if (end - pos <= room) {
        out += text.slice(pos, end);
        this.#column += end - pos;
      } else {
        out += text.slice(pos, pos + room);
        this.#column = this.#limit;
        this.#dropped += end - pos - room;
        this.#droppedCr = text.charCodeAt(end - 1) === 0x0d; // end > pos here
      }
      if (lf < 0) break;
      if (this.#dropped > 0) {
        // The line's own CR was cut with the rest: it goes back after the marker.
        const more = this.#dropped - (this.#droppedCr ? 1 : 0);
        if (more > 0) out += ` [... ${more} more bytes]`;
        if (this.#droppedCr) out += "\r";
      }
      out += "\n";
      this.#column = 0;
      this.#dropped = 0;
      this.#droppedCr = false;
      pos = lf + 1;
    }
    return out;
  }
}

export function attachTerminal(h: TerminalHandlers): Terminal {
  const stdin = process.stdin;
  const stdout = process.stdout;
  let ended = false;
  const raw = stdin.isTTY === true;
  if (raw) stdin.setRawMode(true);

  const end = (reason: "quit" | "closed") => {
    if (ended) return;
    ended = true;
    release();
    h.onEnd(reason);
  };
  const onData = (chunk: Buffer) => {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      const key = h.keys?.get(b);
      if (b !== CTRL_C && b !== CTRL_D && !key) continue;
      if (i > start) h.onInput(new Uint8Array(chunk.subarray(start, i)));
      start = i + 1;
      if (b === CTRL_C || b === CTRL_D) { end("quit"); return; }
      key!();
    }
    if (start < chunk.length) h.onInput(new Uint8Array(chunk.subarray(start)));
  };
  const onEndOfInput = () => end("closed");
  const onHangup = () => end("closed");
  const onTerm = () => end("quit");
  const onOutputError = () => end("closed");

  stdin.on("data", onData);
  stdin.on("end", onEndOfInput);
  stdout.on("error", onOutputError);
  process.on("SIGHUP", onHangup);
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onTerm);
  stdin.resume();

  function release(): void {
    stdin.off("data", onData);
    stdin.off("end", onEndOfInput);
    process.off("SIGHUP", onHangup);
    process.off("SIGTERM", onTerm);
    process.off("SIGINT", onTerm);
    if (raw && stdin.isTTY) {
      try { stdin.setRawMode(false); } catch { /* terminal already gone */ }
    }
    stdin.pause();
  }

  return {
    write: (text) => {
      if (ended && !stdout.writable) return;
      try { stdout.write(Buffer.from(text, "latin1")); } catch { end("closed"); }
    },
    release: () => { if (!ended) { ended = true; release(); } },
  };
}
