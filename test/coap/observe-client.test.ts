// RFC 7641 client side at one endpoint, fed raw server messages on virtual time: registration,
// notifications as events, the §3.4 freshness rule (reordering window, 24-bit wrap, 128 s),
// ACKs for CON notifications, the ends of an observation, and both ways of cancelling.
import test from "ava";
import { CoapCode, CoapType, TRANSMISSION } from "../../src/coap/numbers.js";
import type { CoapMessage } from "../../src/coap/message.js";
import { encodeMessage } from "../../src/coap/encode.js";
import { getObserve, getUriPath, setObserve } from "../../src/coap/options.js";
import type { CoapEndpoint, EndpointEvent } from "../../src/coap/endpoint.js";
import { isFresherNotification } from "../../src/coap/observe.js";
import { endpoint, events, sent } from "./helpers/endpoint-harness.js";

const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const str = (b: Uint8Array) => String.fromCharCode(...b);

function answer(to: CoapMessage, fields: { type: CoapType; messageId?: number; code?: number; observe?: number; payload?: string }): Uint8Array {
  const m: CoapMessage = {
    type: fields.type, code: fields.code ?? CoapCode.CONTENT, messageId: fields.messageId ?? to.messageId, token: to.token,
    options: [], payload: text(fields.payload ?? ""),
  };
  if (fields.observe !== undefined) setObserve(m.options, fields.observe);
  return encodeMessage(m);
}

/** A client that has sent its registration; returns the GET it sent. */
function observing(confirmable = true) {
  const ep = endpoint(5);
  const id = ep.observe(0, { path: "sensor/temp", confirmable });
  const [registration] = sent(ep);
  return { ep, id, registration: registration! };
}

/** Registered with Observe value `first` at time 0. */
function registered(first = 10) {
  const o = observing();
  o.ep.handleDatagram(0, answer(o.registration, { type: CoapType.ACK, observe: first, payload: `s${first}` }));
  events(o.ep);
  return o;
}

const notifications = (es: EndpointEvent[]) => es.flatMap((e) => (e.kind === "notification" ? [[e.sequence, str(e.payload)] as const] : []));
let mid = 0x4000;
function push(ep: CoapEndpoint, reg: CoapMessage, at: number, observe: number, type: CoapType = CoapType.NON): EndpointEvent[] {
  ep.handleDatagram(at, answer(reg, { type, messageId: mid++, observe, payload: `s${observe}` }));
  return events(ep);
}

test("observe sends a CON GET with Observe=0 and the path", (t) => {
  const { registration } = observing();
  t.is(registration.type, CoapType.CON);
  t.is(registration.code, CoapCode.GET);
  t.is(getObserve(registration.options), 0);
  t.is(getUriPath(registration.options), "sensor/temp");
  t.is(registration.token.length, TRANSMISSION.TOKEN_LENGTH);
});

test("the registration's 2.xx answer with Observe is the first notification, and the observation then has no deadline", (t) => {
  const { ep, id, registration } = observing();
  ep.handleDatagram(100, answer(registration, { type: CoapType.ACK, observe: 7, payload: "hello" }));
  const [e] = events(ep);
  t.like(e, { kind: "notification", requestId: id, sequence: 7, code: CoapCode.CONTENT });
  t.is(ep.pollTimeout(), undefined);
  t.is(ep.pendingRequests, 1);
});

test("an answer without Observe means the server did not register: it ends the observation as a response", (t) => {
  const { ep, id, registration } = observing();
  ep.handleDatagram(100, answer(registration, { type: CoapType.ACK, payload: "plain" }));
  const [e] = events(ep);
  t.like(e, { kind: "response", requestId: id });
  t.is(ep.pendingRequests, 0);
});

test("a registration never answered fails with ResponseTimeout as a CON GET does", (t) => {
  const { ep, id } = observing();
  for (let at = ep.pollTimeout(); at !== undefined; at = ep.pollTimeout()) { ep.handleTimeout(at); sent(ep); }
  t.like(events(ep)[0], { kind: "requestFailed", requestId: id, reason: "ResponseTimeout" });
});

test("each newer notification is one event with its sequence number and payload", (t) => {
  const { ep, registration } = registered(10);
  const got = [11, 12, 20].flatMap((v, i) => notifications(push(ep, registration, 1000 * (i + 1), v)));
  t.deepEqual(got, [[11, "s11"], [12, "s12"], [20, "s20"]]);
});

test("within 128 s an older or equal sequence number is ignored (§3.4 reordering)", (t) => {
  const { ep, registration } = registered(10);
  t.deepEqual(notifications(push(ep, registration, 1000, 12)), [[12, "s12"]]);
  t.deepEqual(notifications(push(ep, registration, 2000, 11)), [], "older: dropped");
  t.deepEqual(notifications(push(ep, registration, 3000, 12)), [], "the same: dropped");
  t.deepEqual(notifications(push(ep, registration, 4000, 13)), [[13, "s13"]]);
});

test("sequence numbers wrap at 2^24: 0xfffffe, 0xffffff, 0, 1 are each newer, and 0xffffff after 0 is older", (t) => {
  const { ep, registration } = registered(0xfffffe);
  const got = [0xffffff, 0, 1].flatMap((v, i) => notifications(push(ep, registration, 1000 * (i + 1), v)));
  t.deepEqual(got.map(([v]) => v), [0xffffff, 0, 1]);
  t.deepEqual(notifications(push(ep, registration, 5000, 0xffffff)), []);
});

test("a number more than 2^23 ahead counts as older; after 128 s any number is newer", (t) => {
  const { ep, registration } = registered(10);
  t.deepEqual(notifications(push(ep, registration, 1000, 10 + (1 << 23) + 1)), [], "too far ahead: it is an old one from before a wrap");
  t.deepEqual(notifications(push(ep, registration, 128_000, 5)), [], "exactly 128 s after: still ordered by number");
  t.deepEqual(notifications(push(ep, registration, 128_001, 5)), [[5, "s5"]]);
});

test("the freshness rule itself (RFC 7641 §3.4)", (t) => {
  t.true(isFresherNotification(1, 0, 2, 0));
  t.false(isFresherNotification(2, 0, 1, 0));
  t.false(isFresherNotification(2, 0, 2, 0));
  t.true(isFresherNotification(0xffffff, 0, 0, 0));
  t.false(isFresherNotification(0, 0, (1 << 23) + 1, 0));
  t.true(isFresherNotification(0, 0, (1 << 23) - 1, 0));
  t.true(isFresherNotification(5, 0, 4, 128_001));
});

test("a CON notification is acknowledged with an empty ACK, even a stale one", (t) => {
  const { ep, registration } = registered(10);
  ep.handleDatagram(1, answer(registration, { type: CoapType.CON, messageId: 0x7001, observe: 11 }));
  ep.handleDatagram(2, answer(registration, { type: CoapType.CON, messageId: 0x7002, observe: 9 }));
  const acks = sent(ep);
  t.deepEqual(acks.map((m) => [m.type, m.code, m.messageId]), [[CoapType.ACK, 0, 0x7001], [CoapType.ACK, 0, 0x7002]]);
  t.deepEqual(notifications(events(ep)).map(([v]) => v), [11]);
});

test("a notification without Observe, or with an error code, ends the observation as its final response (§3.2)", (t) => {
  for (const [code, observe] of [[CoapCode.CONTENT, undefined], [CoapCode.NOT_FOUND, undefined], [CoapCode.INTERNAL_SERVER_ERROR, 12]] as const) {
    const { ep, id, registration } = registered(10);
    ep.handleDatagram(1, answer(registration, { type: CoapType.CON, messageId: 0x7001, code, ...(observe !== undefined ? { observe } : {}) }));
    t.like(events(ep)[0], { kind: "response", requestId: id, code });
    t.is(ep.pendingRequests, 0);
    t.is(sent(ep)[0]?.type, CoapType.ACK);
  }
});

test("cancel (deregister) sends a GET with Observe=1 and the same token and path (§3.6); its answer ends the observation", (t) => {
  const { ep, id, registration } = registered(10);
  t.true(ep.cancelObservation(50, id));
  const [cancel] = sent(ep);
  t.is(cancel!.code, CoapCode.GET);
  t.is(cancel!.type, CoapType.CON);
  t.is(getObserve(cancel!.options), 1);
  t.deepEqual([...cancel!.token], [...registration.token]);
  t.is(getUriPath(cancel!.options), "sensor/temp");
  t.not(cancel!.messageId, registration.messageId);
  t.false(ep.cancelObservation(51, id), "already cancelling");
  // A notification sent before the server saw the cancel is acknowledged but not reported.
  t.deepEqual(notifications(push(ep, registration, 60, 11, CoapType.CON)), []);
  t.is(sent(ep)[0]?.type, CoapType.ACK);
  ep.handleDatagram(70, answer(cancel!, { type: CoapType.ACK, payload: "last" }));
  const [end] = events(ep);
  t.like(end, { kind: "response", requestId: id });
  t.is(ep.pendingRequests, 0);
});

test("a cancel whose answer never comes ends with ResponseTimeout", (t) => {
  const { ep, id } = registered(10);
  ep.cancelObservation(0, id);
  for (let at = ep.pollTimeout(); at !== undefined; at = ep.pollTimeout()) { ep.handleTimeout(at); sent(ep); }
  t.like(events(ep)[0], { kind: "requestFailed", requestId: id, reason: "ResponseTimeout" });
});

test("cancel (forget) drops the observation at once; the next notification is answered with a Reset", (t) => {
  const { ep, id, registration } = registered(10);
  t.true(ep.cancelObservation(50, id, "forget"));
  t.deepEqual(sent(ep), [], "nothing sent");
  t.is(ep.pendingRequests, 0);
  ep.handleDatagram(60, answer(registration, { type: CoapType.NON, messageId: 0x7100, observe: 11 }));
  const [reset] = sent(ep);
  t.deepEqual([reset!.type, reset!.code, reset!.messageId], [CoapType.RST, 0, 0x7100]);
  t.deepEqual(events(ep), []);
});

test("cancelObservation refuses a plain request's id and an unknown one", (t) => {
  const ep = endpoint(5);
  const plain = ep.request(0, { method: "GET", path: "x", confirmable: true });
  t.false(ep.cancelObservation(0, plain));
  t.false(ep.cancelObservation(0, 999));
});

test("abortAll (the session ended) fails the observation with Abort", (t) => {
  const { ep, id } = registered(10);
  ep.abortAll();
  t.like(events(ep)[0], { kind: "requestFailed", requestId: id, reason: "Abort" });
});

test("a NON registration is sent NON with Observe=0", (t) => {
  const { registration } = observing(false);
  t.is(registration.type, CoapType.NON);
  t.is(getObserve(registration.options), 0);
});
