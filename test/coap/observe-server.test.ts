// RFC 7641 server side at one endpoint, driven with raw messages on virtual time: registration,
// notifications (sequence numbers, NON/CON choice, §4.5.2 replacement), every way an observer
// leaves, Max-Age, and that a resource not declared observable is untouched.
import test from "ava";
import { CoapCode, CoapOptionNumber, CoapType, TRANSMISSION } from "../../src/coap/numbers.js";
import type { CoapMessage } from "../../src/coap/message.js";
import { emptyMessage } from "../../src/coap/message.js";
import { encodeMessage } from "../../src/coap/encode.js";
import { findOption, getObserve, getUintOption, setObserve, setUriPath } from "../../src/coap/options.js";
import type { CoapEndpoint, CoapEndpointOptions, EndpointEvent, ResourceOptions } from "../../src/coap/endpoint.js";
import { endpoint, events, sent } from "./helpers/endpoint-harness.js";

const TOKEN = Uint8Array.of(0x0b, 0x5e);
const getMaxAge = (o: CoapMessage["options"]) => getUintOption(o, CoapOptionNumber.MAX_AGE);
const PATH = "test-resource";
const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const str = (b: Uint8Array) => String.fromCharCode(...b);

function get(messageId: number, observe: number | undefined, opts: { token?: Uint8Array; type?: CoapType; path?: string } = {}): Uint8Array {
  const m: CoapMessage = { type: opts.type ?? CoapType.CON, code: CoapCode.GET, messageId, token: opts.token ?? TOKEN, options: [], payload: new Uint8Array(0) };
  if (observe !== undefined) setObserve(m.options, observe);
  setUriPath(m.options, opts.path ?? PATH);
  return encodeMessage(m);
}
const ack = (messageId: number) => encodeMessage(emptyMessage(CoapType.ACK, messageId));
const rst = (messageId: number) => encodeMessage(emptyMessage(CoapType.RST, messageId));

/** An endpoint with one observable resource whose GETs the app answers 2.05 with `state.value`. */
function observableServer(resource: ResourceOptions = {}, options: Partial<CoapEndpointOptions> = {}) {
  const ep = endpoint(3, options);
  ep.registerResource(PATH, { observable: true, ...resource });
  const state = { value: "v0", code: CoapCode.CONTENT as number, log: [] as EndpointEvent[] };
  const drain = () => {
    const out: EndpointEvent[] = [];
    for (let e = ep.pollEvent(); e !== undefined; e = ep.pollEvent()) {
      out.push(e);
      if (e.kind === "request") e.respond({ code: state.code, payload: text(state.value) });
    }
    state.log.push(...out);
    return out;
  };
  return { ep, state, drain };
}

function register(ep: CoapEndpoint, drain: () => EndpointEvent[], messageId = 0x100, token = TOKEN): CoapMessage {
  ep.handleDatagram(0, get(messageId, 0, { token }));
  drain();
  const [response] = sent(ep);
  if (response === undefined) throw new Error("no registration response");
  return response;
}

function notify(ep: CoapEndpoint, now: number, value: string, confirmable = false): CoapMessage[] {
  ep.notifyObservers(now, PATH, { code: CoapCode.CONTENT, payload: text(value) }, { confirmable });
  return sent(ep);
}

test("a GET with Observe=0 on an observable resource is reported, answered with an Observe option and registers the client", (t) => {
  const { ep, drain, state } = observableServer();
  const response = register(ep, drain);
  t.is(response.type, CoapType.ACK);
  t.is(response.code, CoapCode.CONTENT);
  t.is(getObserve(response.options), 0);
  t.is(str(response.payload), "v0");
  t.deepEqual(state.log.map((e) => e.kind), ["request", "observerAdded", "responseSent"]);
  t.is(ep.observerCount(PATH), 1);
});

test("each notification goes to the observer's token with an Observe value one higher than the last", (t) => {
  const { ep, drain } = observableServer();
  register(ep, drain);
  const seen: number[] = [];
  for (let i = 1; i <= 3; i++) {
    const [n] = notify(ep, i * 1000, `v${i}`);
    t.deepEqual([...n!.token], [...TOKEN]);
    t.is(n!.code, CoapCode.CONTENT);
    t.is(str(n!.payload), `v${i}`);
    seen.push(getObserve(n!.options)!);
  }
  t.deepEqual(seen, [1, 2, 3]);
});

test("Observe values are 24 bits: after 0xffffff comes 0, and the option stays at most 3 bytes", (t) => {
  const { ep, drain } = observableServer({}, { firstObserveSequence: 0xfffffe });
  const response = register(ep, drain);
  t.is(getObserve(response.options), 0xfffffe);
  const values = [notify(ep, 1, "a"), notify(ep, 2, "b"), notify(ep, 3, "c")].map(([n]) => findOption(n!.options, CoapOptionNumber.OBSERVE)!.value);
  t.deepEqual(values.map((v) => [...v]), [[0xff, 0xff, 0xff], [], [1]]);
});

test("notifications are NON, and every 5th one (by default) is CON", (t) => {
  const { ep, drain } = observableServer();
  register(ep, drain);
  const types: CoapType[] = [];
  for (let i = 1; i <= 10; i++) {
    const [n] = notify(ep, i, `v${i}`);
    types.push(n!.type);
    if (n!.type === CoapType.CON) ep.handleDatagram(i, ack(n!.messageId));
  }
  const { NON, CON } = CoapType;
  t.deepEqual(types, [NON, NON, NON, NON, CON, NON, NON, NON, NON, CON]);
});

test("notificationConfirmableEvery sets the CON rate; 1 makes every notification CON", (t) => {
  for (const [every, expected] of [[1, [0, 0, 0]], [3, [1, 1, 0]]] as const) {
    const { ep, drain } = observableServer({}, { notificationConfirmableEvery: every });
    register(ep, drain);
    const types = [1, 2, 3].map((i) => {
      const [n] = notify(ep, i, "x");
      if (n!.type === CoapType.CON) ep.handleDatagram(i, ack(n!.messageId));
      return n!.type;
    });
    t.deepEqual(types, [...expected], `every ${every}`);
  }
});

test("a notification is CON when the last acknowledgement is 24 h old, whatever the count", (t) => {
  const { ep, drain } = observableServer({}, { notificationConfirmableEvery: 1000 });
  register(ep, drain);
  t.is(notify(ep, 24 * 3600_000 - 1, "a")[0]!.type, CoapType.NON);
  t.is(notify(ep, 24 * 3600_000, "b")[0]!.type, CoapType.CON);
});

test("the caller can ask for a CON notification", (t) => {
  const { ep, drain } = observableServer();
  register(ep, drain);
  t.is(notify(ep, 1, "a", true)[0]!.type, CoapType.CON);
});

test("a CON notification is retransmitted like a CON request and its ACK stops it", (t) => {
  const { ep, drain } = observableServer({}, { notificationConfirmableEvery: 1 });
  register(ep, drain);
  const [n] = notify(ep, 0, "a");
  const first = ep.pollTimeout()!;
  t.true(first >= TRANSMISSION.ACK_TIMEOUT_MS && first <= TRANSMISSION.ACK_TIMEOUT_MAX_MS);
  ep.handleTimeout(first);
  const [again] = sent(ep);
  t.is(again!.messageId, n!.messageId, "a retransmission keeps its Message ID");
  t.is(str(again!.payload), "a");
  ep.handleDatagram(first + 10, ack(n!.messageId));
  t.is(ep.pollTimeout(), undefined);
  t.is(ep.observerCount(PATH), 1);
});

test("a CON notification never acknowledged removes the observer after the last retransmission (§4.5)", (t) => {
  const { ep, drain, state } = observableServer({}, { notificationConfirmableEvery: 1 });
  register(ep, drain);
  notify(ep, 0, "a");
  let copies = 0;
  for (let at = ep.pollTimeout(); at !== undefined; at = ep.pollTimeout()) { ep.handleTimeout(at); copies += sent(ep).length; }
  drain();
  t.is(copies, TRANSMISSION.MAX_RETRANSMIT);
  t.is(ep.observerCount(PATH), 0);
  t.deepEqual(state.log.at(-1), { kind: "observerRemoved", peer: "", path: PATH, reason: "timeout" });
  t.is(ep.notifyObservers(1e6, PATH, { code: CoapCode.CONTENT }), 0);
  t.deepEqual(sent(ep), []);
});

test("a newer state replaces a CON notification in flight: it goes at the next retransmission with a new Message ID and Observe value (§4.5.2)", (t) => {
  const { ep, drain } = observableServer({}, { notificationConfirmableEvery: 1 });
  register(ep, drain);
  const [first] = notify(ep, 0, "a");
  const retransmitAt = ep.pollTimeout()!;
  t.deepEqual(notify(ep, 10, "b"), [], "nothing more goes out while a CON is in flight");
  t.deepEqual(notify(ep, 20, "c"), []);
  t.is(ep.pollTimeout(), retransmitAt, "the retransmission schedule is kept");
  ep.handleTimeout(retransmitAt);
  const [replacement] = sent(ep);
  t.is(replacement!.type, CoapType.CON);
  t.not(replacement!.messageId, first!.messageId);
  t.is(str(replacement!.payload), "c");
  t.is(getObserve(replacement!.options), getObserve(first!.options)! + 2);
  const next = ep.pollTimeout()!;
  t.is(next - retransmitAt, 2 * (retransmitAt - 0), "the timeout doubled, as for a retransmission");
  ep.handleDatagram(next - 1, ack(first!.messageId));
  t.is(ep.pollTimeout(), next, "an ACK of the replaced message does not end the new one");
  ep.handleDatagram(next - 1, ack(replacement!.messageId));
  t.is(ep.pollTimeout(), undefined);
});

test("when the CON in flight is acknowledged before a newer state went out, the newer state is sent at once", (t) => {
  const { ep, drain } = observableServer();
  register(ep, drain);
  const [first] = notify(ep, 0, "a", true);
  t.deepEqual(notify(ep, 5, "b"), []);
  ep.handleDatagram(6, ack(first!.messageId));
  const [next] = sent(ep);
  t.is(str(next!.payload), "b");
  t.is(next!.type, CoapType.NON);
  t.is(getObserve(next!.options), getObserve(first!.options)! + 1);
});

test("a Reset to a NON notification removes the observer", (t) => {
  const { ep, drain, state } = observableServer();
  register(ep, drain);
  const [n1] = notify(ep, 1, "a");
  notify(ep, 2, "b");
  ep.handleDatagram(3, rst(n1!.messageId)); // to an older one: still recent enough to match
  drain();
  t.is(ep.observerCount(), 0);
  t.deepEqual(state.log.at(-1), { kind: "observerRemoved", peer: "", path: PATH, reason: "reset" });
  t.deepEqual(notify(ep, 4, "c"), []);
});

test("a Reset to a CON notification removes the observer and stops the retransmissions", (t) => {
  const { ep, drain } = observableServer();
  register(ep, drain);
  const [n] = notify(ep, 1, "a", true);
  ep.handleDatagram(3, rst(n!.messageId));
  t.is(ep.observerCount(), 0);
  t.is(ep.pollTimeout(), undefined);
});

test("a Reset from another peer with the same Message ID does not remove the observer", (t) => {
  const { ep, drain } = observableServer();
  register(ep, drain);
  const [n] = notify(ep, 1, "a");
  ep.handleDatagram(3, rst(n!.messageId), "someone-else");
  t.is(ep.observerCount(), 1);
});

test("a GET with Observe=1 and the observation's token deregisters it and is answered as a plain GET (§3.6)", (t) => {
  const { ep, drain, state } = observableServer();
  register(ep, drain);
  state.value = "now";
  ep.handleDatagram(10, get(0x200, 1));
  drain();
  const [response] = sent(ep);
  t.is(response!.code, CoapCode.CONTENT);
  t.is(getObserve(response!.options), undefined);
  t.is(str(response!.payload), "now");
  t.is(ep.observerCount(), 0);
  t.true(state.log.some((e) => e.kind === "observerRemoved" && e.reason === "cancel"));
  t.deepEqual(notify(ep, 11, "x"), []);
});

test("a GET with Observe=1 and another token leaves the observation alone", (t) => {
  const { ep, drain } = observableServer();
  register(ep, drain);
  ep.handleDatagram(10, get(0x200, 1, { token: Uint8Array.of(9) }));
  drain();
  t.is(ep.observerCount(), 1);
});

test("re-registering with the same token refreshes the entry instead of adding one (§4.1)", (t) => {
  const { ep, drain, state } = observableServer();
  register(ep, drain, 0x100);
  const again = register(ep, drain, 0x101);
  t.is(getObserve(again.options), 1);
  t.is(ep.observerCount(), 1);
  t.is(state.log.filter((e) => e.kind === "observerAdded").length, 1);
  t.is(notify(ep, 1, "x").length, 1);
});

test("two clients (peers or tokens) observe the same resource and each gets every notification", (t) => {
  const { ep, drain } = observableServer();
  register(ep, drain, 0x100, Uint8Array.of(1));
  ep.handleDatagram(0, get(0x100, 0, { token: Uint8Array.of(2) }), "peer-b");
  drain();
  sent(ep);
  const out = ep.pollTransmit() ?? null;
  t.is(out, null);
  ep.notifyObservers(1, PATH, { code: CoapCode.CONTENT, payload: text("x") });
  const peers: string[] = [];
  for (let tx = ep.pollTransmit(); tx !== undefined; tx = ep.pollTransmit()) peers.push(tx.peer);
  t.deepEqual(peers, ["", "peer-b"]);
});

test("a registration the app answers with an error is not kept, and ends an earlier one with the same token (§4.1)", (t) => {
  const { ep, drain, state } = observableServer();
  register(ep, drain, 0x100);
  state.code = CoapCode.NOT_FOUND;
  const response = register(ep, drain, 0x101);
  t.is(response.code, CoapCode.NOT_FOUND);
  t.is(getObserve(response.options), undefined);
  t.is(ep.observerCount(), 0);
  t.true(state.log.some((e) => e.kind === "observerRemoved" && e.reason === "rejected"));
});

test("a non-2.xx notification carries no Observe, goes CON and ends the observation once acknowledged (§4.2)", (t) => {
  const { ep, drain, state } = observableServer();
  register(ep, drain);
  t.is(ep.notifyObservers(1, PATH, { code: CoapCode.INTERNAL_SERVER_ERROR }), 1);
  const [n] = sent(ep);
  t.is(n!.type, CoapType.CON);
  t.is(n!.code, CoapCode.INTERNAL_SERVER_ERROR);
  t.is(getObserve(n!.options), undefined);
  t.is(ep.observerCount(), 0, "no longer counted");
  t.deepEqual(notify(ep, 2, "x"), [], "and no longer notified");
  ep.handleDatagram(3, ack(n!.messageId));
  drain();
  t.deepEqual(state.log.at(-1), { kind: "observerRemoved", peer: "", path: PATH, reason: "error" });
});

test("unregistering the resource with `now` sends its observers a 4.04; without `now` they are dropped silently", (t) => {
  const a = observableServer();
  register(a.ep, a.drain);
  a.ep.unregisterResource(PATH, 5);
  const [n] = sent(a.ep);
  t.is(n!.code, CoapCode.NOT_FOUND);
  t.deepEqual([...n!.token], [...TOKEN]);
  const b = observableServer();
  register(b.ep, b.drain);
  b.ep.unregisterResource(PATH);
  b.drain();
  t.deepEqual(sent(b.ep), []);
  t.is(b.ep.observerCount(), 0);
  t.deepEqual(b.state.log.at(-1), { kind: "observerRemoved", peer: "", path: PATH, reason: "unregistered" });
});

test("abortAll (the session ended) removes the peer's observers and their retransmissions", (t) => {
  const { ep, drain, state } = observableServer();
  register(ep, drain);
  ep.handleDatagram(0, get(0x100, 0, { token: Uint8Array.of(2) }), "other");
  drain();
  sent(ep);
  notify(ep, 1, "a", true);
  t.not(ep.pollTimeout(), undefined);
  ep.abortAll("");
  drain();
  t.is(ep.observerCount(), 1, "the other session's observer stays");
  t.true(state.log.some((e) => e.kind === "observerRemoved" && e.peer === "" && e.reason === "sessionEnded"));
  ep.abortAll();
  t.is(ep.observerCount(), 0);
  t.is(ep.pollTimeout(), undefined);
});

test("maxAge puts Max-Age on the registration response and the notifications, unless the app set one", (t) => {
  const { ep, drain } = observableServer({ maxAge: 30 });
  const response = register(ep, drain);
  t.is(getMaxAge(response.options), 30);
  t.is(getMaxAge(notify(ep, 1, "a")[0]!.options), 30);
  ep.notifyObservers(2, PATH, { code: CoapCode.CONTENT, options: [{ number: CoapOptionNumber.MAX_AGE, value: Uint8Array.of(5) }] });
  t.is(getMaxAge(sent(ep)[0]!.options), 5);
});

test("a resource not declared observable answers Observe=0 like a plain GET and registers nobody", (t) => {
  const ep = endpoint(3);
  ep.registerResource(PATH);
  ep.handleDatagram(0, get(0x100, 0));
  for (const e of events(ep)) if (e.kind === "request") e.respond({ code: CoapCode.CONTENT, payload: text("x") });
  const [response] = sent(ep);
  t.is(getObserve(response!.options), undefined);
  t.is(ep.notifyObservers(1, PATH, { code: CoapCode.CONTENT }), 0);
  t.deepEqual(sent(ep), []);
});

test("Observe=0 on a NON GET registers too; the answer is an ACK as for every app response", (t) => {
  const { ep, drain } = observableServer();
  ep.handleDatagram(0, get(0x100, 0, { type: CoapType.NON }));
  drain();
  const [response] = sent(ep);
  t.is(response!.type, CoapType.ACK);
  t.is(getObserve(response!.options), 0);
  t.is(ep.observerCount(), 1);
});

test("registering the path again as not observable drops its observers", (t) => {
  const { ep, drain, state } = observableServer();
  register(ep, drain);
  ep.registerResource(PATH, { observable: true });
  t.is(ep.observerCount(PATH), 1, "still observable: kept");
  ep.registerResource(PATH);
  drain();
  t.is(ep.observerCount(PATH), 0);
  t.like(state.log.at(-1), { kind: "observerRemoved", reason: "unregistered" });
  t.is(ep.notifyObservers(1, PATH, { code: CoapCode.CONTENT }), 0);
});

test("beyond maxObservers a registration is answered without Observe and registers nobody; a refresh still works", (t) => {
  const { ep, drain, state } = observableServer({}, { maxObservers: 2 });
  register(ep, drain, 0x100, Uint8Array.of(1));
  register(ep, drain, 0x101, Uint8Array.of(2));
  const third = register(ep, drain, 0x102, Uint8Array.of(3));
  t.is(third.code, CoapCode.CONTENT);
  t.is(getObserve(third.options), undefined);
  t.is(ep.observerCount(), 2);
  t.is(state.log.filter((e) => e.kind === "observerAdded").length, 2);
  const refresh = register(ep, drain, 0x103, Uint8Array.of(1));
  t.not(getObserve(refresh.options), undefined, "the same token again is a refresh, not a new entry");
  t.is(ep.observerCount(), 2);
});

test("sixteen observers by default", (t) => {
  const { ep, drain } = observableServer();
  for (let i = 0; i < 17; i++) register(ep, drain, 0x100 + i, Uint8Array.of(i));
  t.is(ep.observerCount(), 16);
});
