export { DtlsSession, closeReasonOf } from "./session.js";
export type { DtlsCloseReason, DtlsSessionEvents, DtlsSessionOptions } from "./session.js";
export { transportIdOf } from "./transport-id.js";
