// Types of state.js for the TypeScript tests.
export declare const sdk: {
  config: Record<string, unknown>;
  net: Record<string, string>;
  serial: unknown;
  wifi: unknown;
  udp6: unknown[];
  mbedtls: string;
};
