// Everything the firmware needs from the outside world. src/ sees nothing else: no Node
// APIs, no Moddable modules outside src/platform/moddable/.
import type { Clock, Timers } from "./clock.js";
import type { UdpFactory } from "./udp.js";
import type { SerialFactory } from "./serial.js";
import type { RandomSource } from "./random.js";
import type { DtlsBinding } from "./dtls-binding.js";
import type { ByteAllocator } from "../bytes/alloc.js";

export interface Platform {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly udp: UdpFactory;
  readonly serial: SerialFactory;
  readonly random: RandomSource;
  readonly dtls: DtlsBinding;
  /**
   * Fresh byte arrays for encoded CoAP messages; optional, default one ArrayBuffer each (what a
   * device wants). A host on V8 gives slabAllocator() (src/bytes/alloc.ts).
   */
  readonly allocBytes?: ByteAllocator;
  /** Diagnostic lines, not for the console (the simulator keeps a log per node); optional. */
  readonly log?: (line: string) => void;
}

export type * from "./clock.js";
export type * from "./udp.js";
export type * from "./serial.js";
export type * from "./dtls-binding.js";
export type { RandomSource } from "./random.js";
