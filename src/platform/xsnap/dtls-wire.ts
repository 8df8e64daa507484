// DTLS engine options and state snapshots on the wire, shared by the XS proxy and the host.
// Every mutating engine call answers with a snapshot: the datagrams and records it produced
// plus its state, so the XS side serves takeOutgoing/read/state/nextDeadline locally and
// each engine operation costs one issueCommand round trip.
import type { DtlsEngine, DtlsEngineOptions, DtlsEngineState, DtlsErrorName } from "../dtls-binding.js";
import { DTLS_ERRORS, DTLS_STATES, ERROR_AS_TEXT } from "./ops.js";
import type { WireReader, WireWriter } from "./wire.js";

export function writeDtlsOptions(w: WireWriter, o: DtlsEngineOptions): void {
  w.u8(o.role === "client" ? 0 : 1);
  const c = o.credentials;
  if (c.mode === "psk") {
    w.u8(0).bytes(c.key).bytes(c.identity);
  } else {
    w.u8(1).bytes(c.certificate).bytes(c.privateKey).bytes(c.caChain).bool(c.verifyPeer);
  }
  w.optF64(o.handshakeTimeoutMinMs).optF64(o.handshakeTimeoutMaxMs);
}

export function readDtlsOptions(r: WireReader): DtlsEngineOptions {
  const role = r.u8() === 0 ? "client" : "server";
  const credentials = r.u8() === 0
    ? { mode: "psk" as const, key: r.bytes(), identity: r.bytes() }
    : { mode: "x509" as const, certificate: r.bytes(), privateKey: r.bytes(), caChain: r.bytes(), verifyPeer: r.bool() };
  const min = r.optF64(), max = r.optF64();
  return {
    role, credentials,
    ...(min === undefined ? {} : { handshakeTimeoutMinMs: min }),
    ...(max === undefined ? {} : { handshakeTimeoutMaxMs: max }),
  };
}

export interface DtlsSnapshot {
  state: DtlsEngineState;
  error: DtlsErrorName;
  cipherSuite: number;
  deadline: number | undefined;
  outgoing: Uint8Array[];
  records: Uint8Array[];
}

/** Drains the engine's output queues into the message (host side). */
export function writeDtlsSnapshot(w: WireWriter, engine: DtlsEngine): void {
  const error = engine.error();
  const errorIndex = (DTLS_ERRORS as readonly string[]).indexOf(error);
  w.u8(DTLS_STATES.indexOf(engine.state()));
  if (errorIndex >= 0) w.u8(errorIndex); else w.u8(ERROR_AS_TEXT).text(error);
  w.u32(engine.cipherSuite()).optF64(engine.nextDeadline());
  writeDrained(w, () => engine.takeOutgoing());
  writeDrained(w, () => engine.read());
}

function writeDrained(w: WireWriter, take: () => Uint8Array | undefined): void {
  const items: Uint8Array[] = [];
  for (let item = take(); item !== undefined; item = take()) items.push(item);
  w.u32(items.length);
  for (const item of items) w.bytes(item);
}

export function readDtlsSnapshot(r: WireReader): DtlsSnapshot {
  const state = DTLS_STATES[r.u8()] ?? "failed";
  const errorIndex = r.u8();
  const error = (errorIndex === ERROR_AS_TEXT ? r.text() : DTLS_ERRORS[errorIndex] ?? "InternalError") as DtlsErrorName;
  const cipherSuite = r.u32();
  const deadline = r.optF64();
  const outgoing: Uint8Array[] = [];
  for (let n = r.u32(); n > 0; n--) outgoing.push(r.bytes());
  const records: Uint8Array[] = [];
  for (let n = r.u32(); n > 0; n--) records.push(r.bytes());
  return { state, error, cipherSuite, deadline, outgoing, records };
}
