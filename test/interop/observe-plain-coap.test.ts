// Wire compatibility of the CoAP layer's Observe (RFC 7641) and /.well-known/core (RFC 6690)
// with libcoap, over plain CoAP on real loopback UDP (no DTLS: the agent is not wired to these
// yet). The test drives a CoapEndpoint from a Node dgram socket, real time.
import test from "ava";
import { createSocket, type Socket } from "node:dgram";
import { randomFillSync } from "node:crypto";
import { CoapEndpoint, type CoapEndpointOptions, type EndpointEvent } from "../../src/coap/endpoint.js";
import { CoapCode } from "../../src/coap/numbers.js";
import { finished, freeUdpPort, startPeer } from "./peers.js";
import { waitForUdpPort } from "../helpers/udp-ready.js";

const text = (s: string) => Uint8Array.from(Buffer.from(s, "latin1"));
const str = (b: Uint8Array) => Buffer.from(b).toString("latin1");

/** A CoapEndpoint on a real UDP socket: peers are keyed "address|port". */
class UdpCoap {
  readonly ep: CoapEndpoint;
  readonly events: EndpointEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #socket: Socket;
  readonly #onEvent: (e: EndpointEvent) => void;

  constructor(socket: Socket, options: Partial<CoapEndpointOptions>, onEvent: (e: EndpointEvent) => void) {
    this.ep = new CoapEndpoint({ random: { fill: (b) => { randomFillSync(b); } }, ...options });
    this.#socket = socket;
    this.#onEvent = onEvent;
    socket.on("message", (msg, rinfo) => this.run((now) => this.ep.handleDatagram(now, new Uint8Array(msg), `${rinfo.address}|${rinfo.port}`)));
  }

  /** Feeds one input at the current time and ships what comes out. */
  run(input: (now: number) => void): void {
    input(performance.now());
    // An answer given in onEvent is shipped in the same turn, not with the next input.
    for (let moved = true; moved;) {
      moved = false;
      for (let t = this.ep.pollTransmit(); t !== undefined; t = this.ep.pollTransmit()) {
        moved = true;
        const [address, port] = t.peer.split("|");
        this.#socket.send(t.bytes, Number(port), address);
      }
      for (let e = this.ep.pollEvent(); e !== undefined; e = this.ep.pollEvent()) { moved = true; this.events.push(e); this.#onEvent(e); }
    }
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const at = this.ep.pollTimeout();
    this.#timer = at === undefined ? undefined : setTimeout(() => this.run((now) => this.ep.handleTimeout(now)), Math.max(0, at - performance.now()));
  }

  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#socket.close();
  }
}

async function bound(port: number): Promise<Socket> {
  const socket = createSocket({ type: "udp6" });
  await new Promise<void>((resolve) => socket.bind(port, "::1", () => resolve()));
  return socket;
}

async function observableServer() {
  const port = await freeUdpPort();
  let count = 0;
  const server: UdpCoap = new UdpCoap(await bound(port), { wellKnownCore: true }, (e) => {
    if (e.kind === "request") e.respond({ code: CoapCode.CONTENT, payload: text(`count=${count}`) });
  });
  server.ep.registerResource("counter", { observable: true, maxAge: 10 });
  server.ep.registerResource("plain");
  const ticker = setInterval(() => {
    count++;
    server.run((now) => server.ep.notifyObservers(now, "counter", { code: CoapCode.CONTENT, payload: text(`count=${count}`) }));
  }, 500);
  return { port, server, close: () => { clearInterval(ticker); server.close(); } };
}

test.serial("libcoap coap-client -s observes the endpoint's resource and prints each notification", async (t) => {
  const { port, server, close } = await observableServer();
  try {
    const client = startPeer("coap-client-notls", ["-m", "get", "-s", "4", "-B", "8", `coap://[::1]:${port}/counter`]);
    const out = await finished(client, 15_000);
    const counts = [...out.matchAll(/count=(\d+)/g)].map((m) => Number(m[1]));
    t.true(counts.length >= 4, `client printed: ${out}`);
    t.deepEqual(counts, [...counts].sort((a, b) => a - b), "in order");
    t.is(new Set(counts).size, counts.length, "each state once");
    t.true(server.events.some((e) => e.kind === "observerAdded" && e.path === "counter"));
    // libcoap 4.3 deregisters when -s runs out, with a GET Observe=1 (RFC 7641 §3.6).
    t.is(server.ep.observerCount("counter"), 0);
    t.true(server.events.some((e) => e.kind === "observerRemoved" && e.reason === "cancel"));
  } finally {
    close();
  }
});

test.serial("libcoap coap-client reads /.well-known/core in link-format, ;obs on the observable resource", async (t) => {
  const { port, close } = await observableServer();
  try {
    const client = startPeer("coap-client-notls", ["-m", "get", "-B", "5", `coap://[::1]:${port}/.well-known/core`]);
    const out = await finished(client, 10_000);
    t.regex(out, /<\/counter>;obs,<\/plain>/, out);
  } finally {
    close();
  }
});

test.serial("libcoap coap-client fetches a big /.well-known/core block by block", async (t) => {
  const { port, server, close } = await observableServer();
  const names = [...Array(40).keys()].map((i) => `sensors/room-${String(i).padStart(3, "0")}/temperature`);
  for (const n of names) server.ep.registerResource(n);
  try {
    const client = startPeer("coap-client-notls", ["-m", "get", "-B", "5", `coap://[::1]:${port}/.well-known/core`]);
    const out = await finished(client, 10_000);
    const expected = ["</counter>;obs", "</plain>", ...names.map((n) => `</${n}>`)].join(",");
    t.true(expected.length > 900);
    t.true(out.includes(expected), out);
  } finally {
    close();
  }
});

test.serial("the endpoint observes coap-server's observable /time, then cancels with Observe=1", async (t) => {
  const serverPort = await freeUdpPort();
  const server = startPeer("coap-server-openssl", ["-A", "::1", "-p", String(serverPort)]);
  const clientPort = await freeUdpPort();
  const notifications: string[] = [];
  let ended: EndpointEvent | undefined;
  const client = new UdpCoap(await bound(clientPort), {}, (e) => {
    if (e.kind === "notification") notifications.push(str(e.payload));
    if (e.kind === "response" || e.kind === "requestFailed") ended = e;
  });
  try {
    await waitForUdpPort(serverPort, { pid: server.proc.pid!, exited: () => server.proc.exitCode !== null, withinMs: 5000 });
    const peer = `::1|${serverPort}`;
    let id = 0;
    client.run((now) => { id = client.ep.observe(now, { path: "time", peer }); });
    const deadline = Date.now() + 8000;
    while (notifications.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    t.true(notifications.length >= 3, `notifications: ${JSON.stringify(notifications)} events: ${JSON.stringify(client.events.map((e) => e.kind))}`);
    client.run((now) => { t.true(client.ep.cancelObservation(now, id)); });
    while (ended === undefined && Date.now() < deadline + 4000) await new Promise((r) => setTimeout(r, 50));
    t.like(ended, { kind: "response", requestId: id, code: CoapCode.CONTENT });
    const count = notifications.length;
    await new Promise((r) => setTimeout(r, 2500));
    t.is(notifications.length, count, "no notification after the cancel");
    t.is(client.ep.pendingRequests, 0);
  } finally {
    client.close();
    server.stop();
  }
});


test.serial("libcoap coap-client observes a 1.5 KB resource: each notification's block 0, then GETs for the rest (RFC 7959 §3.4)", async (t) => {
  const port = await freeUdpPort();
  // Printable states of 1500 bytes, each starting with its number.
  const stateOf = (n: number) => `state ${n} `.padEnd(1500, String.fromCharCode(0x61 + n));
  let n = 0;
  const server: UdpCoap = new UdpCoap(await bound(port), {}, (e) => {
    if (e.kind === "request") e.respond({ code: CoapCode.CONTENT, payload: text(stateOf(n)) });
  });
  server.ep.registerResource("big", { observable: true });
  const ticker = setInterval(() => {
    n++;
    server.run((now) => server.ep.notifyObservers(now, "big", { code: CoapCode.CONTENT, payload: text(stateOf(n)) }));
  }, 1500);
  try {
    const client = startPeer("coap-client-notls", ["-m", "get", "-s", "5", "-B", "7", `coap://[::1]:${port}/big`]);
    const out = await finished(client, 15_000);
    // coap-client prints each block as it comes; a state whole is its 1500 bytes in a row. (A
    // state that changes while libcoap fetches it is restarted by libcoap: "Data body updated".)
    const whole = [...out.matchAll(/state (\d+) ([a-z]+?)(?=state \d|\s|$)/g)].filter((m) => m[2]!.length === 1500 - `state ${m[1]} `.length);
    t.true(whole.length >= 2, `client printed: ${out.slice(0, 300)}`);
    t.true(whole.every((m) => m[2] === String.fromCharCode(0x61 + Number(m[1])).repeat(m[2]!.length)));
    t.true(server.events.some((e) => e.kind === "request" && e.message.options.some((o) => o.number === 23)), "the rest came by Block2 GETs");
  } finally {
    clearInterval(ticker);
    server.close();
  }
});
