// What the fakes share with the test: set `config` and `net` before a boot, read the rest after.
export const sdk = {
  config: {},
  net: {},
  serial: undefined,
  wifi: undefined,
  udp6: [],
  /** What xs_mbedtls_version answers. */
  mbedtls: "Mbed TLS 4.0.0",
};
globalThis.__fakeModdable = sdk;
