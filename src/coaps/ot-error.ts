// OpenThread's otError numbers and name strings (spec §1.4), limited to the ones this agent and
// its shell return. Agent commands return an OtError; only the shell turns it into `Done` /
// `Error n: Name`.

export const OtError = Object.freeze({
  None: 0,
  Failed: 1,
  NoBufs: 3,
  Parse: 6,
  InvalidArgs: 7,
  Abort: 11,
  InvalidState: 13,
  Already: 24,
  NotCapable: 27,
  ResponseTimeout: 28,
  InvalidCommand: 35,
} as const);
export type OtError = (typeof OtError)[keyof typeof OtError];

/** OpenThread's name for each number (otThreadErrorToString); a new member must add its name here. */
const NAMES: Readonly<Record<OtError, string>> = Object.freeze({
  0: "OK",
  1: "Failed",
  3: "NoBufs",
  6: "Parse",
  7: "InvalidArgs",
  11: "Abort",
  13: "InvalidState",
  24: "Already",
  27: "NotCapable",
  28: "ResponseTimeout",
  35: "InvalidCommand",
});

/** `28: ResponseTimeout`, the form used in result lines and async error lines. */
export function otErrorText(error: OtError): string {
  return `${error}: ${NAMES[error]}`;
}
