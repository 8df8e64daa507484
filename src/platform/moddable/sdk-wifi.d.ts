// Minimal declarations of Moddable's `wifi` and `net` modules (documentation/network/network.md).

/** Station events: "connect", "gotIP", "lostIP", "disconnect" (code -1: password rejected). */
export type WiFiEvent = "connect" | "gotIP" | "lostIP" | "disconnect";

export interface WiFiMonitor {
  close(): void;
}

export declare const WiFi: {
  new (
    options: { readonly ssid: string; readonly password?: string },
    callback: (event: WiFiEvent, code?: number) => void,
  ): WiFiMonitor;
  /** 1 = station. */
  mode: number;
};

export declare const Net: {
  /** "IP" gives the station's IPv4 address, undefined while there is none. */
  get(property: "IP" | "SSID" | "MAC"): string | undefined;
};
