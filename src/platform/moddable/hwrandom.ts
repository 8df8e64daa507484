// RandomSource on the hardware RNG (native/hwrandom.c: esp_fill_random on ESP32, the
// SoftDevice RNG on nRF52, getrandom on the lin simulator).
import type { RandomSource } from "../random.js";

export const hardwareRandom: RandomSource = {
  fill(bytes: Uint8Array): void {
    return native("xs_hwrandom_fill").call(this, bytes) as void;
  },
};
