// The shell's UART on ECMA-419 `embedded:io/serial`, shared between main (status lines) and
// the shell. The ESP32 driver writes only what fits in the 128-byte TX FIFO and otherwise
// throws "output full" without writing anything, so output waits in a queue and drains on
// onWritable, in pieces of at most the room the driver reported. Console lines are cut at
// CONSOLE_LINE_LIMIT bytes as the simulator's terminal cuts them, and output that overflows
// the queue is dropped by whole lines with a notice in its place (docs/coaps-shell.md, the
// console bound), so nothing is lost without a word.
import { CONSOLE_LINE_LIMIT, LineBound } from "../line-bound.js";
import type { SerialFactory, SerialOptions, SerialPort } from "../serial.js";
import type { Serial419, Serial419Constructor, SerialOptions419 } from "./sdk.js";

/** Where the shell lives: a UART with pins (ESP32, nRF52) or a tty device (lin simulator). */
export interface ShellUart {
  readonly port?: number;
  readonly transmit?: number;
  readonly receive?: number;
  readonly device?: string;
  readonly baud: number;
}

/** Room assumed free before the driver first reports it: half the smallest FIFO we target. */
const FIRST_ROOM = 64;
/** Output held while the UART drains: one cut line (limit plus marker) behind as much again. */
const MAX_PENDING = 2 * CONSOLE_LINE_LIMIT;
const LF = 0x0a;

/** Reads shellPort / shellTx / shellRx / shellBaud / shellDevice from `mc/config` values. */
export function shellUartFromConfig(config: Readonly<Record<string, unknown>>): ShellUart {
  const num = (key: string): number | undefined => {
    const v = config[key];
    if (v === undefined || v === null) return undefined; // null: the platform block removed it
    const n = typeof v === "number" ? v : Number(v);
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`config ${key}: not a number: ${String(v)}`);
    return n;
  };
  const device = typeof config["shellDevice"] === "string" ? config["shellDevice"] : undefined;
  const uart: { port?: number; transmit?: number; receive?: number; device?: string; baud: number } = {
    baud: num("shellBaud") ?? 115200,
  };
  if (device !== undefined) uart.device = device;
  else {
    const port = num("shellPort"), transmit = num("shellTx"), receive = num("shellRx");
    if (port !== undefined) uart.port = port;
    if (transmit !== undefined) uart.transmit = transmit;
    if (receive !== undefined) uart.receive = receive;
  }
  return uart;
}

export function describeUart(uart: ShellUart): string {
  if (uart.device !== undefined) return `${uart.device} at ${uart.baud} baud`;
  return `UART${uart.port ?? 0} (TX ${uart.transmit ?? "-"}, RX ${uart.receive ?? "-"}) at ${uart.baud} baud`;
}

export class ShellSerial implements SerialPort {
  #serial: Serial419 | undefined;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #room = FIRST_ROOM;
  #onReadable: ((count: number) => void) | undefined;
  readonly #bound = new LineBound();
  /** Bytes of the current output line already queued (0: the queue ends at a line end). */
  #lineQueued = 0;
  /** Bytes dropped and not yet reported on the UART. */
  #unreported = 0;
  /** The drop began after part of its line was queued: the notice ends that line. */
  #cutMidLine = false;
  /** Inside a line being dropped: its rest goes too, up to its LF. */
  #discarding = false;
  /** Bytes dropped because the queue was full, since the port opened. */
  dropped = 0;

  constructor(Serial: Serial419Constructor, uart: ShellUart) {
    const options: SerialOptions419 = {
      ...uart,
      format: "buffer",
      onReadable: (count: number) => this.#onReadable?.(count),
      onWritable: (count: number) => {
        this.#room = count;
        this.#drain();
      },
    };
    try {
      this.#serial = new Serial(options);
    } catch (e) {
      // moddable-target.md §3.4: in debug builds xsbug owns UART0 unless the board is *_cdc.
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(
        `shell on ${describeUart(uart)}: ${why}. In debug builds xsbug owns UART0 on boards ` +
          `without USB-Serial-JTAG: build with shellPort=1 shellTx=<pin> shellRx=<pin> (README, "On a board")`,
      );
    }
  }

  /** The shell's reader; main's status lines only write. */
  attach(onReadable: (count: number) => void): void {
    this.#onReadable = onReadable;
  }

  write(bytes: Uint8Array): void {
    for (const chunk of this.#bound.filterBytes(bytes)) {
      for (let pos = 0; pos < chunk.length;) {
        const lf = chunk.indexOf(LF, pos);
        const end = lf < 0 ? chunk.length : lf + 1;
        this.#accept(chunk.subarray(pos, end), lf >= 0);
        pos = end;
      }
    }
    this.#drain();
  }

  /** One piece of a line, ending the line if `lineEnd`. */
  #accept(piece: Uint8Array, lineEnd: boolean): void {
    if (!this.#discarding) {
      // After a drop, output resumes only together with the notice, so drops in a row make one.
      const notice = this.#unreported > 0 ? this.#notice() : undefined;
      if (this.#pendingBytes + piece.length + (notice?.length ?? 0) <= MAX_PENDING) {
        if (notice !== undefined) this.#enqueueNotice(notice);
        this.#enqueue(piece.slice());
        this.#lineQueued = lineEnd ? 0 : this.#lineQueued + piece.length;
        return;
      }
      if (this.#unreported === 0) this.#cutMidLine = this.#lineQueued > 0;
    }
    this.#unreported += piece.length;
    this.dropped += piece.length;
    this.#discarding = !lineEnd;
  }

  /** Says how many bytes were dropped; ends the line the drop cut into, if any. */
  #notice(): Uint8Array {
    const text = `${this.#cutMidLine ? " " : ""}[... ${this.#unreported} bytes dropped]\r\n`;
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
  }

  #enqueueNotice(notice: Uint8Array): void {
    this.#enqueue(notice);
    this.#unreported = 0;
    this.#cutMidLine = false;
    this.#discarding = false;
    this.#lineQueued = 0;
  }

  #enqueue(bytes: Uint8Array): void {
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
  }

  read(): Uint8Array | undefined {
    const data = this.#serial?.read();
    if (data === undefined || data.byteLength === 0) return undefined;
    return new Uint8Array(data);
  }

  close(): void {
    this.#serial?.close();
    this.#serial = undefined;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #drain(): void {
    const serial = this.#serial;
    if (serial === undefined) return;
    for (;;) {
      if (this.#pending.length === 0) {
        // The UART caught up: report a drop not yet reported, even one inside an unfinished
        // line (a dropped prompt), whose rest then follows the notice.
        if (this.#unreported === 0) return;
        this.#enqueueNotice(this.#notice());
      }
      if (this.#room <= 0) return;
      const head = this.#pending[0]!;
      const n = Math.min(head.length, this.#room);
      try {
        serial.write(head.slice(0, n).buffer);
      } catch {
        this.#room = 0; // "output full": wait for onWritable
        return;
      }
      this.#room -= n;
      this.#pendingBytes -= n;
      if (n === head.length) this.#pending.shift();
      else this.#pending[0] = head.subarray(n);
    }
  }
}

/** The platform's SerialFactory: every call attaches to the one shell UART. */
export function shellSerialFactory(port: ShellSerial): SerialFactory {
  return (options: SerialOptions) => {
    port.attach(options.onReadable);
    return port;
  };
}
