// Observe (RFC 7641) and /.well-known/core (RFC 6690) between a simulated node and libcoap over
// real loopback DTLS (PSK, CCM-8): coap-client-openssl observes the node's resource while the
// test types `coaps set`, reads its /.well-known/core, and the node observes coap-server-openssl's
// observable /time with `coaps observe` and ends it with `coaps cancel`.
import test from "ava";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { command, connectToCoapsServer, finished, realNode, startCoapsServer, startPeer, hexOf } from "./peers.js";

const LOOPBACK = "0:0:0:0:0:0:0:1";
const fromHex = (hex: string): string => Buffer.from(hex, "hex").toString("latin1");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serverNode() {
  const node = await realNode();
  for (const line of ["coaps psk secret123 id1", "coaps start", "coaps resource test-resource", "coaps set first"]) await command(node.console, line);
  return node;
}

test.serial("coap-client-openssl -s observes the node's resource and prints each coaps set as a notification", async (t) => {
  const node = await serverNode();
  const peer = startPeer("coap-client-openssl", ["-s", "6", "-m", "get", "-k", "secret123", "-u", "id1", "-B", "10", `coaps://[::1]:${node.port}/test-resource`]);
  try {
    await node.console.waitFor(`coaps request from ${LOOPBACK} GET OBS=0\r\nSubscribing client\r\ncoaps response sent\r\n`, 5000);
    for (const value of ["second", "third", "fourth"]) {
      await sleep(500);
      await command(node.console, `coaps set ${value}`);
    }
    const out = await finished(peer, 15_000);
    // coap-client prints each payload as it comes, with no separator.
    t.is(out.trim(), "firstsecondthirdfourth", `client: ${out}\nnode: ${node.console.transcript()}`);
    const transcript = node.console.transcript();
    t.is(transcript.split(`sending coaps notification to ${LOOPBACK}\r\n`).length - 1, 3, transcript);
    // When -s runs out, libcoap deregisters (GET Observe=1) or ends the session: either way the node drops it.
    await node.console.waitFor(`Removed subscriber ${LOOPBACK}\r\n`, 5000);
    await command(node.console, "coaps set fifth");
    t.is(node.console.transcript().split("sending coaps notification").length - 1, 3, "nobody left to notify");
  } finally {
    peer.stop();
    node.close();
  }
});

test.serial("coap-client-openssl reads the node's /.well-known/core: </test-resource>;obs", async (t) => {
  const node = await serverNode();
  const peer = startPeer("coap-client-openssl", ["-m", "get", "-k", "secret123", "-u", "id1", "-B", "10", `coaps://[::1]:${node.port}/.well-known/core`]);
  try {
    const out = await finished(peer, 15_000);
    t.is(out.trim(), "</test-resource>;obs", `client: ${out}\nnode: ${node.console.transcript()}`);
    t.notRegex(node.console.transcript(), /coaps request from/, "answered by the CoAP layer, like a 4.04: nothing printed");
  } finally {
    peer.stop();
    node.close();
  }
});

test.serial("coap-client-openssl's /.well-known/core?<filter> queries (RFC 6690 §4.1): a match lists the link, none an empty list", async (t) => {
  const node = await serverNode();
  try {
    const get = async (query: string): Promise<string> => {
      const peer = startPeer("coap-client-openssl", ["-m", "get", "-k", "secret123", "-u", "id1", "-B", "10", `coaps://[::1]:${node.port}/.well-known/core?${query}`]);
      try {
        return (await finished(peer, 15_000)).trim();
      } finally {
        peer.stop();
      }
    };
    t.is(await get("href=/test*"), "</test-resource>;obs");
    t.is(await get("obs"), "</test-resource>;obs");
    t.is(await get("rt=temperature"), "", "2.05 with nothing listed");
    t.notRegex(node.console.transcript(), /coaps request from/);
  } finally {
    node.close();
  }
});

test.serial("a node observes coap-server-openssl's /time with coaps observe, then coaps cancel ends it", async (t) => {
  const server = await startCoapsServer();
  const node = await realNode();
  try {
    await connectToCoapsServer(node.console, server.port);

    await command(node.console, "coaps observe time con");
    const notification = new RegExp(`coaps response from ${LOOPBACK} OBS=(\\d+) with payload: ([0-9a-f]+)\r\n`, "g");
    const deadline = Date.now() + 8000;
    while ([...node.console.transcript().matchAll(notification)].length < 3 && Date.now() < deadline) await sleep(100);
    const seen = [...node.console.transcript().matchAll(notification)];
    t.true(seen.length >= 3, node.console.transcript());
    const sequence = seen.map((m) => Number(m[1]));
    t.deepEqual(sequence, [...sequence].sort((a, b) => a - b), "Observe values increase");
    for (const m of seen) t.regex(fromHex(m[2]!), /^[A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d$/);

    await command(node.console, "coaps cancel time");
    await node.console.waitFor(new RegExp(`coaps response from ${LOOPBACK} with payload: [0-9a-f]+\r\n`), 5000);
    const count = [...node.console.transcript().matchAll(notification)].length;
    await sleep(2500);
    t.is([...node.console.transcript().matchAll(notification)].length, count, "no notification after the cancel");
    await command(node.console, "coaps cancel");
    t.regex(node.console.transcript(), /coaps cancel\r\nError 13: InvalidState\r\n/);

    await command(node.console, "coaps get nothere con");
    await node.console.waitFor(`coaps response from ${LOOPBACK} with payload: ${hexOf("Not Found")}\r\n`, 5000);
  } finally {
    server.stop();
    node.close();
  }
});

test.serial("a node observes coap-server-openssl's 1.5 KB /example_data: block 0 comes as the notification, the rest by GET, printed whole", async (t) => {
  const server = await startCoapsServer();
  const node = await realNode();
  const dir = mkdtempSync(join(tmpdir(), "obs-blocks-"));
  // Printable bodies: coap-client reads the file as it is.
  const body = (n: number, seed: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(0x41 + ((i * 7 + seed) % 26))).join("");
  const put = async (text: string) => {
    const file = join(dir, "body.txt");
    writeFileSync(file, text, "latin1");
    const peer = startPeer("coap-client-openssl", ["-m", "put", "-k", "secretPSK", "-u", "id", "-b", "512", "-f", file, `coaps://[::1]:${server.port}/example_data`]);
    await finished(peer, 10_000);
  };
  try {
    const first = body(1500, 1), second = body(1300, 5);
    await put(first);
    await connectToCoapsServer(node.console, server.port);
    await command(node.console, "coaps observe example_data con");
    const line = (text: string) => new RegExp(`coaps response from ${LOOPBACK} OBS=\\d+ with payload: ${Buffer.from(text, "latin1").toString("hex")}\r\n`);
    await node.console.waitFor(line(first), 8000);
    await put(second);
    await node.console.waitFor(line(second), 8000);
    t.notRegex(node.console.transcript(), /received block/, "the fetch prints no block lines");
    t.notRegex(node.console.transcript(), /coaps receive response error/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    server.stop();
    node.close();
  }
});
