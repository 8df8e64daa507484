// /.well-known/core (RFC 6690) at the endpoint: off by default (4.04, as OpenThread), and when
// enabled a link-format list of the resources, `;obs` on observable ones, block-wise when big.
import test from "ava";
import { CoapCode, CoapType } from "../../src/coap/numbers.js";
import type { CoapMessage } from "../../src/coap/message.js";
import { encodeMessage } from "../../src/coap/encode.js";
import { addOption, getBlock2, getUintOption, setBlock2, setUriPath } from "../../src/coap/options.js";
import { CoapOptionNumber } from "../../src/coap/numbers.js";

const getContentFormat = (o: CoapMessage["options"]) => getUintOption(o, CoapOptionNumber.CONTENT_FORMAT);
const getSize2 = (o: CoapMessage["options"]) => getUintOption(o, CoapOptionNumber.SIZE2);
import { linkFormat, linkMatches, parseLinkFilter, percentEncodePath } from "../../src/coap/link-format.js";
import { endpoint, events, pair, run, sent } from "./helpers/endpoint-harness.js";

const str = (b: Uint8Array) => String.fromCharCode(...b);

function request(code: number, opts: { type?: CoapType; block2?: { num: number; szx: number }; path?: string; queries?: string[]; messageId?: number } = {}): Uint8Array {
  const m: CoapMessage = { type: opts.type ?? CoapType.CON, code, messageId: opts.messageId ?? 0x321, token: Uint8Array.of(7), options: [], payload: new Uint8Array(0) };
  setUriPath(m.options, opts.path ?? ".well-known/core");
  for (const q of opts.queries ?? []) addOption(m.options, CoapOptionNumber.URI_QUERY, Uint8Array.from(q, (c) => c.charCodeAt(0)));
  if (opts.block2) setBlock2(m.options, { ...opts.block2, more: false });
  return encodeMessage(m);
}

function server(options: Parameters<typeof endpoint>[1] = { wellKnownCore: true }) {
  const ep = endpoint(9, options);
  ep.registerResource("test-resource", { observable: true });
  ep.registerResource("a/b", { linkAttributes: ['rt="temperature"', "ct=0"] });
  return ep;
}

test("by default /.well-known/core is an unknown path: 4.04, as in OpenThread", (t) => {
  const ep = server({});
  ep.handleDatagram(0, request(CoapCode.GET));
  const [response] = sent(ep);
  t.is(response!.code, CoapCode.NOT_FOUND);
  t.deepEqual(events(ep), []);
});

test("with wellKnownCore the endpoint answers a GET itself: 2.05, link-format, ;obs on the observable resource", (t) => {
  const ep = server();
  ep.handleDatagram(0, request(CoapCode.GET));
  const [response] = sent(ep);
  t.is(response!.type, CoapType.ACK);
  t.is(response!.messageId, 0x321);
  t.is(response!.code, CoapCode.CONTENT);
  t.is(getContentFormat(response!.options), 40);
  t.is(str(response!.payload), '</test-resource>;obs,</a/b>;rt="temperature";ct=0');
  t.is(getBlock2(response!.options), undefined, "small enough for one message");
  t.deepEqual(events(ep), [], "the app is not asked");
});

test("a NON GET is answered NON with a new Message ID, like the other answers of the CoAP layer", (t) => {
  const ep = server();
  ep.handleDatagram(0, request(CoapCode.GET, { type: CoapType.NON }));
  const [response] = sent(ep);
  t.is(response!.type, CoapType.NON);
  t.not(response!.messageId, 0x321);
  t.is(response!.code, CoapCode.CONTENT);
});

test("other methods get 4.05 Method Not Allowed", (t) => {
  const ep = server();
  for (const code of [CoapCode.PUT, CoapCode.POST, CoapCode.DELETE]) {
    ep.handleDatagram(0, request(code));
    t.is(sent(ep)[0]!.code, CoapCode.METHOD_NOT_ALLOWED);
    ep.abortAll(); // forget the duplicate cache: the test reuses the Message ID
  }
});

test("the list follows registration: an unregistered resource leaves it, and an app resource at the path wins", (t) => {
  const ep = server();
  ep.unregisterResource("a/b");
  ep.handleDatagram(0, request(CoapCode.GET));
  t.is(str(sent(ep)[0]!.payload), "</test-resource>;obs");
  ep.abortAll();
  ep.registerResource(".well-known/core");
  ep.handleDatagram(0, request(CoapCode.GET));
  t.is(events(ep)[0]?.kind, "request");
});

test("paths are percent-encoded where link-format needs it", (t) => {
  t.is(percentEncodePath("a b/c,d;e>f"), "/a%20b/c%2Cd%3Be%3Ef");
  t.is(percentEncodePath("é"), "/%C3%A9");
  t.is(percentEncodePath("\u00e9", "bytes"), "/%E9");
  t.is(percentEncodePath("x-._~:@!$&'()*+="), "/x-._~:@!$&'()*+=");
  t.is(linkFormat([]), "");
});

function manyResources(ep: ReturnType<typeof endpoint>, n: number): string {
  for (let i = 0; i < n; i++) ep.registerResource(`sensors/room-${String(i).padStart(3, "0")}/temperature`, { observable: i % 2 === 0 });
  return linkFormat([...Array(n).keys()].map((i) => ({ path: `sensors/room-${String(i).padStart(3, "0")}/temperature`, observable: i % 2 === 0, attributes: [] })));
}

test("a list over one message starts block-wise on its own: block 0 of 512 bytes with more=1 and Size2 (RFC 7959 late negotiation)", (t) => {
  const ep = endpoint(9, { wellKnownCore: true });
  const whole = manyResources(ep, 40);
  t.true(whole.length > 900);
  ep.handleDatagram(0, request(CoapCode.GET));
  const [first] = sent(ep);
  t.deepEqual(getBlock2(first!.options), { num: 0, more: true, szx: 5 });
  t.is(getSize2(first!.options), whole.length);
  t.is(str(first!.payload), whole.slice(0, 512));
  t.true(encodeMessage(first!).length <= 900);
});

test("a client's block-wise GET fetches the whole list, at the size it asked for", (t) => {
  const p = pair(4, { wellKnownCore: true });
  const whole = manyResources(p.server, 40);
  p.client.request(p.now, { method: "GET", path: ".well-known/core", confirmable: true, blockSize: 128 });
  run(p);
  const blocks = p.clientEvents.flatMap((e) => (e.kind === "blockReceived" ? [e] : []));
  t.is(blocks.map((b) => str(b.bytes)).join(""), whole);
  t.true(blocks.every((b) => b.size === 128));
  t.like(p.clientEvents.at(-1), { kind: "response", code: CoapCode.CONTENT });
  t.deepEqual(p.serverEvents, [], "answered by the CoAP layer alone");
});

test("a block asked for at a larger size than fits is served smaller, from the same offset", (t) => {
  const ep = endpoint(9, { wellKnownCore: true });
  const whole = manyResources(ep, 40);
  ep.handleDatagram(0, request(CoapCode.GET, { block2: { num: 1, szx: 6 } })); // offset 1024, size 1024
  const [response] = sent(ep);
  t.deepEqual(getBlock2(response!.options), { num: 2, more: whole.length > 1536, szx: 5 });
  t.is(str(response!.payload), whole.slice(1024, 1536));
});

test("a block past the end gets 4.02; a malformed Block2 gets 4.00", (t) => {
  const ep = endpoint(9, { wellKnownCore: true });
  manyResources(ep, 2);
  ep.handleDatagram(0, request(CoapCode.GET, { block2: { num: 5, szx: 2 } }));
  t.is(sent(ep)[0]!.code, CoapCode.BAD_OPTION);
  ep.abortAll();
  const m: CoapMessage = { type: CoapType.CON, code: CoapCode.GET, messageId: 9, token: Uint8Array.of(), options: [], payload: new Uint8Array(0) };
  setUriPath(m.options, ".well-known/core");
  m.options.push({ number: 23, value: Uint8Array.of(0x0f) }); // SZX 7 is reserved
  ep.handleDatagram(0, encodeMessage(m));
  t.is(sent(ep)[0]!.code, CoapCode.BAD_REQUEST);
});

// ---- query filters (RFC 6690 §4.1) ----

/** The list answered to a GET of /.well-known/core with these Uri-Query options. */
function filtered(queries: string[]): { code: number; format: number | undefined; list: string } {
  const ep = endpoint(9, { wellKnownCore: true });
  ep.registerResource("test-resource", { observable: true });
  ep.registerResource("a/b", { linkAttributes: ['rt="temperature humidity"', "ct=0", 'title="Room sensor"'] });
  ep.registerResource("a/c", { linkAttributes: ['rt="temperature-c"', 'if="sensor"', "ct=40"] });
  ep.handleDatagram(0, request(CoapCode.GET, { queries }));
  const [response] = sent(ep);
  return { code: response!.code, format: getContentFormat(response!.options), list: str(response!.payload) };
}

const B = '</a/b>;rt="temperature humidity";ct=0;title="Room sensor"';
const C = '</a/c>;rt="temperature-c";if="sensor";ct=40';

test("a query filter picks links: href exact or as a prefix, with or without the leading slash", (t) => {
  t.is(filtered([]).list, `</test-resource>;obs,${B},${C}`, "no query: every link");
  t.is(filtered(["href=/a/b"]).list, B);
  t.is(filtered(["href=a/b"]).list, B, "as libcoap: href without its leading /");
  t.is(filtered(["href=/a/*"]).list, `${B},${C}`);
  t.is(filtered(["href=*"]).list, `</test-resource>;obs,${B},${C}`);
  t.is(filtered(["href=/a"]).list, "", "no prefix match without *");
});

test("a filter on any attribute: quotes are not part of the value, and rt and if match any one of their entries", (t) => {
  t.is(filtered(["rt=temperature"]).list, B);
  t.is(filtered(["rt=humidity"]).list, B, "second entry of a space-separated rt");
  t.is(filtered(["rt=temperature*"]).list, `${B},${C}`);
  t.is(filtered(["rt=temperature humidity"]).list, B, "the whole value too");
  t.is(filtered(["if=sensor"]).list, C);
  t.is(filtered(["ct=0"]).list, B);
  t.is(filtered(["ct=4*"]).list, C);
  t.is(filtered(["title=Room*"]).list, B);
  t.is(filtered(["title=sensor"]).list, "", "title is one value, not a list");
});

test("obs: ?obs and ?obs=* pick the observable resources; several queries must all hold", (t) => {
  t.is(filtered(["obs"]).list, "</test-resource>;obs");
  t.is(filtered(["obs=*"]).list, "</test-resource>;obs");
  t.is(filtered(["rt"]).list, `${B},${C}`, "a bare name: the links that have the attribute");
  t.is(filtered(["rt=temperature*", "ct=40"]).list, C);
  t.is(filtered(["rt=temperature*", "obs"]).list, "");
});

test("when nothing matches, the answer is 2.05 with an empty link-format list (as libcoap), not 4.04", (t) => {
  const none = filtered(["rt=nothing"]);
  t.is(none.code, CoapCode.CONTENT);
  t.is(none.format, 40);
  t.is(none.list, "");
  t.is(filtered(["foo=bar"]).list, "", "an attribute no link has");
});

test("a filtered list that still needs blocks is cut into blocks after filtering", (t) => {
  const ep = endpoint(9, { wellKnownCore: true });
  const whole = manyResources(ep, 40);
  const even = linkFormat([...Array(40).keys()].filter((i) => i % 2 === 0)
    .map((i) => ({ path: `sensors/room-${String(i).padStart(3, "0")}/temperature`, observable: true, attributes: [] })));
  t.true(even.length > 512 && even.length < whole.length);
  ep.handleDatagram(0, request(CoapCode.GET, { queries: ["obs"], block2: { num: 0, szx: 5 } }));
  const [first] = sent(ep);
  t.is(getSize2(first!.options), even.length);
  t.is(str(first!.payload), even.slice(0, 512));
  ep.handleDatagram(0, request(CoapCode.GET, { queries: ["obs"], block2: { num: 1, szx: 5 }, messageId: 0x322 }));
  const [second] = sent(ep);
  t.deepEqual(getBlock2(second!.options), { num: 1, more: false, szx: 5 });
  t.is(str(second!.payload), even.slice(512));
});

test("parseLinkFilter and linkMatches", (t) => {
  t.deepEqual(parseLinkFilter("rt=temp*"), { name: "rt", value: "temp", prefix: true });
  t.deepEqual(parseLinkFilter("href=/x"), { name: "href", value: "/x", prefix: false });
  t.deepEqual(parseLinkFilter("obs"), { name: "obs", value: undefined, prefix: false });
  t.deepEqual(parseLinkFilter("a=b=c"), { name: "a", value: "b=c", prefix: false });
  const link = { path: "a b", observable: false, attributes: ["sz=12"] };
  t.true(linkMatches(link, [parseLinkFilter("href=/a%20b")]), "href as the link writes it");
  t.true(linkMatches(link, [parseLinkFilter("sz=12")]));
  t.false(linkMatches(link, [parseLinkFilter("obs")]));
});
