// Moddable's Linux simulator (mcconfig -p lin): the host's network is already up, and its
// ECMA-419 UDP is AF_INET only, so peers are IPv4 (udp6.c is lwIP code and is not built here).
import type { BoardParts } from "./device.js";
import { createNativeDtlsBinding } from "./dtls-native.js";
import { hardwareRandom } from "./hwrandom.js";
import { linkedMbedtls } from "./mbedtls-version.js";
import { UDP } from "./sdk-udp.js";
import { createUdpFactory } from "./udp.js";

export const board: BoardParts = {
  name: "lin",
  udp: (gate) => createUdpFactory(UDP, "ipv4", gate),
  dtls: createNativeDtlsBinding,
  random: hardwareRandom,
  watchNetwork: (say, up) => {
    say("Simulator: host network (IPv4 only): coaps networking enabled");
    up();
  },
  tlsLibrary: () => linkedMbedtls.describe(),
};
