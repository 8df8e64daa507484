// Waits for Wi-Fi on ESP32. With ssid=/password= on the mcconfig line, Moddable's
// setup/network joins before main runs, so the address is usually there already; without
// it we join here if the config names an SSID, and otherwise say how to give one.
import { config } from "./sdk.js";
import { Net, WiFi, type WiFiMonitor } from "./sdk-wifi.js";

let monitor: WiFiMonitor | undefined; // kept referenced so its callbacks keep coming

export function watchWiFi(say: (line: string) => void, up: () => void): void {
  const address = Net.get("IP");
  if (address !== undefined && address !== "") {
    say(`Wi-Fi up, address ${address}: coaps networking enabled`);
    up();
    return;
  }
  const ssid = config["ssid"];
  if (typeof ssid !== "string" || ssid === "") {
    say("No Wi-Fi: rebuild with ssid=<name> password=<secret>; coaps start needs a network");
    return;
  }
  const password = typeof config["password"] === "string" ? config["password"] : undefined;
  say(`Wi-Fi: joining "${ssid}"; coaps networking starts once it is up`);
  WiFi.mode = 1;
  let isUp = false;
  monitor = new WiFi(password === undefined ? { ssid } : { ssid, password }, (event, code) => {
    if (event === "gotIP" && !isUp) {
      isUp = true;
      say(`Wi-Fi up, address ${Net.get("IP") ?? "?"}: coaps networking enabled`);
      up();
    } else if (event === "disconnect") {
      say(code === -1 ? "Wi-Fi: password rejected" : "Wi-Fi: disconnected");
    } else if (event === "lostIP") {
      say("Wi-Fi: address lost");
    }
  });
}
