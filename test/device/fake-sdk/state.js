// What the fakes share with the test: set `config` and `net` before a boot, read the rest after.
export const sdk = {
  config: {},
  net: {},
  serial: undefined,
  wifi: undefined,
  udp6: [],
};
globalThis.__fakeModdable = sdk;
