export { DtlsSession, closeReasonOf } from "./session.js";
export type { DtlsCloseReason, DtlsSessionEvent, DtlsSessionOptions, DtlsTransmit } from "./session.js";
export { TimedDtlsSession } from "./timed-session.js";
export type { DtlsSessionEvents, TimedDtlsSessionOptions } from "./timed-session.js";
export { transportIdOf } from "./transport-id.js";
