import { sdk } from "./state.js";

export default class WiFi {
  static mode = 0;
  constructor(options, callback) {
    sdk.wifi = { options, callback, mode: WiFi.mode };
  }
  close() {}
}
