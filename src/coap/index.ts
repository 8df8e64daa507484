// The CoAP layer: codec (numbers, message, options, encode, decode) and the sans-IO endpoint.
export * from "./numbers.js";
export * from "./message.js";
export * from "./errors.js";
export * from "./options.js";
export * from "./encode.js";
export * from "./decode.js";
export * from "./endpoint.js";
export * from "./link-format.js";
export { isFresherNotification, OBSERVE_SEQUENCE_MASK, OBSERVE_REORDER_WINDOW_MS } from "./observe.js";
