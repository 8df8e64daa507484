// Stand-ins for the XS forms Native()/native(): the device's native functions, in JS.
import { randomFillSync } from "node:crypto";
import { sdk } from "./state.js";

const natives = {
  xs_udp6_constructor(options) {
    this.fake = { port: options.port ?? 0, onReadable: options.onReadable, sent: [], open: true };
    sdk.udp6.push(this.fake);
  },
  xs_udp6_read() {
    return undefined;
  },
  xs_udp6_write(data, address, port) {
    this.fake.sent.push({ address, port, length: data.byteLength });
  },
  xs_udp6_close() {
    this.fake.open = false;
  },
  xs_hwrandom_fill(bytes) {
    randomFillSync(bytes);
  },
  xs_mbedtls_version() {
    return sdk.mbedtls;
  },
};

globalThis.Native = () => class {};
globalThis.native = (name) => {
  const f = natives[name];
  if (!f) return () => { throw new Error(`fake native ${name} not implemented`); };
  return f;
};
