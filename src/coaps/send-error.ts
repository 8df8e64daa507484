// Why a CoAP message could not be handed to the DTLS session, as the otError that OpenThread's
// CLI prints in `coaps send response error <n>: <Name>` (spec §4). OpenThread prints that line
// when building or sending the response fails before the message leaves the CLI handler; here
// the record is encrypted at once, so a DTLS write the engine refuses is that failure.
//
// Not this line: a message over the 900-byte record limit (spec §7.4, §8.5). OpenThread queues
// the response, prints `coaps response sent` and drops the record later in its transmit task;
// CoapEndpoint drops it the same way before it ever reaches DTLS.
import { OtError } from "./ot-error.js";

/**
 * The engine failures that mean "no room for this record" (OpenThread's NoBufs: its DTLS send
 * buffer is too small, mbedTLS could not allocate, no message buffer): the record is over the
 * engine's own record limit (InvalidInput, the session being connected), mbedTLS ran out of
 * memory, or the engine's send queue was full.
 */
const NO_BUFS: readonly string[] = Object.freeze(["InvalidInput", "OutOfMemory", "QueueFull"]);

/**
 * The engine error name a binding's exception carries: `Error(<name>)` (xsmc, xsnap) or an
 * error named <name> with message `write: <name>` (N-API). Undefined for anything else.
 */
export function engineErrorName(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const tail = e.message.slice(e.message.lastIndexOf(" ") + 1);
  for (const candidate of [e.name, tail]) if (/^[A-Z][A-Za-z]+$/.test(candidate) && candidate !== "Error") return candidate;
  return undefined;
}

/** The otError for a DTLS write that threw `e`: NoBufs for want of room, else Failed. */
export function sendFailure(e: unknown): OtError {
  const name = engineErrorName(e);
  return name !== undefined && NO_BUFS.includes(name) ? OtError.NoBufs : OtError.Failed;
}

/** The part of a DtlsSession a CoAP message is sent through. */
export interface RecordSink {
  send(now: number, bytes: Uint8Array): void;
}

/**
 * One CoAP message as one record of a connected session (the agent's slot and each server
 * slot alike): None once DTLS took it, or when there is no connected session to take it (the
 * message is dropped, as OpenThread drops it); otherwise why the write failed.
 */
export function sendRecord(session: RecordSink | undefined, connected: boolean, now: number, bytes: Uint8Array): OtError {
  if (session === undefined || !connected) return OtError.None;
  try {
    session.send(now, bytes);
    return OtError.None;
  } catch (e) {
    // No room for the record, or the session is going down (its "closed" event follows).
    return sendFailure(e);
  }
}
