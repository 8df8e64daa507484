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

/**
 * A mutating call on the host engine, answered with its snapshot even when the call threw: an
 * engine may change before it refuses (a feed that queued the records that fitted, then found
 * its read queue full), and XS must see that change at once, as a caller on Node does. The
 * error, if any, follows the snapshot as its name and message.
 */
export function writeDtlsOutcome(w: WireWriter, engine: DtlsEngine, call: () => void): void {
  let failure: Error | undefined;
  try {
    call();
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
  }
  writeDtlsSnapshot(w, engine);
  if (failure === undefined) w.u8(0);
  else w.u8(1).text(failure.name).text(failure.message);
}

/** The XS side of writeDtlsOutcome: the snapshot, and the error the host call threw (if any). */
export function readDtlsOutcome(r: WireReader): { snapshot: DtlsSnapshot; error: Error | undefined } {
  const snapshot = readDtlsSnapshot(r);
  if (r.u8() === 0) return { snapshot, error: undefined };
  const name = r.text();
  const text = r.text();
  // Rebuilt as native-call.ts rebuilds a failed call's error: the same class where XS has it.
  const error = name === "RangeError" ? new RangeError(text) : name === "TypeError" ? new TypeError(text) : new Error(text);
  if (error.name !== name) error.name = name;
  return { snapshot, error };
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
