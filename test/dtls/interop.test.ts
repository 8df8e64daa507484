// Our engine against real third-party DTLS peers over real loopback UDP: libcoap (OpenSSL
// and GnuTLS builds) and openssl s_server / s_client. Each peer is started by its test and
// stopped by PID in teardown. A CoAP GET gets its 2.05 through each pairing.
import test, { type ExecutionContext } from "ava";
import { UdpDtls } from "./helpers/udp-driver.js";
import { startPeer, freePort, gnutlsOpenThreadPriorityFile, sleep, type Peer } from "./helpers/peers.js";
import { coapGet, coapContentReply, coapParseHead } from "./helpers/coap-bytes.js";
import { psk, ascii, text } from "./helpers/pair.js";
import { x509 } from "./helpers/credentials.js";
import { alertsIn, clientHellosIn, handshakeTypesIn } from "../helpers/dtls-records.js";
import { performance } from "node:perf_hooks";
import type { DtlsCredentials } from "../../src/platform/dtls-binding.js";
import { waitForUdpPort } from "../helpers/udp-ready.js";

test.serial.afterEach.always(() => sleep(20));

const PSK = "secretPSK";
const IDENTITY = "Client_identity";
const PSK_HEX = Buffer.from(PSK).toString("hex");
const CRED_DIR = new URL("../../native/credentials/", import.meta.url).pathname;
const GREETING = "moddable-coaps says hi";

function peer(t: ExecutionContext, cmd: string, args: string[], env?: NodeJS.ProcessEnv): Peer {
  const p = startPeer(cmd, args, env);
  t.teardown(() => p.stop());
  return p;
}

/** Waits until the peer's process has bound `port` (coap-server serves CoAPS on its port + 1). */
const bound = (p: Peer, port: number) => waitForUdpPort(port, { pid: p.proc.pid!, exited: () => p.proc.exitCode !== null, withinMs: 5000 });

function ours(t: ExecutionContext, u: UdpDtls): UdpDtls {
  t.teardown(() => u.close());
  return u;
}

/** Our listening server answering every CoAP request with 2.05 GREETING. */
async function coapServer(t: ExecutionContext, creds: DtlsCredentials): Promise<UdpDtls> {
  return ours(t, await UdpDtls.listen(0, creds, (req) => coapContentReply(req, ascii(GREETING))));
}

async function getTime(t: ExecutionContext, port: number, creds: DtlsCredentials, suite: number) {
  const client = ours(t, await UdpDtls.connect("127.0.0.1", port, creds));
  t.is(client.session.cipherSuite, suite, `negotiated 0x${client.session.cipherSuite.toString(16)}`);
  const token = Uint8Array.of(0xa1, 0xb2, 0xc3, 0xd4);
  const res = coapParseHead(await client.request(coapGet(0x2468, token, ["time"])));
  t.is(res.code, 0x45, "2.05 Content");
  t.is(res.mid, 0x2468);
  t.deepEqual([...res.token], [...token]);
  t.regex(text(res.payload), /\d\d:\d\d:\d\d/);
  client.close();
}

test.serial("our PSK client gets 2.05 from coap-server-openssl with TLS_PSK_WITH_AES_128_CCM_8", async (t) => {
  const p = await freePort(true);
  const server = peer(t, "coap-server-openssl", ["-A", "127.0.0.1", "-p", String(p), "-k", PSK]);
  await bound(server, p + 1);
  await getTime(t, p + 1, psk(PSK, IDENTITY), 0xc0a8);
});

test.serial("our PSK client connecting at clock t = 20 s and t = 1000 s sends coap-server-openssl one ClientHello, then one with its cookie", async (t) => {
  const p = await freePort(true);
  peer(t, "coap-server-openssl", ["-A", "127.0.0.1", "-p", String(p), "-k", PSK]);
  await sleep(200);
  for (const startMs of [20_000, 1_000_000]) {
    const origin = performance.now() - startMs;
    const cookies: number[] = [];
    const client = ours(t, await UdpDtls.connect("127.0.0.1", p + 1, psk(PSK, IDENTITY), {
      clock: { now: () => performance.now() - origin },
      onSend: (d) => { for (const h of clientHellosIn(d)) cookies.push(h.cookieLength); },
    }));
    t.is(client.session.cipherSuite, 0xc0a8);
    t.is(cookies.length, 2, `ClientHellos sent (cookie lengths ${cookies.join(", ")})`);
    t.is(cookies[0], 0);
    t.true(cookies[1]! > 0);
    client.close();
  }
});

test.serial("our certificate client gets 2.05 from coap-server-openssl with TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", async (t) => {
  const p = await freePort(true);
  const server = peer(t, "coap-server-openssl", ["-A", "127.0.0.1", "-p", String(p),
    "-c", `${CRED_DIR}leaf.pem`, "-j", `${CRED_DIR}leaf-key.pem`, "-C", `${CRED_DIR}ca.pem`]);
  await bound(server, p + 1);
  await getTime(t, p + 1, x509(true), 0xc0ae);
});

test.serial("coap-client-openssl gets 2.05 from our PSK server, which reports 0xC0A8", async (t) => {
  const server = await coapServer(t, psk(PSK, IDENTITY));
  const c = peer(t, "coap-client-openssl", ["-m", "get", "-k", PSK, "-u", IDENTITY, `coaps://127.0.0.1:${server.port}/hello`]);
  await c.waitFor(GREETING);
  t.is(server.session.cipherSuite, 0xc0a8);
  t.deepEqual(server.received.map((r) => coapParseHead(r).code), [0x01]);
});

test.serial("our PSK client gets 2.05 from coap-server-gnutls restricted to OpenThread's suites", async (t) => {
  const p = await freePort(true);
  const server = peer(t, "coap-server-gnutls", ["-A", "127.0.0.1", "-p", String(p), "-k", PSK],
    { GNUTLS_SYSTEM_PRIORITY_FILE: gnutlsOpenThreadPriorityFile() });
  await bound(server, p + 1);
  await getTime(t, p + 1, psk(PSK, IDENTITY), 0xc0a8);
});

test.serial("coap-client-gnutls restricted to OpenThread's suites gets 2.05 from our PSK server", async (t) => {
  const server = await coapServer(t, psk(PSK, IDENTITY));
  const c = peer(t, "coap-client-gnutls", ["-m", "get", "-k", PSK, "-u", IDENTITY, `coaps://127.0.0.1:${server.port}/hello`],
    { GNUTLS_SYSTEM_PRIORITY_FILE: gnutlsOpenThreadPriorityFile() });
  await c.waitFor(GREETING);
  t.is(server.session.cipherSuite, 0xc0a8);
});

test.serial("coap-client-gnutls with certificates gets 2.05 from our verifying certificate server (0xC0AE)", async (t) => {
  const server = await coapServer(t, x509(true));
  const c = peer(t, "coap-client-gnutls", ["-m", "get", "-c", `${CRED_DIR}leaf.pem`, "-j", `${CRED_DIR}leaf-key.pem`,
    "-C", `${CRED_DIR}ca.pem`, `coaps://127.0.0.1:${server.port}/hello`],
    { GNUTLS_SYSTEM_PRIORITY_FILE: gnutlsOpenThreadPriorityFile() });
  await c.waitFor(GREETING);
  t.is(server.session.cipherSuite, 0xc0ae);
});

// openssl s_server / s_client speak DTLS only: the CoAP bytes travel through their stdin and
// stdout. s_server prints what it receives and sends what it reads from stdin.
async function viaSServer(t: ExecutionContext, args: string[], creds: DtlsCredentials, suite: number) {
  const p = await freePort();
  const s = peer(t, "openssl", ["s_server", "-dtls1_2", "-listen", "-accept", `127.0.0.1:${p}`, ...args]);
  await s.waitFor("ACCEPT");
  const client = ours(t, await UdpDtls.connect("127.0.0.1", p, creds));
  t.is(client.session.cipherSuite, suite);
  const token = Uint8Array.of(0x11, 0x22, 0x33, 0x44);
  const req = coapGet(0x0bee, token, ["test"]);
  client.session.send(req);
  await s.waitFor(Buffer.from(req).toString("latin1"));
  s.write(coapContentReply(req, ascii(`${GREETING}\n`))); // one stdin line = one record
  await client.until(() => client.received.length > 0, 5000);
  const res = coapParseHead(client.received[0]!);
  t.is(res.code, 0x45);
  t.is(res.mid, 0x0bee);
  t.is(text(res.payload), `${GREETING}\n`);
}

async function viaSClient(t: ExecutionContext, args: string[], creds: DtlsCredentials, suite: number) {
  const server = await coapServer(t, creds);
  const c = peer(t, "openssl", ["s_client", "-dtls1_2", "-nocommands", "-connect", `127.0.0.1:${server.port}`, ...args]);
  await server.until(() => server.session.state === "connected", 10_000);
  t.is(server.session.cipherSuite, suite);
  await c.waitFor("Verify return code");
  // A GET with a payload so the stdin line's newline lands in the payload, not in an option.
  c.write(coapGet(0x0abc, Uint8Array.of(9, 8, 7, 6), ["hello"], ascii("x\n")));
  await c.waitFor(GREETING);
  t.is(coapParseHead(server.received[0]!).code, 0x01);
}

test.serial("our PSK client exchanges CoAP with openssl s_server -dtls1_2 -cipher PSK-AES128-CCM8", async (t) => {
  await viaSServer(t, ["-nocert", "-psk", PSK_HEX, "-cipher", "PSK-AES128-CCM8"], psk(PSK, IDENTITY), 0xc0a8);
});

test.serial("openssl s_client -dtls1_2 -cipher PSK-AES128-CCM8 gets 2.05 from our PSK server", async (t) => {
  await viaSClient(t, ["-psk", PSK_HEX, "-psk_identity", IDENTITY, "-cipher", "PSK-AES128-CCM8"], psk(PSK, IDENTITY), 0xc0a8);
});

test.serial("our verifying certificate client exchanges CoAP with openssl s_server -cipher ECDHE-ECDSA-AES128-CCM8", async (t) => {
  await viaSServer(t, ["-cert", `${CRED_DIR}leaf.pem`, "-key", `${CRED_DIR}leaf-key.pem`, "-CAfile", `${CRED_DIR}ca.pem`,
    "-Verify", "1", "-cipher", "ECDHE-ECDSA-AES128-CCM8"], x509(true), 0xc0ae);
});

test.serial("openssl s_client -cipher ECDHE-ECDSA-AES128-CCM8 with a certificate gets 2.05 from our verifying server", async (t) => {
  await viaSClient(t, ["-cert", `${CRED_DIR}leaf.pem`, "-key", `${CRED_DIR}leaf-key.pem`, "-CAfile", `${CRED_DIR}ca.pem`,
    "-verify_return_error", "-cipher", "ECDHE-ECDSA-AES128-CCM8"], x509(true), 0xc0ae);
});

test.serial("coap-client-openssl offering only PSK suites answers our certificate server's HelloVerifyRequest, and the cookie-bearing hello fails it with HandshakeFailure", async (t) => {
  const sent: Uint8Array[] = [];
  const server = ours(t, await UdpDtls.listen(0, x509(true), undefined, { onSend: (d) => sent.push(d) }));
  peer(t, "coap-client-openssl", ["-m", "get", "-k", PSK, "-u", IDENTITY, `coaps://127.0.0.1:${server.port}/hello`]);
  await server.until(() => server.closed !== undefined, 10_000).catch(() => {});
  t.is(server.closed?.error, "HandshakeFailure");
  t.is(sent.length, 2);
  t.deepEqual(handshakeTypesIn(sent[0]!), [3], "a HelloVerifyRequest first (written by the engine: mbedTLS rejects the suites before its cookie check)");
  t.deepEqual(alertsIn(sent[1]!), [[2, 40]], "then a fatal handshake_failure");
});

test.serial("coap-client-openssl with the wrong PSK gets nothing from our server, which fails with BadRecordMac", async (t) => {
  const server = await coapServer(t, psk(PSK, IDENTITY));
  const c = peer(t, "coap-client-openssl", ["-m", "get", "-k", "wrongPSK", "-u", IDENTITY, `coaps://127.0.0.1:${server.port}/hello`]);
  await server.until(() => server.closed !== undefined, 10_000).catch(() => {});
  t.is(server.closed?.error, "BadRecordMac");
  t.false(c.stdout().includes(GREETING));
  t.deepEqual(server.received, []);
});
