import { sdk } from "./state.js";

export default { get: (property) => sdk.net[property] };
