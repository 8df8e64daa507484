// ShellSerial against a fake ECMA-419 Serial that behaves like Moddable's ESP32 driver:
// 128-byte TX FIFO, write() throws "output full" and writes nothing when the data does not fit,
// onWritable(count) once the FIFO drains.
import test from "ava";
import { ShellSerial, shellSerialFactory, shellUartFromConfig } from "../../src/platform/moddable/serial.js";
import type { Serial419, SerialOptions419 } from "../../src/platform/moddable/sdk.js";

class FakeUart implements Serial419 {
  static last: FakeUart | undefined;
  static refuse: string | undefined;
  readonly wire: number[] = [];
  readonly writes: number[] = [];
  fifo = 0;
  rx: number[] = [];
  constructor(readonly options: SerialOptions419) {
    if (FakeUart.refuse) throw new Error(FakeUart.refuse);
    FakeUart.last = this;
  }
  read(): ArrayBuffer | undefined {
    if (this.rx.length === 0) return undefined;
    const out = new Uint8Array(this.rx.splice(0));
    return out.buffer;
  }
  write(data: ArrayBuffer): void {
    if (data.byteLength > 128 - this.fifo) throw new Error("output full");
    this.writes.push(data.byteLength);
    this.fifo += data.byteLength;
    this.wire.push(...new Uint8Array(data));
  }
  close(): void {}
  /** The FIFO empties onto the wire and the driver reports the room. */
  drain(): void {
    this.fifo = 0;
    this.options.onWritable?.call(this, 128);
  }
}

const text = (bytes: number[]) => String.fromCharCode(...bytes);
const bytesOf = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

test.serial("output longer than the FIFO is queued and arrives whole and in order as the UART drains", (t) => {
  FakeUart.refuse = undefined;
  const port = new ShellSerial(FakeUart, { port: 1, transmit: 32, receive: 33, baud: 115200 });
  const uart = FakeUart.last!;
  const message = Array.from({ length: 40 }, (_, i) => `line ${i}\r\n`).join("");
  port.write(bytesOf(message));
  port.write(bytesOf("> "));
  for (let i = 0; i < 20 && uart.wire.length < message.length + 2; i++) uart.drain();
  t.is(text(uart.wire), message + "> ");
  t.true(uart.writes.every((n) => n <= 128));
  t.is(port.dropped, 0);
});

test.serial("a write the driver refuses is kept and retried on onWritable, never half-written", (t) => {
  FakeUart.refuse = undefined;
  const port = new ShellSerial(FakeUart, { port: 0, transmit: 43, receive: 44, baud: 115200 });
  const uart = FakeUart.last!;
  uart.fifo = 120; // boot output still in the FIFO: only 8 bytes free
  port.write(bytesOf("coaps started\r\n"));
  t.is(text(uart.wire), "");
  uart.drain();
  t.is(text(uart.wire), "coaps started\r\n");
});

test.serial("received bytes reach the shell's reader, and read() is undefined when nothing waits", (t) => {
  FakeUart.refuse = undefined;
  const port = new ShellSerial(FakeUart, { port: 1, transmit: 32, receive: 33, baud: 115200 });
  const uart = FakeUart.last!;
  const seen: string[] = [];
  const shellPort = shellSerialFactory(port)({
    onReadable: () => {
      let b: Uint8Array | undefined;
      while ((b = shellPort.read()) !== undefined) seen.push(text([...b]));
    },
  });
  uart.rx.push(...bytesOf("coaps start\r"));
  uart.options.onReadable?.call(uart, 12);
  t.deepEqual(seen, ["coaps start\r"]);
  t.is(port.read(), undefined);
});

test.serial("a UART that cannot be opened explains the debug-build UART0 rule", (t) => {
  FakeUart.refuse = "port in use";
  const e = t.throws(() => new ShellSerial(FakeUart, { port: 0, transmit: 1, receive: 3, baud: 115200 }));
  t.regex(e?.message ?? "", /UART0 \(TX 1, RX 3\).*port in use.*xsbug owns UART0.*shellPort=1/);
  FakeUart.refuse = undefined;
});

test("shell settings come from mc/config, numbers or command-line strings, and null removes a key", (t) => {
  t.deepEqual(shellUartFromConfig({ shellPort: 1, shellTx: 32, shellRx: 33, shellBaud: 115200 }), { baud: 115200, port: 1, transmit: 32, receive: 33 });
  t.deepEqual(shellUartFromConfig({ shellPort: "0", shellTx: "43", shellRx: "44" }), { baud: 115200, port: 0, transmit: 43, receive: 44 });
  t.deepEqual(shellUartFromConfig({ shellPort: null, shellTx: 6, shellRx: 8 }), { baud: 115200, transmit: 6, receive: 8 });
  t.deepEqual(shellUartFromConfig({ shellDevice: "/tmp/coaps-tty", shellPort: 1 }), { baud: 115200, device: "/tmp/coaps-tty" });
  t.throws(() => shellUartFromConfig({ shellTx: "GPIO17" }), { instanceOf: RangeError });
});
