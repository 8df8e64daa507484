// The console's line bound, shared by the board's shell UART (platform/moddable/serial.ts) and
// the simulator's terminal (host-sim/terminal.ts), so a long line looks the same on both.

/**
 * Longest console line a UART or terminal is given, in bytes. Every line the shell prints in
 * normal use is far shorter; a peer's 16 KB record would otherwise be 32 KB of hex in one line.
 */
export const CONSOLE_LINE_LIMIT = 8192;

/** A run of the input kept as is, or text the bound adds (a marker, a moved-back CR). */
type Piece = readonly [start: number, end: number] | string;

/**
 * Cuts a console's output stream into lines of at most `limit` bytes. A longer line keeps its
 * first `limit` bytes and ends with ` [... <n> more bytes]` and CR LF; shorter lines, partial
 * lines and line ends pass through byte for byte. Lines end at LF; chunks may split a line
 * anywhere. Text is one character per byte (latin1), as the console writes it.
 */
export class LineBound {
  readonly #limit: number;
  #column = 0;
  #dropped = 0;
  #droppedCr = false;

  constructor(limit = CONSOLE_LINE_LIMIT) {
    this.#limit = limit;
  }

  filter(text: string): string {
    let out = "";
    for (const p of this.#cut(text.length, (from) => text.indexOf("\n", from), (i) => text.charCodeAt(i))) {
      out += typeof p === "string" ? p : text.slice(p[0], p[1]);
    }
    return out;
  }

  /** The same cut over bytes: views into `bytes` and the added text, in order. */
  filterBytes(bytes: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const p of this.#cut(bytes.length, (from) => bytes.indexOf(0x0a, from), (i) => bytes[i]!)) {
      if (typeof p === "string") out.push(Uint8Array.from(p, (c) => c.charCodeAt(0)));
      else if (p[1] > p[0]) out.push(bytes.subarray(p[0], p[1]));
    }
    return out;
  }

  #cut(length: number, lfFrom: (from: number) => number, codeAt: (i: number) => number): Piece[] {
    const out: Piece[] = [];
    for (let pos = 0; pos < length;) {
      const lf = lfFrom(pos);
      const end = lf < 0 ? length : lf;
      const room = this.#limit - this.#column;
      if (end - pos <= room) {
        out.push([pos, end]);
        this.#column += end - pos;
      } else {
        out.push([pos, pos + room]);
        this.#column = this.#limit;
        this.#dropped += end - pos - room;
        this.#droppedCr = codeAt(end - 1) === 0x0d; // end > pos here
      }
      if (lf < 0) break;
      let tail = "";
      if (this.#dropped > 0) {
        // The line's own CR was cut with the rest: it goes back after the marker.
        const more = this.#dropped - (this.#droppedCr ? 1 : 0);
        if (more > 0) tail += ` [... ${more} more bytes]`;
        if (this.#droppedCr) tail += "\r";
      }
      if (tail === "") out.push([lf, lf + 1]);
      else out.push(tail + "\n");
      this.#column = 0;
      this.#dropped = 0;
      this.#droppedCr = false;
      pos = lf + 1;
    }
    return out;
  }
}
