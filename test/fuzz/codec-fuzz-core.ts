// The codec fuzzer's engine, shared by `npm run fuzz` and its CI test. Random and mutated
// datagrams go into decodeMessage: only CoapParseError may come out, the result must be
// well-formed (no value read past the end turns into NaN), a decodable message must survive
// re-encoding, and the decoder must still decode a known valid message afterwards. Every
// fourth datagram also goes to a CoapEndpoint (with a resource and requests in flight), which
// must never throw at all.
import { decodeMessage } from "../../src/coap/decode.js";
import { encodeMessage } from "../../src/coap/encode.js";
import { CoapEncodeError, CoapParseError } from "../../src/coap/errors.js";
import type { CoapMessage } from "../../src/coap/message.js";
import { bytesEqual } from "../../src/coap/message.js";
import { utf8Encode } from "../../src/bytes/text.js";
import { CoapCode, CoapType } from "../../src/coap/numbers.js";
import { encodeBlock, setBlock2, setContentFormat, setUriPath } from "../../src/coap/options.js";
import { CoapEndpoint } from "../../src/coap/endpoint.js";

export interface FuzzReport {
  count: number; decoded: number; rejected: Record<string, number>; failures: string[];
  /** Events the endpoint reported (requests answered, responses, failures, blocks). */
  endpointEvents: number;
}

/** xorshift32: deterministic from the seed, so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

function seeds(): Uint8Array[] {
  const get: CoapMessage = { type: CoapType.CON, code: CoapCode.GET, messageId: 0x1234, token: Uint8Array.of(1, 2), options: [], payload: new Uint8Array(0) };
  setUriPath(get.options, "a/b/test-resource");
  const content: CoapMessage = { type: CoapType.ACK, code: CoapCode.CONTENT, messageId: 0x1234, token: Uint8Array.of(1, 2), options: [], payload: new Uint8Array(64).fill(0x41) };
  setContentFormat(content.options, 50);
  setBlock2(content.options, { num: 3, more: true, szx: 5 });
  const long: CoapMessage = { type: CoapType.NON, code: CoapCode.PUT, messageId: 9, token: new Uint8Array(8), options: [
    { number: 2, value: new Uint8Array(300) }, { number: 300, value: new Uint8Array(13) }, { number: 2000, value: encodeBlock({ num: 1, more: false, szx: 0 }) }], payload: utf8Encode("x") };
  return [get, content, long].map((m) => encodeMessage(m)).concat([Uint8Array.of(0x60, 0, 0, 1)]);
}

function wellFormed(m: CoapMessage, input: Uint8Array): string | undefined {
  const int = (v: number, max: number) => Number.isInteger(v) && v >= 0 && v <= max;
  if (!int(m.type, 3) || !int(m.code, 255) || !int(m.messageId, 0xffff)) return "header field out of range";
  let last = 0, total = 4 + m.token.length + m.payload.length;
  for (const o of m.options) {
    if (!int(o.number, 0xffff) || o.number < last) return `bad option number ${o.number}`;
    last = o.number;
    total += o.value.length + 1;
  }
  return total > input.length + 1 ? "decoded more bytes than the input holds" : undefined;
}

export function fuzzCodec(count: number, seed: number): FuzzReport {
  const rand = prng(seed);
  const corpus = seeds();
  const probe = corpus[1]!;
  const probeDecoded = decodeMessage(probe);
  const report: FuzzReport = { count, decoded: 0, rejected: {}, failures: [], endpointEvents: 0 };
  const endpoint = new CoapEndpoint({ random: { fill: (b) => { for (let k = 0; k < b.length; k++) b[k] = rand() & 0xff; } } });
  endpoint.registerResource("a/b/test-resource", { block2: (num, size) => ({ bytes: new Uint8Array(size), more: num < 3 }) });
  endpoint.registerResource("");
  const fail = (why: string, input: Uint8Array) => {
    if (report.failures.length < 20) report.failures.push(`${why}: ${[...input].map((b) => b.toString(16).padStart(2, "0")).join("")}`);
  };
  for (let i = 0; i < count; i++) {
    let input: Uint8Array;
    if ((rand() & 3) === 0) {
      input = new Uint8Array(rand() % 40);
      for (let k = 0; k < input.length; k++) input[k] = rand() & 0xff;
      if (input.length > 0 && (rand() & 1)) input[0] = 0x40 | (input[0]! & 0x3f); // mostly version 1
    } else {
      const base = corpus[rand() % corpus.length]!;
      const edits = 1 + (rand() % 4);
      let bytes = Array.from(base);
      for (let e = 0; e < edits; e++) {
        const at = rand() % (bytes.length + 1);
        switch (rand() % 6) {
          case 0: if (at < bytes.length) bytes[at]! ^= 1 << (rand() & 7); break;
          case 1: if (at < bytes.length) bytes[at] = rand() & 0xff; break;
          case 2: bytes = bytes.slice(0, at); break;
          case 3: bytes.splice(at, 0, rand() & 0xff); break;
          case 4: bytes.splice(at, 1); break;
          default: if (at < bytes.length) bytes[at] = [0xd0, 0xe0, 0xf0, 0x0d, 0x0e, 0x0f, 0xff][rand() % 7]!; break;
        }
      }
      input = Uint8Array.from(bytes);
    }
    if ((i & 3) === 0) {
      try {
        if ((i & 0xfff) === 0) endpoint.request(i, { method: "GET", path: "x", confirmable: (i & 0x1000) === 0, blockSize: (i & 0x2000) === 0 ? 16 : undefined });
        endpoint.handleDatagram(i, input);
        endpoint.handleTimeout(i);
        for (let e = endpoint.pollEvent(); e !== undefined; e = endpoint.pollEvent()) {
          report.endpointEvents++;
          if (e.kind === "request") e.respond({ code: CoapCode.CONTENT });
        }
        while (endpoint.pollTransmit() !== undefined);
      } catch (err) {
        fail(`endpoint threw ${String(err)}`, input);
      }
    }
    let m: CoapMessage;
    try {
      m = decodeMessage(input);
    } catch (err) {
      if (err instanceof CoapParseError) { report.rejected[err.reason] = (report.rejected[err.reason] ?? 0) + 1; }
      else fail(`decode threw ${String(err)}`, input);
      continue;
    }
    report.decoded++;
    const bad = wellFormed(m, input);
    if (bad) { fail(bad, input); continue; }
    try {
      const again = decodeMessage(encodeMessage(m));
      if (again.messageId !== m.messageId || again.options.length !== m.options.length || !bytesEqual(again.payload, m.payload)) fail("re-encoding changed the message", input);
    } catch (err) {
      if (!(err instanceof CoapEncodeError)) fail(`re-encode threw ${String(err)}`, input);
    }
    if ((i & 1023) === 0) {
      const p = decodeMessage(probe);
      if (p.messageId !== probeDecoded.messageId || !bytesEqual(p.payload, probeDecoded.payload)) fail("decoder broken after hostile input", input);
    }
  }
  if (!bytesEqual(decodeMessage(probe).payload, probeDecoded.payload)) report.failures.push("decoder broken at the end");
  return report;
}
