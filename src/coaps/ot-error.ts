// OpenThread's otError numbers and name strings (spec §1.4). Agent commands return an OtError;
// only the shell turns it into `Done` / `Error n: Name`.

export const OtError = Object.freeze({
  None: 0,
  NoBufs: 3,
  Failed: 1,
  Parse: 6,
  InvalidArgs: 7,
  Abort: 11,
  InvalidState: 13,
  Already: 24,
  NotCapable: 27,
  ResponseTimeout: 28,
  InvalidCommand: 35,
} as const);
export type OtError = number;

const NAMES: readonly string[] = Object.freeze([
  "OK", "Failed", "Drop", "NoBufs", "NoRoute", "Busy", "Parse", "InvalidArgs", "Security",
  "AddressQuery", "NoAddress", "Abort", "NotImplemented", "InvalidState", "NoAck",
  "ChannelAccessFailure", "Detached", "FcsErr", "NoFrameReceived", "UnknownNeighbor",
  "InvalidSourceAddress", "AddressFiltered", "DestinationAddressFiltered", "NotFound", "Already",
  "ReservedError25", "Ipv6AddressCreationFailure", "NotCapable", "ResponseTimeout", "Duplicated",
  "ReassemblyTimeout", "NotTmf", "NonLowpanDataFrame", "ReservedError33", "LinkMarginLow",
  "InvalidCommand", "Pending", "Rejected",
]);

export function otErrorName(error: OtError): string {
  return NAMES[error] ?? "UnknownErrorType";
}

/** `28: ResponseTimeout`, the form used in result lines and async error lines. */
export function otErrorText(error: OtError): string {
  return `${error}: ${otErrorName(error)}`;
}
