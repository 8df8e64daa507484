// The device entry (src/main.ts) booted in Node with fakes of the Moddable modules it imports
// (fake-sdk/: a resolve hook maps "embedded:io/serial", "timer", "wifi"... to them) and of the
// XS natives: what the user sees on the shell UART, and that networking waits for Wi-Fi.
import test from "ava";
import { register } from "node:module";
import "./fake-sdk/natives.js";
import { sdk } from "./fake-sdk/state.js";

register("./fake-sdk/hooks.mjs", import.meta.url);

interface FakeSerial {
  options: { port?: number; transmit?: number; receive?: number; baud: number; format?: string };
  type(text: string): void;
  text(): string;
}

let boots = 0;
async function boot(config: Record<string, unknown>, net: Record<string, string> = {}): Promise<FakeSerial> {
  sdk.config = config;
  sdk.net = net;
  sdk.wifi = undefined;
  sdk.udp6 = [];
  await import(`../../src/main.ts?boot=${++boots}`);
  await settle();
  return sdk.serial as unknown as FakeSerial;
}

/** Lets the fake UART drain the queued output. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 5));
}

async function command(serial: FakeSerial, line: string): Promise<string> {
  const before = serial.text().length;
  serial.type(`${line}\r`);
  for (let i = 0; i < 50 && !/(Done|Error \d+: \w+)\r\n> /.test(serial.text().slice(before)); i++) await new Promise((r) => setTimeout(r, 10));
  return serial.text().slice(before);
}

const MANIFEST_CONFIG = { coapsPort: 5684, shellPort: 1, shellTx: 32, shellRx: 33, shellBaud: 115200, udp: "dual" };

test.serial("with Wi-Fi already up, the shell says where it is and that networking is on, then coaps start binds 5684", async (t) => {
  const serial = await boot({ ...MANIFEST_CONFIG, ssid: "lab" }, { IP: "192.168.1.20" });
  t.like(serial.options, { port: 1, transmit: 32, receive: 33, baud: 115200, format: "buffer" });
  t.is(serial.text(),
    "moddable-coaps on esp32, shell on UART1 (TX 32, RX 33) at 115200 baud\r\n" +
    "DTLS: Mbed TLS 4.0.0\r\n" +
    "Wi-Fi up, address 192.168.1.20: coaps networking enabled\r\n> ");
  t.regex(await command(serial, "coaps start"), /Done\r\n/);
  t.is(sdk.udp6.length, 1);
  t.is((sdk.udp6[0] as { port: number }).port, 5684);
});

test.serial("networking starts only once Wi-Fi reports an address, and the shell says so", async (t) => {
  const serial = await boot({ ...MANIFEST_CONFIG, ssid: "lab", password: "pw", coapsPort: "6000" });
  t.regex(serial.text(), /Wi-Fi: joining "lab"; coaps networking starts once it is up\r\n> $/);
  const wifi = sdk.wifi as unknown as { options: unknown; callback(event: string, code?: number): void; mode: number };
  t.deepEqual(wifi.options, { ssid: "lab", password: "pw" });
  t.is(wifi.mode, 1);
  t.regex(await command(serial, "coaps start"), /Error 1: Failed\r\n/);
  t.is(sdk.udp6.length, 0, "no socket before Wi-Fi is up");
  wifi.callback("disconnect", -1);
  sdk.net = { IP: "10.0.0.9" };
  wifi.callback("gotIP");
  await settle();
  t.regex(serial.text(), /Wi-Fi: password rejected\r\nWi-Fi up, address 10\.0\.0\.9: coaps networking enabled\r\n$/);
  t.regex(await command(serial, "coaps start"), /Done\r\n/);
  t.is((sdk.udp6[0] as { port: number }).port, 6000, "coapsPort from the mcconfig command line");
});

test.serial("without Wi-Fi credentials the shell still runs and says how to add them", async (t) => {
  const serial = await boot({ ...MANIFEST_CONFIG, shellPort: "0", shellTx: "1", shellRx: "3" });
  t.like(serial.options, { port: 0, transmit: 1, receive: 3 });
  t.regex(serial.text(), /No Wi-Fi: rebuild with ssid=<name> password=<secret>; coaps start needs a network\r\n> $/);
  t.regex(await command(serial, "coaps start"), /Error 1: Failed\r\n/);
  t.is(sdk.wifi, undefined);
});

test.serial("the boot banner names the Mbed TLS the firmware was linked with, mismatch included", async (t) => {
  sdk.mbedtls = "Mbed TLS 2.28.3 (compiled against 4.0.0 headers)";
  try {
    const serial = await boot({ ...MANIFEST_CONFIG, ssid: "lab" }, { IP: "192.168.1.20" });
    t.regex(serial.text(), /^moddable-coaps on esp32, [^\r]*\r\nDTLS: Mbed TLS 2\.28\.3 \(compiled against 4\.0\.0 headers\)\r\n/);
  } finally {
    sdk.mbedtls = "Mbed TLS 4.0.0";
  }
});
