// Moddable's Wi-Fi station and network-info modules (ESP32 only). Types in sdk-wifi.d.ts.
export { default as WiFi } from "wifi";
export { default as Net } from "net";
