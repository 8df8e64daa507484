// DtlsBinding inside xsnap: each engine is a host-side N-API engine named by an id. Mutating
// calls cost one round trip and bring back a snapshot; queries are served from it.
import type { DtlsBinding, DtlsEngine, DtlsEngineOptions, DtlsEngineState, DtlsErrorName } from "../dtls-binding.js";
import { type DtlsSnapshot, readDtlsOutcome, readDtlsSnapshot, writeDtlsOptions } from "./dtls-wire.js";
import { begin, call } from "./native-call.js";
import { Native } from "./ops.js";
import { latin1Decode } from "../../bytes/text.js";

class ProxyEngine implements DtlsEngine {
  readonly #id: number;
  #snapshot: DtlsSnapshot;
  #freed = false;

  constructor(id: number, snapshot: DtlsSnapshot) {
    this.#id = id;
    this.#snapshot = snapshot;
  }

  #apply(op: number, now: number | undefined, bytes: Uint8Array | undefined): void {
    if (this.#freed) throw new Error("engine freed");
    const w = begin(op).u32(this.#id);
    if (now !== undefined) w.f64(now);
    if (bytes !== undefined) w.bytes(bytes);
    const { snapshot: next, error } = readDtlsOutcome(call(w));
    // Output not yet taken stays ahead of the new output, as in the engine's own queue.
    const { outgoing, records } = this.#snapshot;
    if (outgoing.length > 0) next.outgoing = outgoing.concat(next.outgoing);
    if (records.length > 0) next.records = records.concat(next.records);
    this.#snapshot = next;
    if (error !== undefined) throw error; // after the snapshot: the engine may have changed first
  }

  setClientId(id: Uint8Array): void { this.#apply(Native.DTLS_CLIENT_ID, undefined, id); }
  feed(now: number, datagram: Uint8Array): void { this.#apply(Native.DTLS_FEED, now, datagram); }
  write(now: number, data: Uint8Array): void { this.#apply(Native.DTLS_WRITE, now, data); }
  handleTimer(now: number): void { this.#apply(Native.DTLS_TIMER, now, undefined); }
  close(now: number): void { this.#apply(Native.DTLS_CLOSE, now, undefined); }

  takeOutgoing(): Uint8Array | undefined { if (this.#freed) throw freedError(); return this.#snapshot.outgoing.shift(); }
  read(): Uint8Array | undefined { if (this.#freed) throw freedError(); return this.#snapshot.records.shift(); }
  nextDeadline(): number | undefined { if (this.#freed) throw freedError(); return this.#snapshot.deadline; }
  state(): DtlsEngineState { if (this.#freed) throw freedError(); return this.#snapshot.state; }
  error(): DtlsErrorName { if (this.#freed) throw freedError(); return this.#snapshot.error; }
  cipherSuite(): number { if (this.#freed) throw freedError(); return this.#snapshot.cipherSuite; }

  keyLog(): string | undefined {
    this.#live();
    const bytes = call(begin(Native.DTLS_KEYLOG).u32(this.#id)).optBytes();
    return bytes === undefined ? undefined : latin1Decode(bytes);
  }

  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    call(begin(Native.DTLS_FREE).u32(this.#id));
  }

  #live(): void {
    if (this.#freed) throw freedError();
  }
}

// Queries check liveness inline: they run several times per record (DtlsSession asks state,
// output and deadline after every operation), and on XS a private method call is not free.
function freedError(): Error { return new Error("engine freed"); }

export const proxyDtlsBinding: DtlsBinding = {
  createEngine(now: number, options: DtlsEngineOptions): DtlsEngine {
    const w = begin(Native.DTLS_CREATE).f64(now);
    writeDtlsOptions(w, options);
    const reply = call(w);
    const id = reply.u32();
    return new ProxyEngine(id, readDtlsSnapshot(reply));
  },
};
