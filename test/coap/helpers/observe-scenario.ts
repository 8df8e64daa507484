// A deterministic Observe and /.well-known/core workout that runs unchanged on Node and on XS
// (src/coap only, no Node API), summarised as one JSON string to compare.
import { CoapEndpoint, type EndpointEvent } from "../../../src/coap/endpoint.js";
import { utf8Decode, utf8Encode } from "../../../src/bytes/text.js";
import { CoapCode, CoapOptionNumber, CoapType } from "../../../src/coap/numbers.js";
import { encodeMessage } from "../../../src/coap/encode.js";
import { decodeMessage } from "../../../src/coap/decode.js";
import { addOption, setUriPath } from "../../../src/coap/options.js";
import type { CoapMessage } from "../../../src/coap/message.js";

function xorshift(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

export function runObserveScenario(): string {
  const out: unknown[] = [];
  const rand = xorshift(41);
  const random = { fill: (b: Uint8Array) => { for (let i = 0; i < b.length; i++) b[i] = rand() & 0xff; } };
  const server = new CoapEndpoint({ random, wellKnownCore: true, notificationConfirmableEvery: 3, firstObserveSequence: 0xfffffa });
  const client = new CoapEndpoint({ random });
  server.registerResource("temp", { observable: true, maxAge: 20, linkAttributes: ['rt="t"'] });
  server.registerResource("caf\u00e9/\u2603");
  let now = 0, value = 0, lose = 0;
  // A state bigger than one message: notified block-wise (RFC 7959 §3.4).
  const big = (n: number) => utf8Encode(`big ${n} `.padEnd(1500, String.fromCharCode(0x61 + n)));
  const describe = (e: EndpointEvent): unknown[] => [e.kind, "sequence" in e ? e.sequence : "", "reason" in e ? e.reason : "",
    "payload" in e ? utf8Decode(e.payload) : "", "code" in e ? e.code : ""];
  const pump = () => {
    for (let moved = true; moved;) {
      moved = false;
      for (let t = server.pollTransmit(); t; t = server.pollTransmit()) { moved = true; out.push(["s>c", now, t.bytes.length]); if (lose > 0) lose--; else client.handleDatagram(now, t.bytes); }
      for (let t = client.pollTransmit(); t; t = client.pollTransmit()) { moved = true; out.push(["c>s", now, t.bytes.length]); server.handleDatagram(now, t.bytes); }
      for (let e = server.pollEvent(); e; e = server.pollEvent()) { moved = true; out.push(["S", ...describe(e)]); if (e.kind === "request") e.respond({ code: CoapCode.CONTENT, payload: e.path === "big" ? big(value) : utf8Encode(`t=${value}`) }); }
      for (let e = client.pollEvent(); e; e = client.pollEvent()) { moved = true; out.push(["C", ...describe(e)]); }
    }
  };
  const runTimers = (until: number) => {
    pump();
    for (let at = Math.min(server.pollTimeout() ?? Infinity, client.pollTimeout() ?? Infinity); at <= until; at = Math.min(server.pollTimeout() ?? Infinity, client.pollTimeout() ?? Infinity)) {
      now = at; server.handleTimeout(now); client.handleTimeout(now); pump();
    }
    now = until;
  };
  const id = client.observe(now, { path: "temp" });
  runTimers(now + 10);
  for (let i = 0; i < 12; i++) {
    value++;
    if (i % 4 === 1) lose = 1;
    server.notifyObservers(now, "temp", { code: CoapCode.CONTENT, payload: utf8Encode(`t=${value}`) });
    runTimers(now + 5000);
  }
  client.cancelObservation(now, id);
  runTimers(now + 100_000);
  client.request(now, { method: "GET", path: ".well-known/core", confirmable: true });
  runTimers(now + 100_000);
  // Query filters (RFC 6690 §4.1), a raw GET each: the answer's payload.
  let mid = 0x7000;
  for (const query of ["rt=t*", "href=/caf%C3%A9/%E2%98%83", "obs", "rt=x"]) {
    const m: CoapMessage = { type: CoapType.CON, code: CoapCode.GET, messageId: mid++, token: Uint8Array.of(1), options: [], payload: new Uint8Array(0) };
    setUriPath(m.options, ".well-known/core");
    addOption(m.options, CoapOptionNumber.URI_QUERY, utf8Encode(query));
    server.handleDatagram(now, encodeMessage(m));
    for (let t = server.pollTransmit(); t; t = server.pollTransmit()) out.push(["wkc?", query, utf8Decode(decodeMessage(t.bytes).payload)]);
  }
  server.registerResource("big", { observable: true });
  const bigId = client.observe(now, { path: "big" });
  runTimers(now + 10);
  for (let i = 0; i < 3; i++) {
    value++;
    server.notifyObservers(now, "big", { code: CoapCode.CONTENT, payload: big(value) });
    runTimers(now + 5000);
  }
  client.cancelObservation(now, bigId);
  runTimers(now + 100_000);
  out.push(["observers", server.observerCount(), "pending", client.pendingRequests]);
  return JSON.stringify(out);
}
