// natives.js installs globalThis.Native / globalThis.native; it exports nothing.
export {};
