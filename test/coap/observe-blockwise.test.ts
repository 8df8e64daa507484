// Observe of a resource whose state is bigger than one message (RFC 7641 with RFC 7959 §3.4):
// the server sends the first block as the notification (Block2 0, more=1, ETag, Size2); the
// client GETs the rest without Observe and reports the whole state once. Both endpoints on the
// in-memory link, on virtual time.
import test from "ava";
import { CoapCode, CoapOptionNumber, CoapType } from "../../src/coap/numbers.js";
import { findOption, getBlock2, getObserve, getUintOption } from "../../src/coap/options.js";
import type { EndpointEvent } from "../../src/coap/endpoint.js";
import { encodeMessage } from "../../src/coap/encode.js";
import { pair, run, sent, settle } from "./helpers/endpoint-harness.js";

const PATH = "big";
const str = (b: Uint8Array) => String.fromCharCode(...b);
/** A state of `n` bytes, different for each `tag`. */
const state = (tag: string, n: number) => Uint8Array.from({ length: n }, (_, i) => (i % 40 === 0 ? tag.charCodeAt(0) : 0x61 + ((i + tag.length) % 26)));

function observed(size: number, options: Parameters<typeof pair>[1] = {}) {
  const p = pair(31, options);
  p.server.registerResource(PATH, { observable: true });
  let value = state("0", size);
  p.onServerEvent = (e) => { if (e.kind === "request") e.respond({ code: CoapCode.CONTENT, payload: value }); };
  const id = p.client.observe(p.now, { path: PATH });
  settle(p);
  const set = (tag: string, n = size) => { value = state(tag, n); p.server.notifyObservers(p.now, PATH, { code: CoapCode.CONTENT, payload: value }); };
  return { p, id, set, current: () => value };
}

const notifications = (es: EndpointEvent[]) => es.flatMap((e) => (e.kind === "notification" ? [e] : []));

test("a 2 KB state: the registration answer and each notification carry block 0; the client reports each state whole", (t) => {
  const { p, id, set } = observed(2000);
  const first = p.log.find((l) => l.from === "server")!.msg;
  t.deepEqual(getBlock2(first.options), { num: 0, more: true, szx: 5 }, "512-byte blocks under the 900-byte limit");
  t.is(getObserve(first.options), 0);
  t.is(getUintOption(first.options, CoapOptionNumber.SIZE2), 2000);
  t.truthy(findOption(first.options, CoapOptionNumber.ETAG));
  p.now += 1000;
  set("1");
  settle(p);
  const got = notifications(p.clientEvents);
  t.deepEqual(got.map((e) => str(e.payload)), [str(state("0", 2000)), str(state("1", 2000))]);
  t.deepEqual(got.map((e) => e.kind === "notification" && e.sequence), [0, 1]);
  t.true(got.every((e) => e.kind === "notification" && e.requestId === id));
  t.false(p.clientEvents.some((e) => e.kind === "blockReceived" || e.kind === "response" || e.kind === "requestFailed"), "the fetch reports nothing itself");
  t.true(p.log.every((l) => encodeMessage(l.msg).length <= 900), "every message fits the record limit");
});

test("the later blocks are fetched with GETs without Observe, on another token, answered from the app's state", (t) => {
  const { p, set } = observed(1500);
  const before = p.log.length;
  p.now += 1000;
  set("1");
  settle(p);
  const exchange = p.log.slice(before);
  const requests = exchange.filter((l) => l.from === "client" && l.msg.code === CoapCode.GET).map((l) => l.msg);
  t.deepEqual(requests.map((m) => getBlock2(m.options)?.num), [1, 2]);
  t.true(requests.every((m) => getObserve(m.options) === undefined), "no Observe: no new registration");
  const notification = exchange.find((l) => l.from === "server" && getObserve(l.msg.options) !== undefined)!.msg;
  t.true(requests.every((m) => str(m.token) !== str(notification.token)));
  t.is(p.server.observerCount(PATH), 1, "still one observer");
  const served = exchange.filter((l) => l.from === "server" && l.msg.code === CoapCode.CONTENT && getObserve(l.msg.options) === undefined).map((l) => l.msg);
  t.deepEqual(served.map((m) => getBlock2(m.options)), [{ num: 1, more: true, szx: 5 }, { num: 2, more: false, szx: 5 }]);
  t.deepEqual(served.map((m) => m.payload.length), [512, 1500 - 1024]);
  t.true(served.every((m) => str(findOption(m.options, CoapOptionNumber.ETAG)!.value) === str(findOption(notification.options, CoapOptionNumber.ETAG)!.value)));
  t.is(p.serverEvents.filter((e) => e.kind === "request").length, 1 + 2 + 2, "the app answers each block GET with its whole state");
});

test("a state that fits one message is notified whole, as before (no Block2)", (t) => {
  const { p, set } = observed(100);
  p.now += 1000;
  set("1");
  settle(p);
  t.true(p.log.filter((l) => l.from === "server").every((l) => getBlock2(l.msg.options) === undefined));
  t.deepEqual(notifications(p.clientEvents).map((e) => e.payload.length), [100, 100]);
  t.is(p.log.filter((l) => l.from === "client").length, 1, "nothing fetched");
});

test("the state changes under a fetch and its notification is lost: the later block's other ETag drops the mixed state", (t) => {
  const { p, set } = observed(2000);
  p.now += 1000;
  // State 2 replaces state 1 right after block 1 of state 1 was served; state 2's notification
  // (a NON) is lost, so only the ETag of block 2 tells the client.
  let changed = false;
  const respond = p.onServerEvent;
  p.onServerEvent = (e) => {
    respond(e);
    if (!changed && e.kind === "request" && getBlock2(e.message.options)?.num === 1) { changed = true; set("2"); }
  };
  p.drop = (from, msg) => from === "server" && getObserve(msg.options) !== undefined && msg.payload[0] === 0x32;
  const before = p.log.length;
  set("1");
  run(p, 10_000);
  t.true(changed);
  const fetched = p.log.slice(before).filter((l) => l.from === "server" && getObserve(l.msg.options) === undefined).map((l) => getBlock2(l.msg.options)?.num);
  t.deepEqual(fetched, [1, 2], "block 2 (of state 2) ends the fetch of state 1");
  t.deepEqual(notifications(p.clientEvents).map((e) => str(e.payload)), [str(state("0", 2000))], "neither state 1 nor a mix of 1 and 2");
  t.is(p.client.pendingRequests, 1, "the fetch is gone");
  p.drop = () => false;
  p.now += 1000;
  set("3");
  run(p, 10_000);
  t.deepEqual(notifications(p.clientEvents).map((e) => str(e.payload)), [str(state("0", 2000)), str(state("3", 2000))]);
});

test("a newer notification while a fetch runs drops the older fetch", (t) => {
  const { p, set } = observed(2000);
  // Hold back every block answer of state 1, so its fetch is still running when state 2 comes.
  p.drop = (from, msg) => from === "server" && getObserve(msg.options) === undefined && msg.payload.length > 0 && str(msg.payload).includes("1");
  p.now += 1000;
  set("1");
  settle(p);
  p.drop = () => false;
  set("2");
  run(p, 100_000);
  const got = notifications(p.clientEvents).map((e) => str(e.payload));
  t.deepEqual(got, [str(state("0", 2000)), str(state("2", 2000))]);
  t.is(p.client.pendingRequests, 1, "only the observation is pending: no fetch left behind");
});

test("a lost block answer is retransmitted for and the state still arrives whole", (t) => {
  const { p, set } = observed(2000);
  let lost = 0;
  p.drop = (from, msg) => {
    if (lost === 0 && from === "server" && getBlock2(msg.options)?.num === 2 && getObserve(msg.options) === undefined) { lost++; return true; }
    return false;
  };
  p.now += 1000;
  const before = p.log.length;
  set("1");
  run(p, 100_000);
  t.is(lost, 1);
  const asked = p.log.slice(before).filter((l) => l.from === "client" && getBlock2(l.msg.options)?.num === 2);
  t.is(asked.length, 2, "the block 2 request went out again");
  t.deepEqual(notifications(p.clientEvents).map((e) => str(e.payload)), [str(state("0", 2000)), str(state("1", 2000))]);
});

test("an observer that registered with a small Block2 gets notifications cut at that size", (t) => {
  const p = pair(32);
  p.server.registerResource(PATH, { observable: true });
  let value = state("0", 100);
  p.onServerEvent = (e) => { if (e.kind === "request") e.respond({ code: CoapCode.CONTENT, payload: value }); };
  // A raw registration: GET big with Observe=0 and Block2 (0, 32 bytes).
  p.server.handleDatagram(0, encodeMessage({
    type: CoapType.CON, code: CoapCode.GET, messageId: 0x100, token: Uint8Array.of(9),
    options: [{ number: 6, value: new Uint8Array(0) }, { number: 11, value: Uint8Array.from("big", (c) => c.charCodeAt(0)) }, { number: 23, value: Uint8Array.of(0x01) }],
    payload: new Uint8Array(0),
  }));
  settle(p);
  value = state("1", 100);
  p.server.notifyObservers(p.now, PATH, { code: CoapCode.CONTENT, payload: value });
  const out = sent(p.server);
  t.is(out.length, 1);
  t.deepEqual(getBlock2(out[0]!.options), { num: 0, more: true, szx: 1 }, "block 0 of 32 bytes");
  t.is(str(out[0]!.payload), str(value.subarray(0, 32)));
  t.is(getObserve(out[0]!.options), 1);
});

test("the observation ends (cancel, forget, abort): a running fetch goes with it and reports nothing", (t) => {
  for (const how of ["deregister", "forget", "abort"] as const) {
    const { p, id, set } = observed(2000);
    p.drop = (from, msg) => from === "server" && getObserve(msg.options) === undefined && getBlock2(msg.options)?.num === 1;
    p.now += 1000;
    const sentBefore = p.log.length;
    set("1");
    settle(p);
    t.true(p.log.slice(sentBefore).some((l) => l.from === "client" && getBlock2(l.msg.options)?.num === 1), `${how}: a fetch is running`);
    const before = notifications(p.clientEvents).length;
    if (how === "abort") p.client.abortAll();
    else p.client.cancelObservation(p.now, id, how);
    p.drop = () => false;
    run(p, 200_000);
    t.is(notifications(p.clientEvents).length, before, how);
    t.false(p.clientEvents.some((e) => e.kind === "requestFailed" && e.requestId !== id), `${how}: no failure of an internal fetch`);
    t.is(p.client.pendingRequests, 0, how);
  }
});

test("a state bigger than the client's maxReassemblySize is dropped, not reported (a board's heap is small)", (t) => {
  const { p, set } = observed(1500, { maxReassemblySize: 1200 });
  t.deepEqual(notifications(p.clientEvents), [], "the 1500-byte registration answer is not reported");
  p.now += 1000;
  set("1", 1100);
  settle(p);
  t.deepEqual(notifications(p.clientEvents).map((e) => e.payload.length), [1100], "a smaller state still is");
  t.is(p.client.pendingRequests, 1);
});
