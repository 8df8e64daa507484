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

// Lines reach the terminal cut at TERMINAL_LINE_LIMIT bytes, by the same bound a board's shell
// UART applies (src/platform/line-bound.ts), so `npm start` shows what a board shows. The
// transcript (ConsoleWire.output) is not affected.
export { CONSOLE_LINE_LIMIT as TERMINAL_LINE_LIMIT, LineBound } from "../src/platform/line-bound.js";

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
