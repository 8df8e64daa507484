// RFC 7641 end to end: a client endpoint observes a server endpoint's resource over the
// in-memory link on virtual time, with loss where it matters.
import test from "ava";
import { CoapCode, CoapType } from "../../src/coap/numbers.js";
import { getObserve } from "../../src/coap/options.js";
import type { EndpointEvent } from "../../src/coap/endpoint.js";
import { pair, run, settle } from "./helpers/endpoint-harness.js";

const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const str = (b: Uint8Array) => String.fromCharCode(...b);
const PATH = "sensor";

function observed(options: Parameters<typeof pair>[1] = {}) {
  const p = pair(21, options);
  p.server.registerResource(PATH, { observable: true });
  let value = "v0";
  p.onServerEvent = (e) => { if (e.kind === "request") e.respond({ code: CoapCode.CONTENT, payload: text(value) }); };
  const id = p.client.observe(p.now, { path: PATH });
  settle(p);
  const set = (v: string) => { value = v; p.server.notifyObservers(p.now, PATH, { code: CoapCode.CONTENT, payload: text(v) }); settle(p); };
  return { p, id, set };
}

const payloads = (es: EndpointEvent[]) => es.flatMap((e) => (e.kind === "notification" ? [str(e.payload)] : []));
const kinds = (es: EndpointEvent[]) => es.map((e) => e.kind);

test("the client sees the current state, then every change, each as a notification event", (t) => {
  const { p, id, set } = observed();
  for (let i = 1; i <= 7; i++) { p.now += 1000; set(`v${i}`); }
  t.deepEqual(payloads(p.clientEvents), ["v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7"]);
  t.true(p.clientEvents.every((e) => e.kind === "notification" && e.requestId === id));
  t.is(p.server.observerCount(PATH), 1);
});

test("the client acknowledges the CON notifications, so the server keeps its observer and retransmits nothing", (t) => {
  const { p, set } = observed({ notificationConfirmableEvery: 2 });
  for (let i = 1; i <= 4; i++) { p.now += 1000; set(`v${i}`); }
  const con = p.log.filter((l) => l.from === "server" && l.msg.type === CoapType.CON);
  const acks = p.log.filter((l) => l.from === "client" && l.msg.type === CoapType.ACK && l.msg.code === 0);
  t.is(con.length, 2);
  t.deepEqual(acks.map((l) => l.msg.messageId), con.map((l) => l.msg.messageId));
  run(p);
  t.is(p.log.filter((l) => l.from === "server" && l.msg.type === CoapType.CON).length, 2, "no retransmission");
  t.is(p.server.observerCount(PATH), 1);
});

test("a lost CON notification is retransmitted and arrives; a lost NON one is simply missed", (t) => {
  const { p, set } = observed({ notificationConfirmableEvery: 2 });
  let lose = 1;
  p.drop = (from) => from === "server" && lose-- > 0;
  p.now += 1000; set("lost-non");
  lose = 1;
  p.now += 1000; set("con-after-loss");
  run(p);
  t.deepEqual(payloads(p.clientEvents), ["v0", "con-after-loss"]);
});

test("cancel: the client deregisters with Observe=1, gets a last plain response, and the server stops notifying", (t) => {
  const { p, id, set } = observed();
  p.now += 1000; set("v1");
  p.client.cancelObservation(p.now, id);
  settle(p);
  const last = p.clientEvents.at(-1);
  t.like(last, { kind: "response", requestId: id });
  if (last?.kind === "response") t.is(getObserve(last.message.options), undefined);
  t.is(p.server.observerCount(), 0);
  t.true(p.serverEvents.some((e) => e.kind === "observerRemoved" && e.reason === "cancel"));
  const before = p.log.length;
  p.now += 1000;
  t.is(p.server.notifyObservers(p.now, PATH, { code: CoapCode.CONTENT }), 0);
  settle(p);
  t.is(p.log.length, before);
});

test("forget: the client drops the observation, Resets the next notification, and the server removes its observer", (t) => {
  const { p, id, set } = observed();
  p.client.cancelObservation(p.now, id, "forget");
  p.now += 1000; set("v1");
  t.is(p.log.at(-1)?.msg.type, CoapType.RST);
  t.is(p.server.observerCount(), 0);
  t.like(p.serverEvents.at(-1), { kind: "observerRemoved", reason: "reset" });
  t.deepEqual(payloads(p.clientEvents), ["v0"]);
});

test("when the client is gone, the next CON notification times out and removes the observer", (t) => {
  const { p, set } = observed({ notificationConfirmableEvery: 1 });
  p.drop = () => true;
  p.now += 1000; set("v1");
  run(p);
  t.is(p.server.observerCount(), 0);
  t.like(p.serverEvents.at(-1), { kind: "observerRemoved", reason: "timeout" });
});

test("the session ending ends both halves: the server forgets the observer, the client's observation aborts", (t) => {
  const { p, id } = observed();
  p.server.abortAll();
  p.client.abortAll();
  settle(p);
  t.is(p.server.observerCount(), 0);
  t.like(p.clientEvents.at(-1), { kind: "requestFailed", requestId: id, reason: "Abort" });
  t.deepEqual(kinds(p.serverEvents).slice(-1), ["observerRemoved"]);
});

test("removing the resource ends the observation on the client with a 4.04 response", (t) => {
  const { p, id } = observed();
  p.server.unregisterResource(PATH, p.now);
  settle(p);
  t.like(p.clientEvents.at(-1), { kind: "response", requestId: id, code: CoapCode.NOT_FOUND });
  t.is(p.client.pendingRequests, 0);
});

test("observation survives a 24-bit sequence wrap on the server", (t) => {
  const { p, set } = observed({ firstObserveSequence: 0xfffffd });
  for (let i = 1; i <= 5; i++) { p.now += 1000; set(`v${i}`); }
  t.deepEqual(payloads(p.clientEvents), ["v0", "v1", "v2", "v3", "v4", "v5"]);
  const seqs = p.clientEvents.flatMap((e) => (e.kind === "notification" ? [e.sequence] : []));
  t.deepEqual(seqs, [0xfffffd, 0xfffffe, 0xffffff, 0, 1, 2]);
});

test("a notification overtaken by a newer one is not reported when it finally arrives (§3.4)", (t) => {
  const { p } = observed();
  // Two notifications leave together; the link swaps them.
  p.server.notifyObservers(p.now + 1, PATH, { code: CoapCode.CONTENT, payload: text("older") });
  p.server.notifyObservers(p.now + 2, PATH, { code: CoapCode.CONTENT, payload: text("newer") });
  const a = p.server.pollTransmit()!, b = p.server.pollTransmit()!;
  p.client.handleDatagram(p.now + 3, b.bytes);
  p.client.handleDatagram(p.now + 4, a.bytes);
  settle(p);
  t.deepEqual(payloads(p.clientEvents), ["v0", "newer"]);
});

test("when the client's ACK of a CON notification is lost, the retransmission is acknowledged again and not reported twice", (t) => {
  const { p, set } = observed({ notificationConfirmableEvery: 1 });
  let lose = 1;
  p.drop = (from, msg) => from === "client" && msg.type === CoapType.ACK && lose-- > 0;
  p.now += 1000; set("v1");
  run(p);
  const acks = p.log.filter((l) => l.from === "client" && l.msg.type === CoapType.ACK);
  t.is(acks.length, 2);
  t.is(acks[0]!.msg.messageId, acks[1]!.msg.messageId);
  t.deepEqual(payloads(p.clientEvents), ["v0", "v1"]);
  t.is(p.server.observerCount(), 1);
});
