// Our minimal declarations of the Moddable SDK modules (src/platform/moddable/sdk*.d.ts, which
// the firmware is type-checked and compiled against) checked against the SDK's published
// declarations (@moddable/typings). Each statement is one thing the firmware relies on: what it
// passes must be accepted by the SDK's signature, and what the SDK returns must fit our type.
// A `@ts-expect-error` marks a known disagreement with its reason; it fails the check the day
// the SDK's declaration changes, so the list stays true. Type-checked only, never run.
import SdkSerial from "embedded:io/serial";
import SdkUdp from "embedded:io/socket/udp";
import SdkTimer from "timer";
import SdkTime from "time";
import SdkWiFi from "wifi";
import SdkNet from "net";
import sdkConfig from "mc/config";
import type { Serial419, SerialOptions419, TimerId } from "../../src/platform/moddable/sdk.js";
import type { Udp419, UdpOptions419, UdpPacket419 } from "../../src/platform/moddable/sdk-udp.js";
import type { WiFi as OurWiFi, Net as OurNet, WiFiEvent } from "../../src/platform/moddable/sdk-wifi.js";
import type { Time as OurTime, Timer as OurTimer, config as ourConfig } from "../../src/platform/moddable/sdk.js";

type Arg<F, I extends number = 0> = F extends (...args: infer A) => unknown ? A[I] : never;

// ---- embedded:io/serial (serial.ts: ShellSerial) ----
declare const serial: SdkSerial;
// ESP32 and nRF52: port and pins, "buffer" format, both callbacks (their `this` is unused).
declare const pinned: Required<Pick<SerialOptions419, "port" | "transmit" | "receive" | "baud" | "format">>;
new SdkSerial({ ...pinned, onReadable: (count: Arg<SerialOptions419["onReadable"]>) => void count, onWritable: (count: Arg<SerialOptions419["onWritable"]>) => void count });
// lin: Moddable's lin serial opens a tty by path.
declare const linUart: Required<Pick<SerialOptions419, "device" | "baud" | "format">>;
// @ts-expect-error the published typings know no lin `device` option and require `port`
new SdkSerial(linUart);
// ShellSerial.#drain writes ArrayBuffers.
serial.write(null as unknown as Arg<Serial419["write"]>);
// The SDK types read() for format "number" too; we always open with format "buffer".
const serialRead: ReturnType<Serial419["read"]> | number = serial.read();
serial.close();

// ---- embedded:io/socket/udp (udp.ts: createUdpFactory over the stock socket on lin/ipv4) ----
declare const udp: SdkUdp;
declare const udpOptions: Required<Pick<UdpOptions419, "port">>;
new SdkUdp({ ...udpOptions, onReadable: (count: Arg<UdpOptions419["onReadable"]>) => void count });
// The adapter writes Uint8Arrays (and the declaration allows ArrayBuffers).
udp.write(null as unknown as Arg<Udp419["write"]>, "127.0.0.1", 5684);
// A datagram carries its sender; "undefined when empty" is ours (the typings omit it).
const datagram: ReturnType<Udp419["read"]> = udp.read();
const packet: UdpPacket419 = udp.read();
// @ts-expect-error the published typings have no close() on the UDP socket; Moddable's has one
udp.close();

// ---- timer, time (clock.ts) ----
// Our TimerId stands for the SDK's opaque Timer: clock.ts passes the SDK's callbacks and
// handles through it, so both directions must fit.
declare const sdkTimer: SdkTimer;
declare const ourTimerId: TimerId;
const timerId: TimerId = sdkTimer;
const callback: Arg<typeof SdkTimer.set> = null as unknown as Arg<typeof OurTimer.set>;
const handle: TimerId = SdkTimer.set(callback, null as unknown as Arg<typeof OurTimer.set, 1>, null as unknown as Arg<typeof OurTimer.set, 2>);
// @ts-expect-error the SDK's Timer is a branded class: our opaque TimerId is not one (clock.ts only hands back what set returned)
SdkTimer.clear(ourTimerId);
const ticks: typeof OurTime.ticks = SdkTime.ticks;

// ---- wifi, net (wifi.ts: watchWiFi) ----
declare const wifiOptions: ConstructorParameters<typeof OurWiFi>[0];
const monitor: InstanceType<typeof OurWiFi> = new SdkWiFi(wifiOptions, (event) => {
  const ours: WiFiEvent | "station_connect" | "station_disconnect" = event;
  void ours;
});
SdkWiFi.mode = 1 satisfies typeof OurWiFi.mode;
const address: ReturnType<typeof OurNet.get> = SdkNet.get("IP");
// The typings say get("IP") is always a string; Moddable answers undefined while no address is
// assigned, which our declaration (string | undefined) keeps.

// ---- mc/config ----
const config: typeof ourConfig = sdkConfig;

export const checked = [serialRead, datagram, packet, timerId, handle, ticks, monitor, address, config];
