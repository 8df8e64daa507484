// Assembles the Platform on a Moddable device from the parts of one board (board.ts for
// ESP32, board-lin.ts, board-nrf52.ts: the manifest picks one under the module name
// "platform/moddable/board"). UDP sockets open only after the board reports the network up.
import type { Platform } from "../index.js";
import type { DtlsBinding } from "../dtls-binding.js";
import type { RandomSource } from "../random.js";
import type { UdpFactory } from "../udp.js";
import { moddableClock, moddableTimers } from "./clock.js";
import { config, Serial } from "./sdk.js";
import { describeUart, ShellSerial, shellSerialFactory, shellUartFromConfig } from "./serial.js";
import type { NetworkGate } from "./udp.js";

/** What differs between boards. */
export interface BoardParts {
  readonly name: string;
  readonly udp: (gate: NetworkGate) => UdpFactory;
  readonly dtls: () => DtlsBinding;
  readonly random: RandomSource;
  /** Reports progress through `say`; calls `up` once (if ever) when sockets may open. */
  readonly watchNetwork: (say: (line: string) => void, up: () => void) => void;
  /** The TLS library linked into the firmware, e.g. "Mbed TLS 4.0.0"; undefined without one. */
  readonly tlsLibrary: () => string | undefined;
}

export interface Device {
  readonly platform: Platform;
  readonly coapsPort: number;
  /** Where the shell is, e.g. "UART1 (TX 17, RX 16) at 115200 baud". */
  readonly shellDescription: string;
  /** Writes one status line (CR LF added) on the shell UART. */
  say(line: string): void;
  startNetwork(): void;
}

export const DEFAULT_COAPS_PORT = 5684;

/** Tiny ASCII encoder (no TextEncoder on the device); anything else becomes "?". */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c < 0x80 ? c : 0x3f;
  }
  return out;
}

function portFromConfig(value: unknown): number {
  if (value === undefined) return DEFAULT_COAPS_PORT;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new RangeError(`config coapsPort: invalid port: ${String(value)}`);
  return n;
}

export function openDevice(board: BoardParts): Device {
  const uart = shellUartFromConfig(config);
  const serial = new ShellSerial(Serial, uart);
  let networkUp = false;
  const gate: NetworkGate = { isUp: () => networkUp };
  const platform: Platform = {
    clock: moddableClock,
    timers: moddableTimers,
    udp: board.udp(gate),
    serial: shellSerialFactory(serial),
    random: board.random,
    dtls: board.dtls(),
  };
  const say = (line: string): void => serial.write(asciiBytes(`${line}\r\n`));
  return {
    platform,
    coapsPort: portFromConfig(config["coapsPort"]),
    shellDescription: describeUart(uart),
    say,
    startNetwork: () =>
      board.watchNetwork(say, () => {
        networkUp = true;
      }),
  };
}
