// Why `coaps start` failed. OpenThread prints `Error 1: Failed` for every cause; the agent
// keeps the cause so a verbose console or the simulator log can say which.

import { OtError } from "./ot-error.js";

export type StartFailureReason =
  | "PortInUse"      // UDP 5684 is bound already
  | "NoNetwork"      // no network interface is up
  | "BadCredentials" // the DTLS engine refused the configured credentials (InvalidInput)
  | "EngineError"    // the DTLS engine could not be made for another reason (e.g. OutOfMemory)
  | "TransportError"; // the platform refused the socket for another reason

export interface StartFailure {
  readonly error: typeof OtError.Failed;
  readonly reason: StartFailureReason;
  /** The platform's own words, for the log line. */
  readonly detail: string;
}

/** What `start` answers: an OtError (None, Already), or a failure with its reason. */
export type StartResult = OtError | StartFailure;

export function startFailure(reason: StartFailureReason, detail: string): StartFailure {
  return { error: OtError.Failed, reason, detail };
}

/** The UdpFactory's documented errors (src/platform/udp.ts) mapped to a reason. */
export function transportFailure(error: unknown): StartFailure {
  const detail = error instanceof Error ? error.message : String(error);
  if (/in use/i.test(detail)) return startFailure("PortInUse", detail);
  if (/no network/i.test(detail)) return startFailure("NoNetwork", detail);
  return startFailure("TransportError", detail);
}

/** A DtlsBinding.createEngine error for the listener mapped to a reason. */
export function engineFailure(error: unknown): StartFailure {
  const detail = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : "";
  return startFailure(/InvalidInput/.test(`${name} ${detail}`) ? "BadCredentials" : "EngineError", detail);
}

/** The separate line a verbose console or the simulator log prints after a failed start. */
export function startFailureLine(failure: StartFailure): string {
  return `coaps start failed: ${failure.reason} (${failure.detail})`;
}
