// The one place the XS side crosses to the host: a synchronous issueCommand round trip.
// The host answers every call with a Status byte; an ERROR carries the error's name and
// message, rethrown here so the firmware sees the same error it would see on Node.
import { Status } from "./ops.js";
import { WireReader, WireWriter } from "./wire.js";

/** xsnap's host function: writes the bytes to the parent and blocks for its reply. */
declare const issueCommand: (message: ArrayBuffer) => ArrayBuffer;

// One writer serves every call (finish() copies the message out): a call is built and sent
// before the next one starts. Should one ever start while another is being built, it gets a
// writer of its own.
const shared = new WireWriter(256);
let sharedInUse = false;

/** Starts a native call message; pass it to `call` when the arguments are written. */
export function begin(op: number): WireWriter {
  if (sharedInUse) return new WireWriter(64).u8(op);
  sharedInUse = true;
  return shared.reset().u8(op);
}

export function call(message: WireWriter): WireReader {
  const bytes = message.finish();
  if (message === shared) sharedInUse = false;
  const reply = new WireReader(new Uint8Array(issueCommand(bytes)));
  if (reply.u8() === Status.OK) return reply;
  const name = reply.text();
  const text = reply.text();
  const error = name === "RangeError" ? new RangeError(text) : name === "TypeError" ? new TypeError(text) : new Error(text);
  if (error.name !== name) error.name = name;
  throw error;
}
