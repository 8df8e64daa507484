// The Moddable SDK modules every device build uses, named in one place. Its types are in
// sdk.d.ts (our own minimal declarations), so the rest of the firmware imports "./sdk.js"
// and type-checks on machines without the SDK.
export { default as Serial } from "embedded:io/serial";
export { default as Timer } from "timer";
export { default as Time } from "time";
export { default as config } from "mc/config";
