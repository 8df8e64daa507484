// ESP32 with Wi-Fi: dual-stack UDP through our udp6 module (config udp: "ipv4" selects
// Moddable's stock IPv4-only socket instead), DTLS through the native engine, the hardware RNG.
import type { BoardParts } from "./device.js";
import { createNativeDtlsBinding } from "./dtls-native.js";
import { hardwareRandom } from "./hwrandom.js";
import { linkedMbedtls } from "./mbedtls-version.js";
import { config } from "./sdk.js";
import { UDP } from "./sdk-udp.js";
import { createUdpFactory } from "./udp.js";
import UDP6 from "./udp6.js";
import { watchWiFi } from "./wifi.js";

export const board: BoardParts = {
  name: "esp32",
  udp: (gate) => (config["udp"] === "ipv4" ? createUdpFactory(UDP, "ipv4", gate) : createUdpFactory(UDP6, "dual", gate)),
  dtls: createNativeDtlsBinding,
  random: hardwareRandom,
  watchNetwork: watchWiFi,
  tlsLibrary: () => linkedMbedtls.describe(),
};
