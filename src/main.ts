// Device entry (Moddable: module "main"). Builds the platform for the board the manifest
// selected, starts the shell and the CoAPS agent, then lets networking start once the board
// reports the network up. Node never imports this file: the host uses host-sim/.
import { startCoapsApp } from "./app.js";
import { board } from "./platform/moddable/board.js";
import { openDevice } from "./platform/moddable/device.js";

const device = openDevice(board);
device.say(`moddable-coaps on ${board.name}, shell on ${device.shellDescription}`);
// Which Mbed TLS was really linked (on lin another one than intended is easy to link by mistake).
const tls = board.tlsLibrary();
if (tls !== undefined) device.say(`DTLS: ${tls}`);
device.startNetwork();
startCoapsApp(device.platform, { port: device.coapsPort });
