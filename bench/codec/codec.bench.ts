// Codec throughput, ours against coap-packet in the same run: encode + decode of a realistic mix
// (issue 2): a CON GET with 3 Uri-Path segments and a 2-byte token; an ACK 2.05 with
// Content-Format and a 64-byte payload; an ACK 2.05 carrying a 512-byte Block2 block.
// Run: npx tsx bench/codec/codec.bench.ts [seconds-per-round]
import coapPacket from "coap-packet";
import { decodeMessage } from "../../src/coap/decode.js";
import { encodeInto, encodeMessage } from "../../src/coap/encode.js";
import type { CoapMessage } from "../../src/coap/message.js";
import { CoapCode, CoapType } from "../../src/coap/numbers.js";
import { setBlock2, setContentFormat, setUriPath } from "../../src/coap/options.js";

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

let sink = 0;
const scratch = new Uint8Array(1500);
const contenders: Record<string, () => void> = {
  "ours (new Uint8Array)": () => { for (const m of mix) sink += decodeMessage(encodeMessage(m)).options.length; },
  "ours (encodeInto)": () => { for (const m of mix) { const n = encodeInto(m, scratch); sink += decodeMessage(scratch.subarray(0, n)).options.length; } },
  "coap-packet": () => { for (const p of packets) sink += coapPacket.parse(coapPacket.generate(p)).options.length; },
};

function measure(run: () => void, ms: number): number {
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) { for (let i = 0; i < 200; i++) run(); ops += 200 * mix.length; now = performance.now(); }
  return (ops * 1000) / (now - start);
}

const roundMs = Number(process.argv[2] ?? 1) * 1000;
for (const run of Object.values(contenders)) measure(run, 200); // warm-up
const best: Record<string, number> = {};
for (let round = 0; round < 3; round++) {
  for (const [name, run] of Object.entries(contenders)) best[name] = Math.max(best[name] ?? 0, measure(run, roundMs));
}
for (const [name, ops] of Object.entries(best)) console.log(`${name.padEnd(24)} ${Math.round(ops).toLocaleString("en-US").padStart(12)} encode+decode ops/s`);
const ratio = best["ours (new Uint8Array)"]! / best["coap-packet"]!;
console.log(`ratio ours/coap-packet: ${ratio.toFixed(2)}x (encodeInto: ${(best["ours (encodeInto)"]! / best["coap-packet"]!).toFixed(2)}x), target >= 3x`);
if (sink === 42) console.log("");
