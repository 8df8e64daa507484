// libcoap clients GET a simulated node's resource over real loopback DTLS (PSK and x509, CCM-8).
import test from "ava";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILTIN_CA_PEM, BUILTIN_CERT_PEM, BUILTIN_KEY_PEM } from "../../src/dtls/builtin-x509.js";
import { command, finished, gnutlsOnlyCcm8, realNode, startPeer } from "./peers.js";

async function serverNode() {
  const node = await realNode();
  for (const line of ["coaps psk secretPSK Client_identity", "coaps start", "coaps resource test", "coaps set hello"]) {
    await command(node.console, line);
  }
  return node;
}

test.serial("coap-client-openssl (PSK) gets the node's resource content; the node prints request and response lines", async (t) => {
  const node = await serverNode();
  const peer = startPeer("coap-client-openssl", ["-m", "get", "-k", "secretPSK", "-u", "Client_identity", "-B", "10", `coaps://[::1]:${node.port}/test`]);
  try {
    const out = await finished(peer, 15_000);
    t.regex(out, /hello/, `client: ${out}\nnode: ${node.console.transcript()}`); // coap-client exits 0 even on failure: read its output
    await node.console.waitFor("coaps request from 0:0:0:0:0:0:0:1 GET\r\ncoaps response sent\r\n", 2000);
    t.regex(node.console.transcript(), /> coaps connected\r\ncoaps request from/);
  } finally {
    peer.stop();
    node.close();
  }
});

test.serial("coap-client-gnutls forced to TLS_PSK_WITH_AES_128_CCM_8 gets the node's resource over IPv4", async (t) => {
  const node = await serverNode();
  // -v 8 makes GnuTLS log the suites it keeps for its ClientHello, so the override is visible.
  const peer = startPeer("coap-client-gnutls", ["-v", "8", "-m", "get", "-k", "secretPSK", "-u", "Client_identity", "-B", "10", `coaps://127.0.0.1:${node.port}/test`],
    { GNUTLS_SYSTEM_PRIORITY_FILE: gnutlsOnlyCcm8() });
  try {
    const out = await finished(peer, 15_000);
    t.regex(out, /t:ACK c:2\.05 .*:: 'hello'/, `client: ${out}\nnode: ${node.console.transcript()}`);
    await node.console.waitFor("coaps request from 127.0.0.1 GET\r\ncoaps response sent\r\n", 2000);
    // The override took effect: the client offered TLS_PSK_WITH_AES_128_CCM_8 alone ...
    const offered = new Set([...out.matchAll(/Keeping ciphersuite ([0-9a-f]{2})\.([0-9a-f]{2})/g)].map((m) => `${m[1]}${m[2]}`));
    t.deepEqual([...offered], ["c0a8"], "suites the client offered");
    // ... and the node's DTLS session negotiated it.
    t.deepEqual(node.suites, [0xc0a8]);
  } finally {
    peer.stop();
    node.close();
  }
});

test.serial("a libcoap client with the wrong PSK gets nothing, and the node prints only coaps disconnected", async (t) => {
  const node = await serverNode();
  const peer = startPeer("coap-client-openssl", ["-m", "get", "-k", "wrongPSK", "-u", "Client_identity", "-B", "3", `coaps://[::1]:${node.port}/test`]);
  try {
    const out = await finished(peer, 15_000);
    t.notRegex(out, /hello/);
    await node.console.waitFor("coaps disconnected\r\n", 5000);
    t.notRegex(node.console.transcript(), /coaps (connected|request)/);
  } finally {
    peer.stop();
    node.close();
  }
});

test.serial("coap-client-openssl with the built-in x509 credentials gets the resource of a node in certificate mode", async (t) => {
  const node = await realNode();
  for (const line of ["coaps x509", "coaps start", "coaps resource test", "coaps set cert"]) await command(node.console, line);
  const dir = mkdtempSync(join(tmpdir(), "coaps-x509-"));
  const files = { cert: join(dir, "cert.pem"), key: join(dir, "key.pem"), ca: join(dir, "ca.pem") };
  writeFileSync(files.cert, BUILTIN_CERT_PEM);
  writeFileSync(files.key, BUILTIN_KEY_PEM);
  writeFileSync(files.ca, BUILTIN_CA_PEM);
  const peer = startPeer("coap-client-openssl", ["-m", "get", "-c", files.cert, "-j", files.key, "-C", files.ca, "-B", "10", `coaps://127.0.0.1:${node.port}/test`]);
  try {
    const out = await finished(peer, 15_000);
    t.regex(out, /cert/, `client: ${out}\nnode: ${node.console.transcript()}`);
    t.is(out.trim(), "cert", "the client printed the resource content and nothing else");
    await node.console.waitFor("coaps request from 127.0.0.1 GET\r\ncoaps response sent\r\n", 2000);
    t.deepEqual(node.suites, [0xc0ae], "certificate mode negotiated TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8");
  } finally {
    peer.stop();
    node.close();
  }
});
