// A deterministic workout of the codec and the endpoint that runs unchanged on Node and on XS
// (it uses src/coap only, no Node API), summarised as one JSON string to compare.
import { decodeMessage } from "../../../src/coap/decode.js";
import { encodeMessage } from "../../../src/coap/encode.js";
import { CoapParseError } from "../../../src/coap/errors.js";
import { CoapEndpoint, type EndpointEvent } from "../../../src/coap/endpoint.js";
import type { CoapMessage } from "../../../src/coap/message.js";
import { utf8Decode, utf8Encode } from "../../../src/bytes/text.js";
import { CoapCode, CoapType } from "../../../src/coap/numbers.js";
import { getBlock2, getUriPath, setBlock2, setContentFormat, setUriPath } from "../../../src/coap/options.js";

function xorshift(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

function codec(): unknown[] {
  const out: unknown[] = [];
  const m: CoapMessage = { type: CoapType.CON, code: CoapCode.GET, messageId: 0xbeef, token: Uint8Array.of(1, 2), options: [], payload: utf8Encode("héllo ✓") };
  setUriPath(m.options, "/a//b");
  setContentFormat(m.options, 0x1234);
  setBlock2(m.options, { num: 0x1234, more: true, szx: 6 });
  m.options.push({ number: 2000, value: new Uint8Array(300).fill(7) });
  const bytes = encodeMessage(m);
  out.push(Array.from(bytes.subarray(0, 40)), bytes.length);
  const d = decodeMessage(bytes);
  out.push(getUriPath(d.options), getBlock2(d.options), utf8Decode(d.payload));
  const rand = xorshift(99);
  const reasons: Record<string, number> = {};
  for (let i = 0; i < 3000; i++) {
    const input = bytes.slice(0, rand() % (bytes.length + 1));
    for (let k = rand() % 4; k > 0; k--) if (input.length) input[rand() % input.length] = rand() & 0xff;
    try { decodeMessage(input); reasons.ok = (reasons.ok ?? 0) + 1; }
    catch (e) { const r = e instanceof CoapParseError ? e.reason : `foreign ${String(e)}`; reasons[r] = (reasons[r] ?? 0) + 1; }
  }
  out.push(Object.keys(reasons).sort().map((k) => [k, reasons[k]]));
  return out;
}

function endpoints(): unknown[] {
  const out: unknown[] = [];
  const rand = xorshift(7);
  const random = { fill: (b: Uint8Array) => { for (let i = 0; i < b.length; i++) b[i] = rand() & 0xff; } };
  const client = new CoapEndpoint({ random }), server = new CoapEndpoint({ random });
  server.registerResource("r", { block2: (num, size) => ({ bytes: new Uint8Array(size).fill(num), more: num < 2 }) });
  let now = 0, lose = 0;
  const describe = (e: EndpointEvent) => [e.kind, "num" in e ? e.num : "", "reason" in e ? e.reason : "", "payload" in e ? e.payload.length : ""];
  const pump = () => {
    for (let moved = true; moved;) {
      moved = false;
      for (let t = client.pollTransmit(); t; t = client.pollTransmit()) { moved = true; if (lose > 0) lose--; else server.handleDatagram(now, t.bytes); out.push(["c>s", now, t.bytes.length]); }
      for (let t = server.pollTransmit(); t; t = server.pollTransmit()) { moved = true; client.handleDatagram(now, t.bytes); out.push(["s>c", now, t.bytes.length]); }
      for (let e = server.pollEvent(); e; e = server.pollEvent()) { moved = true; out.push(["S", ...describe(e)]); if (e.kind === "request") e.respond({ code: CoapCode.CONTENT, payload: Uint8Array.of(0x30) }); }
      for (let e = client.pollEvent(); e; e = client.pollEvent()) { moved = true; out.push(["C", ...describe(e)]); }
    }
  };
  const runAll = () => { pump(); for (let at = client.pollTimeout(); at !== undefined; at = client.pollTimeout()) { now = at; client.handleTimeout(now); pump(); } };
  lose = 2;
  client.request(now, { method: "GET", path: "r", confirmable: true });
  runAll();
  client.request(now, { method: "GET", path: "r", confirmable: true, blockSize: 64 });
  runAll();
  client.request(now, { method: "PUT", path: "r", confirmable: true, blockSize: 16, payload: new Uint8Array(40) });
  runAll();
  lose = 100;
  client.request(now, { method: "GET", path: "r", confirmable: false });
  runAll();
  return out;
}

export function runParityScenario(): string {
  return JSON.stringify({ codec: codec(), endpoints: endpoints() });
}
