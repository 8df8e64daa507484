// The one place the XS side crosses to the host: a synchronous issueCommand round trip.
// The host answers every call with a Status byte; an ERROR carries the error's name and
// message, rethrown here so the firmware sees the same error it would see on Node.
import { Status } from "./ops.js";
import { WireReader, WireWriter } from "./wire.js";

/** xsnap's host function: writes the bytes to the parent and blocks for its reply. */
declare const issueCommand: (message: ArrayBuffer) => ArrayBuffer;

/** Starts a native call message; pass it to `call` when the arguments are written. */
export function begin(op: number): WireWriter {
  return new WireWriter(32).u8(op);
}

export function call(message: WireWriter): WireReader {
  const reply = new WireReader(new Uint8Array(issueCommand(message.finish())));
  if (reply.u8() === Status.OK) return reply;
  const name = reply.text();
  const text = reply.text();
  const error = name === "RangeError" ? new RangeError(text) : name === "TypeError" ? new TypeError(text) : new Error(text);
  if (error.name !== name) error.name = name;
  throw error;
}
