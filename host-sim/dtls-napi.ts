// The host's DtlsBinding: the C engine (native/dtls_engine.c) through the N-API addon
// build/Release/dtls_napi.node, built by `npm install` (scripts/build-native.mjs).
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import type {
  DtlsBinding,
  DtlsEngine,
  DtlsEngineOptions,
  DtlsEngineState,
  DtlsErrorName,
} from "../src/platform/dtls-binding.js";
import { slabAllocator } from "../src/bytes/alloc.js";

export type NapiHandle = { readonly __dtlsHandle: unique symbol };
type Handle = NapiHandle;

/** The addon as native/napi_dtls.c exports it (tests drive it directly). */
export interface NapiAddon {
  /** Throws Error(<DtlsErrorName>) when the engine refuses, as native/xs_dtls.c does. */
  create(role: number, mode: number, a: Uint8Array, b: Uint8Array, c: Uint8Array | null,
    verifyPeer: boolean, minMs: number, maxMs: number, now: number, board?: Float64Array): Handle;
  setClientId(h: Handle, id: Uint8Array): number;
  feed(h: Handle, now: number, datagram: Uint8Array): number;
  write(h: Handle, now: number, data: Uint8Array): number;
  takeOutgoing(h: Handle): Uint8Array | undefined;
  read(h: Handle): Uint8Array | undefined;
  /** The next datagram / record copied into `dst` (sized from the board); its size, 0 when none. */
  takeOutgoingInto(h: Handle, dst: Uint8Array): number;
  readInto(h: Handle, dst: Uint8Array): number;
  onTimer(h: Handle, now: number): void;
  nextDeadline(h: Handle): number | undefined;
  status(h: Handle): number;
  cipherSuite(h: Handle): number;
  maxPayload(h: Handle): number;
  close(h: Handle, now: number): void;
  keyLog(h: Handle): string | undefined;
  free(h: Handle): void;
  mbedtlsVersion(): string;
  /** Test hook: [board holders, engines] not yet released. */
  liveCounts(): [holders: number, engines: number];
}

/** In the order of the C enums (native/dtls_engine.h). */
export const DTLS_STATES: readonly DtlsEngineState[] = ["listening", "handshaking", "connected", "closed", "failed"];
export const DTLS_ERRORS: readonly DtlsErrorName[] = [
  "None", "PeerClosed", "HandshakeTimeout", "BadRecordMac", "HandshakeFailure",
  "CertificateRejected", "FatalAlert", "InvalidInput", "OutOfMemory", "InternalError",
  "QueueFull",
];

export const ADDON_PATH = join(dirname(fileURLToPath(import.meta.url)), "..", "build", "Release", "dtls_napi.node");

let addon: NapiAddon | undefined;
function load(): NapiAddon {
  if (!addon) {
    try {
      addon = createRequire(import.meta.url)(ADDON_PATH) as NapiAddon;
    } catch (e) {
      throw new Error(`DTLS addon missing (${ADDON_PATH}): run \`npm install\` (needs apt package libmbedtls-dev): ${(e as Error).message}`);
    }
  }
  return addon;
}

/** Thrown by engine calls; `name` is the engine's DtlsErrorName. */
export class DtlsEngineError extends Error {
  constructor(readonly code: DtlsErrorName, what: string) {
    super(`${what}: ${code}`);
    this.name = code;
  }
}

// The board (native/napi_dtls.c): after every call that can change the engine the addon
// publishes its status, the sizes of the next datagram and record, and the next deadline
// (NaN: none), so state(), error(), nextDeadline() and an empty takeOutgoing() / read() need
// no call into the addon. Slot NOT_PUBLISHED stays in BOARD_STATUS when an older addon
// ignores the board; the engine then asks the addon every time.
const BOARD_STATUS = 0, BOARD_OUTGOING = 1, BOARD_READ = 2, BOARD_DEADLINE = 3, BOARD_SLOTS = 4;
const NOT_PUBLISHED = -1;

/**
 * What takeOutgoing() and read() return is cut from shared slabs (src/bytes/alloc.ts): with the
 * board giving each entry's size, the addon copies it into a view, where a new ArrayBuffer per
 * datagram would cost V8 an off-heap allocation (1–2 µs on some machines, about what the
 * record's crypto costs).
 */
const slab = slabAllocator();

class NapiEngine implements DtlsEngine {
  #h: Handle | undefined;
  readonly #a: NapiAddon;
  readonly #board: Float64Array | undefined;

  constructor(a: NapiAddon, h: Handle, board: Float64Array) {
    this.#a = a;
    this.#h = h;
    this.#board = board[BOARD_STATUS] === NOT_PUBLISHED ? undefined : board;
  }

  #handle(): Handle {
    if (!this.#h) throw new Error("DTLS engine freed");
    return this.#h;
  }

  setClientId(id: Uint8Array): void {
    const r = this.#a.setClientId(this.#handle(), id);
    if (r !== 0) throw new DtlsEngineError(DTLS_ERRORS[r] ?? "InternalError", "setClientId");
  }
  feed(now: number, datagram: Uint8Array): void {
    const r = this.#a.feed(this.#handle(), now, datagram);
    if (r !== 0) throw new DtlsEngineError(DTLS_ERRORS[r] ?? "InternalError", "feed");
  }
  takeOutgoing(): Uint8Array | undefined {
    return this.#take(BOARD_OUTGOING, this.#a.takeOutgoingInto, this.#a.takeOutgoing);
  }
  write(now: number, data: Uint8Array): void {
    const r = this.#a.write(this.#handle(), now, data);
    if (r !== 0) throw new DtlsEngineError(DTLS_ERRORS[r] ?? "InternalError", "write");
  }
  read(): Uint8Array | undefined {
    return this.#take(BOARD_READ, this.#a.readInto, this.#a.read);
  }
  /** The next queue entry: sized from the board and copied into a slab view, or asked for whole. */
  #take(slot: number, into: (h: Handle, dst: Uint8Array) => number, whole: (h: Handle) => Uint8Array | undefined): Uint8Array | undefined {
    const h = this.#handle();
    const board = this.#board;
    if (board === undefined) return whole(h);
    const size = board[slot]!;
    if (size === 0) return undefined;
    const bytes = slab(size);
    into(h, bytes);
    return bytes;
  }
  handleTimer(now: number): void { this.#a.onTimer(this.#handle(), now); }
  nextDeadline(): number | undefined {
    const h = this.#handle();
    if (!this.#board) return this.#a.nextDeadline(h);
    const d = this.#board[BOARD_DEADLINE]!;
    return Number.isNaN(d) ? undefined : d;
  }
  state(): DtlsEngineState { return DTLS_STATES[this.#status() >> 4] ?? "failed"; }
  error(): DtlsErrorName { return DTLS_ERRORS[this.#status() & 15] ?? "InternalError"; }
  #status(): number {
    const h = this.#handle();
    return this.#board ? this.#board[BOARD_STATUS]! : this.#a.status(h);
  }
  cipherSuite(): number { return this.#a.cipherSuite(this.#handle()); }
  /** Largest application record write() accepts now (0 until connected). */
  maxRecordPayload(): number { return this.#a.maxPayload(this.#handle()); }
  close(now: number): void { this.#a.close(this.#handle(), now); }
  free(): void {
    if (this.#h) this.#a.free(this.#h);
    this.#h = undefined;
  }
  keyLog(): string | undefined { return this.#a.keyLog(this.#handle()); }
}

export class NapiDtlsBinding implements DtlsBinding {
  createEngine(now: number, options: DtlsEngineOptions): DtlsEngine {
    const a = load();
    const c = options.credentials;
    const role = options.role === "server" ? 1 : 0;
    const min = options.handshakeTimeoutMinMs ?? 8000;
    const max = options.handshakeTimeoutMaxMs ?? 60000;
    const board = new Float64Array(new ArrayBuffer(BOARD_SLOTS * 8)).fill(NOT_PUBLISHED);
    const h = c.mode === "psk"
      ? a.create(role, 0, c.key, c.identity, null, false, min, max, now, board)
      : a.create(role, 1, c.certificate, c.privateKey, c.caChain, c.verifyPeer, min, max, now, board);
    return new NapiEngine(a, h, board);
  }
}

/** The host binding, loaded lazily on first createEngine. */
export const napiDtlsBinding: DtlsBinding = new NapiDtlsBinding();

/** The Mbed TLS the addon was linked with, as the device prints it at boot ("Mbed TLS 2.28.3"). */
export function napiMbedtlsVersion(): string {
  return load().mbedtlsVersion();
}
