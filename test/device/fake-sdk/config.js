import { sdk } from "./state.js";

// mc/config is read per boot, so the test can boot with different settings.
export default new Proxy({}, { get: (_, key) => sdk.config[key] });
