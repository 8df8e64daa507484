// Minimal declarations of the Moddable SDK modules re-exported by sdk.js: only what the
// firmware uses, shaped after ECMA-419 and the SDK typings (moddable-target.md §3).

/** `embedded:io/serial` options (ESP32: port + pins; lin simulator: device). */
export interface SerialOptions419 {
  readonly port?: number;
  readonly transmit?: number;
  readonly receive?: number;
  /** lin simulator only: a tty or pty path. */
  readonly device?: string;
  readonly baud: number;
  readonly format?: "buffer";
  readonly onReadable?: (this: Serial419, count: number) => void;
  readonly onWritable?: (this: Serial419, count: number) => void;
}

export interface Serial419 {
  /** The waiting bytes, or undefined when none are. */
  read(): ArrayBuffer | undefined;
  /** Throws "output full" (and writes nothing) when the FIFO lacks room for all of it. */
  write(data: ArrayBuffer): void;
  close(): void;
}

export type Serial419Constructor = new (options: SerialOptions419) => Serial419;

export declare const Serial: Serial419Constructor;

/** The SDK's opaque Timer handle (a branded class in @moddable/typings): only what set returned goes back to clear. */
export type TimerId = object;

/** The `timer` module: callbacks run on the VM thread, never synchronously. */
export declare const Timer: {
  set(callback: (timer: TimerId) => void, milliseconds?: number, repeat?: number): TimerId;
  clear(timer: TimerId): void;
};

/** The `time` module: `ticks` is a monotonic millisecond counter. */
export declare const Time: {
  readonly ticks: number;
};

/** `mc/config`: the manifest's "config" merged with mcconfig key=value arguments (frozen). */
export declare const config: Readonly<Record<string, unknown>>;
