// Driven by harness.c on the real XS engine: native/udp6.c as src/platform/moddable/udp6.ts
// calls it, over the lwIP double in fake-lwip.c. Prints one JSON line of observations.
const bytes = (list) => Uint8Array.from(list).buffer;
const caught = (f) => { try { f(); return "no throw"; } catch (e) { return `${e.constructor.name}: ${e.message}`; } };
const open = (port, onReadable) => { const s = newHostObject("udp6"); udp6.constructor.call(s, { port, onReadable }); return s; };
const drain = (s) => { const got = []; let p; while ((p = udp6.read.call(s)) !== undefined) got.push([[...new Uint8Array(p)], p.address, p.port]); return got; };

const out = {};
const events = [];
const sock = open(5684, function (count) { events.push([count, this === sock]); });
out.livePcbs = lwipLivePcbs();

lwipInject(bytes([1, 2, 3]), "fdde:ad00:beef::ff:fe00:fc00", 5684);
lwipInject(bytes([4]), "192.168.1.20", 49152);
out.eventsBeforePump = events.length;
out.delivered = pumpMessages();
out.events = events.splice(0);
out.reads = drain(sock);

lwipInject(bytes([5]), "::1", 1);
lwipInject(bytes([6]), "fe80::1a2b:3cff:fe4d:5e6f", 5684);
lwipInject(bytes([7]), "0.0.0.0", 0);
pumpMessages();
out.moreReads = drain(sock);

for (let i = 0; i < 6; i++) lwipInject(bytes([i]), "10.0.0.1", 1000 + i);
lwipInject(new ArrayBuffer(1281), "10.0.0.1", 9);
pumpMessages();
out.overflow = drain(sock).map((r) => r[2]);

postFails(1);
lwipInject(bytes([8]), "10.0.0.2", 2);
out.afterFailedPost = pumpMessages();
lwipInject(bytes([9]), "10.0.0.2", 3);
out.afterRetry = [pumpMessages(), drain(sock).map((r) => r[2])];

udp6.write.call(sock, bytes([1, 2]), "fe80::1", 5684);
udp6.write.call(sock, new Uint8Array([1, 2, 3]), "fdde:ad00:beef:0:0:ff:fe00:fc00", 5684);
udp6.write.call(sock, new DataView(bytes([1, 2, 3, 4])), "10.0.0.7", 61616);
out.sent = lwipSent();
out.badAddress = caught(() => udp6.write.call(sock, bytes([1]), "not-an-address", 5684));
out.longAddress = caught(() => udp6.write.call(sock, bytes([1]), "0000:0000:0000:0000:0000:0000:0000:0000:0000:0000", 5684));
out.badPort = caught(() => udp6.write.call(sock, bytes([1]), "::1", 70000));
out.portTaken = caught(() => open(7, () => {}));
out.badReceiver = caught(() => udp6.read.call({}));
out.openOnPlainObject = caught(() => udp6.constructor.call({}, { port: 5685, onReadable: () => {} }));
out.openTwice = caught(() => udp6.constructor.call(sock, { port: 5685, onReadable: () => {} }));
out.livePcbsAfterMisuse = lwipLivePcbs();
out.otherHostObject = caught(() => udp6.read.call(newHostObject("dtls")));

// Close with a delivery still queued: the delivery must free the record and call nothing.
const eventsBeforeClose = events.length;
lwipInject(bytes([10]), "10.0.0.3", 4);
udp6.close.call(sock);
udp6.close.call(sock);
out.pumpAfterClose = [pumpMessages(), events.length - eventsBeforeClose];
out.afterClose = [caught(() => udp6.read.call(sock)), caught(() => udp6.write.call(sock, bytes([1]), "::1", 1)), lwipLivePcbs()];

// A socket left open is released at machine teardown by the destructor.
const leftOpen = open(0, () => {});
out.leftOpen = lwipLivePcbs();
print(JSON.stringify(out));
