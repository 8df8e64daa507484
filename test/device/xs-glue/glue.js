// Driven by harness.c on the real XS engine: the xs_dtls_* glue as dtls-native.ts calls it.
// Prints one JSON line of observations; the ava test decides what they must be. The test
// prepends CERT_PEM, KEY_PEM and CA_PEM (native/credentials/).
const bytes = (s) => { const b = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i); return b; };
const text = (b) => String.fromCharCode(...new Uint8Array(b));
const caught = (f) => { try { f(); return "no throw"; } catch (e) { return `${e.constructor.name}: ${e.message}`; } };
// As DtlsSession does: run the engine's timer whenever its deadline has come.
const tick = (e, now) => { const t = dtls.nextDeadline.call(e); if (t !== undefined && t <= now) dtls.handleTimer.call(e, now); };
const engine = (server, key, id, now) => { const e = newHostObject("dtls"); dtls.create.call(e, server, false, key, id, undefined, false, 0, 0, now); return e; };

const out = {};
let now = 1000;
const client = engine(false, bytes("secret123"), bytes("id1"), now);
const server = engine(true, bytes("secret123"), bytes("id1"), now);
out.initial = [dtls.state.call(client), dtls.state.call(server), dtls.cipherSuite.call(client)];
out.clientDeadline = typeof dtls.nextDeadline.call(client);
// create's now is the origin of the first retransmission deadline (8 s later).
const late = engine(false, bytes("secret123"), bytes("id1"), 1000000);
out.lateDeadline = dtls.nextDeadline.call(late);
out.outgoingKind = Object.prototype.toString.call(dtls.takeOutgoing.call(late));
dtls.free.call(late);
out.fractionalTimeout = caught(() => dtls.create.call(newHostObject("dtls"), false, false, bytes("k"), bytes("i"), undefined, false, 1.5, 0, now));
out.hugeTimeout = caught(() => dtls.create.call(newHostObject("dtls"), false, false, bytes("k"), bytes("i"), undefined, false, 0, 2 ** 32, now));
const clientId = bytes("\x7f\x00\x00\x01\x16\x34");
let flights = 0;
for (let round = 0; round < 20; round++) {
  tick(client, now); tick(server, now);
  let moved = false, d;
  while ((d = dtls.takeOutgoing.call(client)) !== undefined) {
    moved = true; flights++;
    dtls.setClientId.call(server, clientId);
    dtls.feed.call(server, now, new Uint8Array(d));
  }
  while ((d = dtls.takeOutgoing.call(server)) !== undefined) {
    moved = true; flights++;
    dtls.feed.call(client, now, d);
  }
  now += 5;
  if (!moved) break;
}
out.connected = [dtls.state.call(client), dtls.state.call(server)];
out.suite = [dtls.cipherSuite.call(client), dtls.cipherSuite.call(server)];
out.flights = flights;

dtls.write.call(client, now, bytes("GET /test-resource"));
let d;
while ((d = dtls.takeOutgoing.call(client)) !== undefined) dtls.feed.call(server, now, d);
const record = dtls.read.call(server);
out.recordKind = Object.prototype.toString.call(record);
out.received = record === undefined ? null : text(record);
out.readEmpty = dtls.read.call(server) === undefined;

out.badReceiver = caught(() => dtls.state.call({}));
out.createOnPlainObject = caught(() => dtls.create.call({}, false, false, bytes("k"), bytes("i"), undefined, false, 0, 0, now));
out.createTwice = caught(() => dtls.create.call(server, false, false, bytes("k"), bytes("i"), undefined, false, 0, 0, now));
out.otherHostObject = caught(() => dtls.state.call(newHostObject("udp6")));
out.badWrite = caught(() => dtls.write.call(server, now, new Uint8Array(20000)));
dtls.close.call(client, now);
while ((d = dtls.takeOutgoing.call(client)) !== undefined) dtls.feed.call(server, now, d);
out.afterClose = [dtls.state.call(client), dtls.state.call(server), dtls.error.call(server)];

dtls.free.call(client);
dtls.free.call(client);
out.afterFree = [caught(() => dtls.state.call(client)), caught(() => dtls.feed.call(client, now, bytes("x"))), caught(() => dtls.takeOutgoing.call(client))];

const wrong = engine(false, bytes("wrong-key"), bytes("id1"), now);
const server2 = engine(true, bytes("secret123"), bytes("id1"), now);
for (let round = 0; round < 20; round++) {
  tick(wrong, now); tick(server2, now);
  let moved = false;
  while ((d = dtls.takeOutgoing.call(wrong)) !== undefined) { moved = true; dtls.setClientId.call(server2, clientId); dtls.feed.call(server2, now, d); }
  while ((d = dtls.takeOutgoing.call(server2)) !== undefined) { moved = true; dtls.feed.call(wrong, now, d); }
  if (!moved) break;
}
out.wrongPsk = [dtls.state.call(wrong), dtls.error.call(wrong), dtls.state.call(server2), dtls.error.call(server2)];
out.badCreate = caught(() => engine(false, new Uint8Array(0), bytes("id1"), now));
// Certificate mode: three PEM buffers and the verify flag through the same entry point.
const x509 = (server) => { const e = newHostObject("dtls"); dtls.create.call(e, server, true, bytes(CERT_PEM), bytes(KEY_PEM), bytes(CA_PEM), true, 0, 0, now); return e; };
const certClient = x509(false), certServer = x509(true);
for (let round = 0; round < 20; round++) {
  tick(certClient, now); tick(certServer, now);
  let moved = false;
  while ((d = dtls.takeOutgoing.call(certClient)) !== undefined) { moved = true; dtls.setClientId.call(certServer, clientId); dtls.feed.call(certServer, now, d); }
  while ((d = dtls.takeOutgoing.call(certServer)) !== undefined) { moved = true; dtls.feed.call(certClient, now, d); }
  if (!moved) break;
}
out.x509 = [dtls.state.call(certClient), dtls.state.call(certServer), dtls.cipherSuite.call(certClient)];
dtls.free.call(certClient);
dtls.free.call(certServer);

const r1 = new Uint8Array(32), r2 = new Uint8Array(48);
hwrandomFill(r1);
hwrandomFill(r2.subarray(8, 40));
out.random = [r1.some((b) => b !== 0), r1.join() !== r2.subarray(8, 40).join(), r2.subarray(0, 8).every((b) => b === 0) && r2.subarray(40).every((b) => b === 0)];
// server, server2 and wrong are left for the machine's teardown: the destructor frees them.
print(JSON.stringify(out));
