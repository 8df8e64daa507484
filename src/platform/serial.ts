// The console UART, shaped like ECMA-419 `embedded:io/serial` in "buffer" format.

export interface SerialPort {
  write(bytes: Uint8Array): void;
  /** The bytes received so far, or undefined when none are waiting. */
  read(): Uint8Array | undefined;
}

export interface SerialOptions {
  onReadable(count: number): void;
}

export type SerialFactory = (options: SerialOptions) => SerialPort;
