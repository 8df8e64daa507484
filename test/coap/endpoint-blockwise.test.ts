// Block-wise transfer (spec §7.4, RFC 7959): client Block2 GET with the server's block source,
// and real Block1 PUT/POST/DELETE with server reassembly.
import test from "ava";
import { CoapCode, CoapType } from "../../src/coap/numbers.js";
import { getBlock1, getBlock2, setBlock2 } from "../../src/coap/options.js";
import { encodeMessage } from "../../src/coap/encode.js";
import type { BlockSource } from "../../src/coap/endpoint.js";
import { pair, run } from "./helpers/endpoint-harness.js";

/** OpenThread-like source: `count` blocks of pattern bytes, block 0 always with more=1. */
function countingSource(count: number): { source: BlockSource; calls: number[] } {
  const calls: number[] = [];
  let counter = 0;
  const source: BlockSource = (num, size) => {
    calls.push(num);
    const bytes = new Uint8Array(size).fill(0x10 + calls.length);
    const last = counter === count - 1;
    counter = last ? 0 : counter + 1;
    return { bytes, more: num === 0 ? true : !last };
  };
  return { source, calls };
}

test("a block-wise GET fetches every block until more=0 and reports each block, then the last one", (t) => {
  const p = pair(1);
  const { source, calls } = countingSource(3);
  p.server.registerResource("test-resource", { block2: source });
  const id = p.client.request(0, { method: "GET", path: "test-resource", confirmable: false, blockSize: 32 });
  run(p);
  // The first request is CON with Block2(0, more=0, SZX 1) even though NON was asked for.
  const first = p.log[0]!.msg;
  t.is(first.type, CoapType.CON);
  t.deepEqual(getBlock2(first.options), { num: 0, more: false, szx: 1 });
  t.deepEqual(p.log.map((l) => [l.from, getBlock2(l.msg.options)?.num, getBlock2(l.msg.options)?.more]), [
    ["client", 0, false], ["server", 0, true], ["client", 1, false], ["server", 1, true], ["client", 2, false], ["server", 2, false]]);
  t.deepEqual(calls, [0, 1, 2]);
  t.deepEqual(p.serverEvents.map((e) => (e.kind === "blockSent" ? `sent ${e.num}/${e.size}/${e.more}` : e.kind)),
    ["request", "sent 0/32/true", "responseSent", "sent 1/32/true", "sent 2/32/false"]);
  t.deepEqual(p.clientEvents.map((e) => (e.kind === "blockReceived" ? `received ${e.num}/${e.size}/${e.bytes[0]}` : e.kind)),
    ["received 0/32/17", "received 1/32/18", "received 2/32/19", "response"]);
  const last = p.clientEvents[3];
  t.true(last?.kind === "response" && last.requestId === id && last.payload.length === 32 && last.payload[0] === 0x13);
  // Each block request is a new message: new Message ID, same token.
  const clientMsgs = p.log.filter((l) => l.from === "client").map((l) => l.msg);
  t.is(new Set(clientMsgs.map((m) => m.messageId)).size, 3);
  t.is(new Set(clientMsgs.map((m) => [...m.token].join())).size, 1);
});

test("a GET with Block2 to a resource without a block source gets the whole answer at once", (t) => {
  const p = pair(2);
  p.server.registerResource("plain");
  p.client.request(0, { method: "GET", path: "plain", confirmable: true, blockSize: 16 });
  run(p);
  t.deepEqual(p.clientEvents.map((e) => e.kind), ["response"]);
  t.is(p.log.length, 2);
});

test("a lost block request is retransmitted and the transfer completes", (t) => {
  const p = pair(3);
  p.server.registerResource("r", { block2: countingSource(2).source });
  let dropped = false;
  p.drop = (from, msg) => {
    if (!dropped && from === "client" && getBlock2(msg.options)?.num === 1) { dropped = true; return true; }
    return false;
  };
  p.client.request(0, { method: "GET", path: "r", confirmable: true, blockSize: 16 });
  run(p);
  t.true(dropped);
  t.deepEqual(p.clientEvents.map((e) => e.kind), ["blockReceived", "blockReceived", "response"]);
  const retransmitted = p.log.filter((l) => l.from === "client" && getBlock2(l.msg.options)?.num === 1);
  t.is(retransmitted.length, 2);
  t.is(retransmitted[0]!.msg.messageId, retransmitted[1]!.msg.messageId);
});

test("a block that does not fit the message size limit is dropped and the GET times out", (t) => {
  const p = pair(4, { maxMessageSize: 900 });
  p.server.registerResource("r", { block2: countingSource(2).source });
  p.client.request(0, { method: "GET", path: "r", confirmable: true, blockSize: 1024 });
  run(p);
  // spec §7.4: the server reports block 0 as sent; the record is dropped silently, and the
  // client's retransmissions hit the duplicate cache, whose copy is just as big.
  t.deepEqual(p.serverEvents.map((e) => e.kind), ["request", "blockSent", "responseSent"]);
  t.true(p.serverEvents[2]?.kind === "responseSent" && p.serverEvents[2].dropped);
  t.deepEqual(p.log.map((l) => l.from), ["client", "client", "client", "client", "client"]);
  const [failed] = p.clientEvents;
  t.true(failed?.kind === "requestFailed" && failed.reason === "ResponseTimeout");
});

for (const method of ["PUT", "POST", "DELETE"] as const) {
  test(`a block-wise ${method} sends Block1 blocks, waits for 2.31 each time, and the server reports one request with the whole body`, (t) => {
    const p = pair(5);
    p.server.registerResource("r");
    const body = Uint8Array.from({ length: 40 }, (_, i) => i);
    p.onServerEvent = (e) => { if (e.kind === "request") e.respond({ code: CoapCode.CHANGED }); };
    const id = p.client.request(0, { method, path: "r", confirmable: true, payload: body, blockSize: 16 });
    run(p);
    t.deepEqual(p.log.map((l) => [l.from, l.msg.code, getBlock1(l.msg.options)?.num, getBlock1(l.msg.options)?.more, l.msg.payload.length]), [
      ["client", { PUT: 3, POST: 2, DELETE: 4 }[method], 0, true, 16], ["server", CoapCode.CONTINUE, 0, true, 0],
      ["client", { PUT: 3, POST: 2, DELETE: 4 }[method], 1, true, 16], ["server", CoapCode.CONTINUE, 1, true, 0],
      ["client", { PUT: 3, POST: 2, DELETE: 4 }[method], 2, false, 8], ["server", CoapCode.CHANGED, 2, false, 0]]);
    const requests = p.serverEvents.filter((e) => e.kind === "request");
    t.is(requests.length, 1);
    t.true(requests[0]?.kind === "request" && requests[0].method === method);
    if (requests[0]?.kind === "request") t.deepEqual([...requests[0].payload], [...body]);
    t.deepEqual(p.serverEvents.filter((e) => e.kind === "blockReceived").map((e) => (e.kind === "blockReceived" ? e.num : -1)), [0, 1, 2]);
    t.deepEqual(p.clientEvents.map((e) => (e.kind === "blockSent" ? `sent ${e.num} ${e.more}` : e.kind)), ["sent 0 true", "sent 1 true", "sent 2 false", "response"]);
    const last = p.clientEvents[3];
    t.true(last?.kind === "response" && last.requestId === id && last.code === CoapCode.CHANGED);
  });
}

test("a Block1 request takes its blocks from the block source when one is given", (t) => {
  const p = pair(6);
  p.server.registerResource("r");
  p.onServerEvent = (e) => { if (e.kind === "request") e.respond({ code: CoapCode.CHANGED }); };
  const { source, calls } = countingSource(3);
  p.client.request(0, { method: "POST", path: "r", confirmable: true, blockSize: 64, blockSource: source });
  run(p);
  t.deepEqual(calls, [0, 1, 2]);
  const req = p.serverEvents.find((e) => e.kind === "request");
  t.true(req?.kind === "request" && req.payload.length === 192 && req.payload[0] === 0x11 && req.payload[191] === 0x13);
});

test("a Block1 block out of order is answered 4.08 Request Entity Incomplete and not reported", (t) => {
  const p = pair(7);
  p.server.registerResource("r");
  // The client sends block 0; then a crafted block 2 arrives without block 1.
  p.client.request(0, { method: "PUT", path: "r", confirmable: true, payload: new Uint8Array(40), blockSize: 16 });
  const first = p.client.pollTransmit()!;
  p.server.handleDatagram(0, first.bytes);
  const continueMsg = p.server.pollTransmit();
  t.truthy(continueMsg);
  // Block 2 without block 1: rewrite the Block1 option value of the first message (NUM 0 → 2).
  const bytes = first.bytes.slice();
  const m = bytes.indexOf(0xd1, 4); // Block1 header after Uri-Path "r": delta 16 → 0xd1 0x03 value
  t.true(m > 0);
  bytes[m + 2] = (2 << 4) | 0x08 | 0; // NUM 2, M 1, SZX 0
  bytes[3] = (bytes[3]! + 1) & 0xff; // a new Message ID, so it is not a duplicate
  p.server.handleDatagram(1, bytes);
  const out = p.server.pollTransmit();
  t.truthy(out);
  t.is(out!.bytes[1], CoapCode.REQUEST_ENTITY_INCOMPLETE);
  t.false(p.serverEvents.some((e) => e.kind === "request"));
});

test("a Block1 body over the reassembly limit is answered 4.13", (t) => {
  const p = pair(8, { maxReassemblySize: 32 });
  p.server.registerResource("r");
  p.client.request(0, { method: "PUT", path: "r", confirmable: true, payload: new Uint8Array(64), blockSize: 16 });
  run(p);
  const last = p.clientEvents.at(-1);
  t.true(last?.kind === "response" && last.code === CoapCode.REQUEST_ENTITY_TOO_LARGE);
  t.false(p.serverEvents.some((e) => e.kind === "request"));
});

test("a server that asks for smaller Block1 blocks gets the rest of the body at that size", (t) => {
  const p = pair(9);
  p.server.registerResource("r");
  p.onServerEvent = (e) => { if (e.kind === "request") e.respond({ code: CoapCode.CHANGED }); };
  // Shrink the server's 2.31 answer from SZX 1 (32) to SZX 0 (16) on the wire.
  const realPoll = p.server.pollTransmit.bind(p.server);
  p.server.pollTransmit = () => {
    const tx = realPoll();
    if (tx && tx.bytes[1] === CoapCode.CONTINUE) { const b = tx.bytes.slice(); b[b.length - 1] = b[b.length - 1]! & ~7; return { ...tx, bytes: b }; }
    return tx;
  };
  const body = Uint8Array.from({ length: 64 }, (_, i) => i);
  p.client.request(0, { method: "PUT", path: "r", confirmable: true, payload: body, blockSize: 32 });
  run(p);
  const nums = p.log.filter((l) => l.from === "client").map((l) => [getBlock1(l.msg.options)?.num, getBlock1(l.msg.options)?.szx]);
  t.deepEqual(nums, [[0, 1], [2, 0], [3, 0]]);
  const req = p.serverEvents.find((e) => e.kind === "request");
  t.true(req?.kind === "request" && req.payload.length === 64 && req.payload[63] === 63);
});

test("a peer that announces more blocks past block number 2^20 − 1 ends the transfer instead of crashing", (t) => {
  const p = pair(10);
  p.client.request(0, { method: "GET", path: "r", confirmable: true, blockSize: 16 });
  const req = p.client.pollTransmit()!;
  const m = { type: CoapType.ACK, code: CoapCode.CONTENT, messageId: (req.bytes[2]! << 8) | req.bytes[3]!, token: req.bytes.subarray(4, 6), options: [] as { number: number; value: Uint8Array }[], payload: new Uint8Array(16) };
  setBlock2(m.options, { num: 0xfffff, more: true, szx: 0 });
  p.client.handleDatagram(1, encodeMessage(m));
  const kinds: string[] = [];
  for (let e = p.client.pollEvent(); e; e = p.client.pollEvent()) kinds.push(e.kind);
  t.deepEqual(kinds, ["blockReceived", "response"]);
});

