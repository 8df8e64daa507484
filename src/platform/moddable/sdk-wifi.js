// Moddable's Wi-Fi station and network-info modules (ESP32 only). Types in sdk-wifi.d.ts.
// "net" here is the Moddable SDK's own module (modules/network/net, documentation/network/
// network.md), which mcconfig resolves for the device build; it is not Node's `net`, and this
// file is reached only from the device entry (test/portability.test.ts allows SDK specifiers
// only under src/platform/moddable/).
export { default as WiFi } from "wifi";
export { default as Net } from "net";
