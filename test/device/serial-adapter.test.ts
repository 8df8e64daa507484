// ShellSerial against a fake ECMA-419 Serial that behaves like Moddable's ESP32 driver:
// 128-byte TX FIFO, write() throws "output full" and writes nothing when the data does not fit,
// onWritable(count) once the FIFO drains.
import test from "ava";
import { ShellSerial, shellSerialFactory, shellUartFromConfig } from "../../src/platform/moddable/serial.js";
import { LineBound } from "../../src/platform/line-bound.js";
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

/** Drains the fake UART until the port has nothing left to send. */
function drainAll(uart: FakeUart): void {
  for (let i = 0; i < 10_000; i++) {
    const before = uart.wire.length;
    uart.drain();
    if (uart.wire.length === before) return;
  }
}

test.serial("a 16 KB request line reaches the UART cut at 8192 bytes with the terminal's marker, and the next line follows", (t) => {
  FakeUart.refuse = undefined;
  const port = new ShellSerial(FakeUart, { port: 1, transmit: 32, receive: 33, baud: 115200 });
  const uart = FakeUart.last!;
  const line = `coaps request from fdde:ad00:beef:0:0:0:0:2 PUT with payload: ${"5a".repeat(8192)}`;
  port.write(bytesOf(`${line}\r\n`));
  port.write(bytesOf("coaps response sent\r\n"));
  drainAll(uart);
  t.is(text(uart.wire), `${line.slice(0, 8192)} [... ${line.length - 8192} more bytes]\r\ncoaps response sent\r\n`);
  t.true(uart.writes.every((n) => n <= 128));
  t.is(port.dropped, 0);
});

test.serial("the UART shows a long line exactly as the simulator's terminal does, however the shell splits its writes", (t) => {
  FakeUart.refuse = undefined;
  const output = `> coaps start\r\nDone\r\n> ${"ab".repeat(5000)}\r\n${"c".repeat(9000)}\n> `;
  const terminal = new LineBound().filter(output);
  const byLine = output.split(/(?<=\n)/);
  const bySize = (n: number) => Array.from({ length: Math.ceil(output.length / n) }, (_, i) => output.slice(i * n, (i + 1) * n));
  for (const [how, writes] of [["a write per line", byLine], ["writes of 4096", bySize(4096)], ["writes of 3", bySize(3)]] as const) {
    const port = new ShellSerial(FakeUart, { port: 1, transmit: 32, receive: 33, baud: 115200 });
    const uart = FakeUart.last!;
    for (const w of writes) {
      port.write(bytesOf(w));
      drainAll(uart);
    }
    t.is(text(uart.wire), terminal, how);
    t.is(port.dropped, 0);
  }
  t.true(terminal.includes(`${"ab".repeat(4095)} [... 1810 more bytes]\r\n${"c".repeat(8192)} [... 808 more bytes]\n> `));
});

test.serial("many short lines under a slow UART all arrive, byte for byte and in order", (t) => {
  FakeUart.refuse = undefined;
  const port = new ShellSerial(FakeUart, { port: 1, transmit: 32, receive: 33, baud: 115200 });
  const uart = FakeUart.last!;
  const lines = Array.from({ length: 400 }, (_, i) => `coaps response from fdde:ad00:beef:0:0:0:0:1 2.05 #${i}\r\n`);
  // The shell prints 400 lines (about 20 KB) while the UART drains 128 bytes per 4 lines.
  lines.forEach((l, i) => {
    port.write(bytesOf(l));
    if (i % 4 === 3) uart.drain();
  });
  drainAll(uart);
  t.is(text(uart.wire), lines.join(""));
  t.is(port.dropped, 0);
});

test.serial("output overflowing the queue is dropped by whole lines, and a notice says how many bytes", (t) => {
  FakeUart.refuse = undefined;
  const port = new ShellSerial(FakeUart, { port: 1, transmit: 32, receive: 33, baud: 115200 });
  const uart = FakeUart.last!;
  const lines = Array.from({ length: 1000 }, (_, i) => `line ${String(i).padStart(4, "0")} ${"x".repeat(40)}\r\n`);
  for (const l of lines) port.write(bytesOf(l)); // the UART never drains meanwhile
  drainAll(uart);
  port.write(bytesOf("> "));
  drainAll(uart);
  const shown = text(uart.wire).split("\r\n");
  const notice = shown.findIndex((l) => l.startsWith("[... "));
  t.true(notice > 0, "some lines were sent before the drop");
  t.deepEqual(shown.slice(0, notice), lines.slice(0, notice).map((l) => l.slice(0, -2)), "the lines before it are whole");
  t.is(shown[notice], `[... ${port.dropped} bytes dropped]`);
  t.is(port.dropped, (lines.length - notice) * lines[0]!.length, "whole lines were dropped, and counted");
  t.deepEqual(shown.slice(notice + 1), ["> "], "output after the drop gets through");
});

test.serial("a drop that begins in the middle of a line ends that line with the notice", (t) => {
  FakeUart.refuse = undefined;
  const port = new ShellSerial(FakeUart, { port: 1, transmit: 32, receive: 33, baud: 115200 });
  const uart = FakeUart.last!;
  port.write(bytesOf("y".repeat(16_000))); // one line, still open
  port.write(bytesOf("z".repeat(500)));
  port.write(bytesOf("zz\r\nDone\r\n"));
  drainAll(uart);
  // The line bound already cut the line at 8192 bytes; the queue dropped nothing of it.
  t.is(text(uart.wire), `${"y".repeat(8192)} [... ${16_000 + 502 - 8192} more bytes]\r\nDone\r\n`);
  const second = new ShellSerial(FakeUart, { port: 1, transmit: 32, receive: 33, baud: 115200 });
  const uart2 = FakeUart.last!;
  for (let i = 0; i < 300; i++) second.write(bytesOf(`${"w".repeat(48)}\r\n`)); // 15,000 bytes queued
  second.write(bytesOf("v".repeat(1000)));
  second.write(bytesOf("v".repeat(1000)));
  second.write(bytesOf("\r\nDone\r\n"));
  drainAll(uart2);
  const tail = text(uart2.wire).slice(300 * 50);
  t.is(tail, `${"v".repeat(1000)} [... 1002 bytes dropped]\r\nDone\r\n`);
});

test.serial("a prompt dropped by a full queue is reported once the UART catches up, and echo shows again", (t) => {
  FakeUart.refuse = undefined;
  const port = new ShellSerial(FakeUart, { port: 1, transmit: 32, receive: 33, baud: 115200 });
  const uart = FakeUart.last!;
  for (let i = 0; i < 330; i++) port.write(bytesOf(`${"w".repeat(48)}\r\n`)); // 16,500 bytes: the last lines go
  const prompt = `> ${"p".repeat(60)}`; // no line end, and too long for the room left
  port.write(bytesOf(prompt));
  drainAll(uart);
  port.write(bytesOf("c")); // the user types; the shell echoes
  drainAll(uart);
  const lost = port.dropped;
  t.is(lost % 50, prompt.length % 50, "whole lines and the prompt");
  t.is(text(uart.wire), `${"w".repeat(48)}\r\n`.repeat(330 - (lost - prompt.length) / 50) + `[... ${lost} bytes dropped]\r\nc`);
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
