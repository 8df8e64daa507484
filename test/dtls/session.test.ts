// TimedDtlsSession over the C engine, ours <-> ours, on virtual time (no real timers, no sockets).
import test from "ava";
import { TimedDtlsSession } from "../../src/dtls/timed-session.js";
import { napiDtlsBinding } from "../../host-sim/dtls-napi.js";
import { VirtualTime } from "./helpers/virtual-time.js";
import { makePair, psk, ascii, text, SERVER_ADDR, CLIENT_ADDR } from "./helpers/pair.js";
import { x509 } from "./helpers/credentials.js";

test("a PSK client and server connect with TLS_PSK_WITH_AES_128_CCM_8 and exchange data both ways", (t) => {
  const time = new VirtualTime();
  const { client, server } = makePair(time, psk("secretPSK"), psk("secretPSK"));
  time.advance(1000);
  t.is(client.session.state, "connected");
  t.is(server.session.state, "connected");
  t.is(client.session.cipherSuite, 0xc0a8);
  t.is(server.session.cipherSuite, 0xc0a8);
  t.deepEqual(server.accepted, [CLIENT_ADDR]);
  client.session.send(ascii("ping from client"));
  server.session.send(ascii("pong from server"));
  time.advance(100);
  t.deepEqual(server.data.map(text), ["ping from client"]);
  t.deepEqual(client.data.map(text), ["pong from server"]);
});

test("closing a connected client sends close_notify and the server reports the peer closed", (t) => {
  const time = new VirtualTime();
  const { client, server } = makePair(time, psk("secretPSK"), psk("secretPSK"));
  time.advance(1000);
  client.session.close();
  time.advance(100);
  t.deepEqual(client.closed, { reason: "local", error: "None" });
  t.deepEqual(server.closed, { reason: "peer-closed", error: "PeerClosed" });
  t.is(server.session.state, "closed");
  t.throws(() => client.session.send(ascii("late")), { message: /not connected/ });
});

test("a server-side close reaches the client as peer-closed", (t) => {
  const time = new VirtualTime();
  const { client, server } = makePair(time, x509(true), x509(true));
  time.advance(1000);
  server.session.close();
  time.advance(100);
  t.deepEqual(server.closed, { reason: "local", error: "None" });
  t.deepEqual(client.closed, { reason: "peer-closed", error: "PeerClosed" });
});

test("certificate mode connects with TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 when both sides verify", (t) => {
  const time = new VirtualTime();
  const { client, server } = makePair(time, x509(true), x509(true));
  time.advance(1000);
  t.is(client.session.state, "connected");
  t.is(server.session.state, "connected");
  t.is(client.session.cipherSuite, 0xc0ae);
  server.session.send(ascii("x509 data"));
  client.session.send(ascii("x509 reply"));
  time.advance(100);
  t.deepEqual(client.data.map(text), ["x509 data"]);
  t.deepEqual(server.data.map(text), ["x509 reply"]);
});

test("a wrong PSK fails on both sides with BadRecordMac and no application data passes", (t) => {
  const time = new VirtualTime();
  const { client, server } = makePair(time, psk("secretPSK"), psk("otherPSK"));
  let wrote = false;
  time.advance(1000, () => {
    if (!wrote && client.session.state === "connected") { client.session.send(ascii("secret")); wrote = true; }
    return false;
  });
  t.deepEqual(server.closed, { reason: "bad-mac", error: "BadRecordMac" });
  t.deepEqual(client.closed, { reason: "bad-mac", error: "BadRecordMac" });
  t.is(client.connected + server.connected, 0);
  t.deepEqual(server.data, []);
  t.deepEqual(client.data, []);
});

test("a PSK client and a certificate server never connect: both see HandshakeFailure", (t) => {
  const time = new VirtualTime();
  const { client, server } = makePair(time, psk("secretPSK"), x509(true));
  time.advance(1000);
  t.deepEqual(server.closed, { reason: "handshake-failure", error: "HandshakeFailure" });
  t.deepEqual(client.closed, { reason: "handshake-failure", error: "HandshakeFailure" });
});

test("a certificate client and a PSK server never connect either", (t) => {
  const time = new VirtualTime();
  const { client, server } = makePair(time, x509(false), psk("secretPSK"));
  time.advance(1000);
  t.is(server.closed?.error, "HandshakeFailure");
  t.is(client.closed?.error, "HandshakeFailure");
  t.is(client.connected + server.connected, 0);
});

test("a client with the check on rejects a server certificate from another CA", (t) => {
  const time = new VirtualTime();
  const { client, server } = makePair(time, x509(true), x509(false, "rogue"));
  time.advance(1000);
  t.deepEqual(client.closed, { reason: "certificate-rejected", error: "CertificateRejected" });
  t.deepEqual(server.closed, { reason: "certificate-rejected", error: "CertificateRejected" });
  t.is(client.connected, 0);
});

test("a server with the check on rejects a client certificate from another CA", (t) => {
  const time = new VirtualTime();
  const { client, server } = makePair(time, x509(false, "rogue"), x509(true));
  time.advance(1000);
  t.is(server.closed?.error, "CertificateRejected");
  t.is(client.closed?.error, "CertificateRejected");
  t.is(server.connected, 0);
});

test("with the check off on both sides a certificate from another CA is accepted", (t) => {
  const time = new VirtualTime();
  const { client, server } = makePair(time, x509(false), x509(false, "rogue"));
  time.advance(1000);
  t.is(client.session.state, "connected");
  t.is(server.session.state, "connected");
  t.is(client.session.cipherSuite, 0xc0ae);
});

test("an unanswered client sends flights at 0, 8, 24 and 56 s and fails with HandshakeTimeout at 116 s", (t) => {
  const time = new VirtualTime(0);
  const sentAt: number[] = [];
  let closedAt = -1;
  let reason = "";
  const s = new TimedDtlsSession<string>({
    binding: napiDtlsBinding, clock: time, timers: time, role: "client", credentials: psk("secretPSK"),
    peer: SERVER_ADDR,
    send: () => sentAt.push(time.now()),
    events: { onClosed: (r) => { closedAt = time.now(); reason = r; } },
  });
  time.advance(200_000);
  t.deepEqual(sentAt, [0, 8000, 24000, 56000]);
  t.is(closedAt, 116_000);
  t.is(reason, "handshake-timeout");
  t.is(s.error, "HandshakeTimeout");
  t.is(time.pending(), 0, "no timer left armed after the failure");
});

test("a connected session arms no timer, so an idle link costs nothing", (t) => {
  const time = new VirtualTime();
  const { client, server } = makePair(time, psk("secretPSK"), psk("secretPSK"));
  time.advance(1000);
  t.is(client.session.state, "connected");
  t.is(server.session.state, "connected");
  t.is(time.pending(), 0);
});

test("the key log line names the client random and the master secret", (t) => {
  const time = new VirtualTime();
  const { client, server } = makePair(time, psk("secretPSK"), psk("secretPSK"));
  time.advance(1000);
  const line = client.session.keyLog();
  t.regex(line ?? "", /^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n$/);
  t.is(server.session.keyLog(), line);
});

test("a session never has more than one timer armed, through a lossy handshake and its failure", (t) => {
  const time = new VirtualTime(0);
  let armed = 0;
  let maxArmed = 0;
  const live = new Set<unknown>();
  const timers = {
    set: (cb: () => void, ms: number) => {
      const h = time.set(() => { live.delete(h); armed = live.size; cb(); }, ms);
      live.add(h);
      armed = live.size;
      maxArmed = Math.max(maxArmed, armed);
      return h;
    },
    clear: (h: ReturnType<typeof time.set>) => { live.delete(h); armed = live.size; time.clear(h); },
  };
  let n = 0;
  const s = new TimedDtlsSession<string>({
    binding: napiDtlsBinding, clock: time, timers, role: "client", credentials: x509(true), peer: SERVER_ADDR,
    send: () => { n++; },
  });
  time.advance(200_000);
  t.is(s.state, "failed");
  t.is(n, 4);
  t.is(maxArmed, 1);
  t.is(armed, 0);
});

test("a send function that throws loses that datagram only: the handshake retransmits and completes", (t) => {
  const time = new VirtualTime(0);
  let refuse = 1;
  let connectedAt = -1;
  let server: TimedDtlsSession<string> | undefined;
  const client = new TimedDtlsSession<string>({
    binding: napiDtlsBinding, clock: time, timers: time, role: "client", credentials: psk("secretPSK"), peer: SERVER_ADDR,
    events: { onConnected: () => { connectedAt = time.now(); } },
    send: (d) => {
      if (refuse-- > 0) throw new Error("UDP send failed");
      time.set(() => server?.receive(d, CLIENT_ADDR, Uint8Array.of(1, 2, 3)), 1);
    },
  });
  server = new TimedDtlsSession<string>({
    binding: napiDtlsBinding, clock: time, timers: time, role: "server", credentials: psk("secretPSK"),
    send: (d) => { time.set(() => client.receive(d, SERVER_ADDR), 1); },
  });
  time.advance(20_000);
  t.is(client.state, "connected");
  t.is(server.state, "connected");
  t.true(connectedAt >= 8000 && connectedAt < 8100, `connected at ${connectedAt} ms: the 8 s retransmission replaced the lost ClientHello`);
});
