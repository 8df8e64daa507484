// nRF52: no IP stack and no mbedTLS in Moddable's build (moddable-target.md §0.2, §0.4), so
// the shell and the CoAP codec run, and anything that needs a socket or DTLS says why not.
import type { BoardParts } from "./device.js";
import { hardwareRandom } from "./hwrandom.js";

const WHY = "no IP stack on nRF52";

export const board: BoardParts = {
  name: "nrf52",
  udp: () => () => {
    throw new Error(WHY);
  },
  dtls: () => ({
    createEngine: () => {
      throw new Error(`DTLS is not built for nRF52 (${WHY})`);
    },
  }),
  random: hardwareRandom,
  watchNetwork: (say) => say("nRF52: no IP stack, so shell and CoAP codec only; coaps start cannot open a socket"),
  tlsLibrary: () => undefined,
};
