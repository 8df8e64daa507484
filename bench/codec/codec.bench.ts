// Codec throughput on the path the product uses, against coap-packet: encodeMessage (a new
// Uint8Array per message, as the endpoint sends) + decodeMessage, on a realistic mix:
// a CON GET with 3 Uri-Path segments and a 2-byte token; an ACK 2.05 with Content-Format and a
// 64-byte payload; an ACK 2.05 carrying a 512-byte Block2 block. coap-packet does the same:
// generate (a new Buffer) + parse. encodeInto, which the product does not use, is not measured.
// The new arrays come from the allocator a Node host gives the agent (Platform.allocBytes:
// slabs, src/bytes/alloc.ts, as coap-packet's Buffers come from Node's pool); a side contender
// gives each array its own ArrayBuffer, as a device does, which V8 allocates off-heap at
// 1–2 µs apiece on some machines.
// Target: ours >= 3x coap-packet, median of per-round ratios.
// Run: node --expose-gc --import tsx bench/codec/codec.bench.ts   (CODEC_BENCH_MS: ms per contender and round)
import coapPacket from "coap-packet";
import { decodeMessage } from "../../src/coap/decode.js";
import { encodeMessage } from "../../src/coap/encode.js";
import type { CoapMessage } from "../../src/coap/message.js";
import { CoapCode, CoapType } from "../../src/coap/numbers.js";
import { setBlock2, setContentFormat, setUriPath } from "../../src/coap/options.js";
import { slabAllocator } from "../../src/bytes/alloc.js";
import { interleave, opsPerSecond, ratios, report, spread, verdict } from "../harness.js";

const token = Uint8Array.of(0x5a, 0xa5);
const get: CoapMessage = { type: CoapType.CON, code: CoapCode.GET, messageId: 0x1234, token, options: [], payload: new Uint8Array(0) };
setUriPath(get.options, "sensors/temp/now");
const content: CoapMessage = { type: CoapType.ACK, code: CoapCode.CONTENT, messageId: 0x1234, token, options: [], payload: new Uint8Array(64).fill(0x61) };
setContentFormat(content.options, 50);
const block: CoapMessage = { type: CoapType.ACK, code: CoapCode.CONTENT, messageId: 0x1235, token, options: [], payload: new Uint8Array(512).fill(0x62) };
setBlock2(block.options, { num: 3, more: true, szx: 5 });
const mix = [get, content, block];

const asPacket = (m: CoapMessage): coapPacket.Packet => ({
  confirmable: m.type === CoapType.CON, ack: m.type === CoapType.ACK, code: `${m.code >> 5}.${String(m.code & 31).padStart(2, "0")}`,
  messageId: m.messageId, token: Buffer.from(m.token), payload: Buffer.from(m.payload),
  options: m.options.map((o) => ({ name: String(o.number), value: Buffer.from(o.value) })),
});
const packets = mix.map(asPacket);

// Both sides must really decode what they encoded, or the JIT could drop the work.
let sink = 0;
const slabs = slabAllocator();
const ours = () => { for (const m of mix) sink += decodeMessage(encodeMessage(m, Infinity, slabs)).payload.length; };
const oursOwnBuffers = () => { for (const m of mix) sink += decodeMessage(encodeMessage(m)).payload.length; };
const theirs = () => { for (const p of packets) sink += coapPacket.parse(coapPacket.generate(p)).payload.length; };
const expected = mix.reduce((n, m) => n + m.payload.length, 0);
sink = 0; ours(); if (sink !== expected) throw new Error("ours: decode(encode(m)) lost payload bytes");
sink = 0; oursOwnBuffers(); if (sink !== expected) throw new Error("ours (own buffers): decode(encode(m)) lost payload bytes");
sink = 0; theirs(); if (sink !== expected) throw new Error("coap-packet: parse(generate(p)) lost payload bytes");

const ms = Number(process.env["CODEC_BENCH_MS"] ?? 400);
const rounds = await interleave([
  { name: "ours", run: () => opsPerSecond(ours, ms, mix.length) },
  { name: "ours-own-buffers", run: () => opsPerSecond(oursOwnBuffers, ms, mix.length) },
  { name: "coap-packet", run: () => opsPerSecond(theirs, ms, mix.length) },
], { rounds: 15, warmup: 2 });
const o = rounds.get("ours")!, c = rounds.get("coap-packet")!, own = rounds.get("ours-own-buffers")!;
report({
  id: "codec",
  title: "CoAP codec, encodeMessage + decodeMessage vs coap-packet generate + parse (realistic 3-message mix)",
  figures: [
    { name: "ours (encodeMessage + decodeMessage), arrays from the Node host's slabs", unit: "msgs/s", value: spread(o) },
    { name: "coap-packet 1.1.1 (generate + parse)", unit: "msgs/s", value: spread(c) },
    { name: "side: ours with an ArrayBuffer per encoded message (a device's way; off-heap on V8)", unit: "msgs/s", value: spread(own) },
    { name: "side: ours with an ArrayBuffer per message / coap-packet", unit: "×", value: spread(ratios(own, c)) },
  ],
  verdicts: [verdict("codec ours / coap-packet", spread(ratios(o, c)), ">=", 3)],
});
