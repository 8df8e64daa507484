// Our xsmc glue on the real XS engine: linked with the XS objects that @agoric/xsnap builds on
// install, and driven from JS the way the TypeScript faces drive it, under valgrind.
//   - native/xs_dtls.c with the DTLS engine and Debian's mbedTLS (xs-glue/glue.js);
//   - native/udp6.c over a test double of lwIP and Moddable's message queue (xs-glue/udp6.js).
import test from "ava";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildXsGlueHarness, root, runGlueScript } from "./xs-glue/build-harness.js";

interface Observed {
  initial: [string, string, number];
  connected: [string, string];
  suite: [number, number];
  received: string | null;
  readEmpty: boolean;
  badReceiver: string;
  otherHostObject: string;
  badWrite: string;
  afterClose: [string, string, string];
  afterFree: [string, string, string];
  wrongPsk: [string, string, string, string];
  badCreate: string;
  createOnPlainObject: string;
  createTwice: string;
  random: [boolean, boolean, boolean];
  x509: [string, string, number];
  lateDeadline: number;
  outgoingKind: string;
  recordKind: string;
  fractionalTimeout: string;
  hugeTimeout: string;
}

interface Udp6Observed {
  livePcbs: number;
  eventsBeforePump: number;
  delivered: number;
  events: Array<[number, boolean]>;
  reads: Array<[number[], string, number]>;
  moreReads: Array<[number[], string, number]>;
  overflow: number[];
  afterFailedPost: number;
  afterRetry: [number, number[]];
  sent: string;
  badAddress: string;
  badPort: string;
  portTaken: string;
  badReceiver: string;
  otherHostObject: string;
  openOnPlainObject: string;
  openTwice: string;
  livePcbsAfterMisuse: number;
  pumpAfterClose: [number, number];
  afterClose: [string, string, number];
  leftOpen: number;
}

let observed: Observed | undefined;
let udp: Udp6Observed | undefined;
let livePcbsAfterTeardown: number | undefined;
let failure = "";

test.before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "coaps-xs-glue-"));
  try {
    const harness = await buildXsGlueHarness(dir);
    const pem = (f: string) => JSON.stringify(readFileSync(join(root, "native/credentials", f), "utf8"));
    const prelude = `const CERT_PEM = ${pem("leaf.pem")}, KEY_PEM = ${pem("leaf-key.pem")}, CA_PEM = ${pem("ca.pem")};\n`;
    const runScript = async (script: string) =>
      (await runGlueScript(harness, dir, script, prelude)).map((l) => JSON.parse(l) as unknown);
    const [dtlsRun, udpRun] = await Promise.all([runScript("glue.js"), runScript("udp6.js")]);
    observed = dtlsRun[0] as Observed;
    udp = udpRun[0] as Udp6Observed;
    livePcbsAfterTeardown = (udpRun[1] as { livePcbsAfterTeardown: number }).livePcbsAfterTeardown;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    failure = `${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A harness that failed to build or run (or that valgrind flagged) fails every test with its output.
const notRun = (): Error => new Error(`the XS harness did not run cleanly (valgrind included):\n${failure}`);
const seen = (): Observed => {
  if (!observed) throw notRun();
  return observed;
};

test("through the xsmc glue on XS, two engines complete a PSK handshake on TLS_PSK_WITH_AES_128_CCM_8 and pass a record", (t) => {
  const o = seen();
  t.deepEqual(o.initial, ["handshaking", "listening", 0]);
  t.deepEqual(o.connected, ["connected", "connected"]);
  t.deepEqual(o.suite, [0xc0a8, 0xc0a8]);
  t.is(o.received, "GET /test-resource");
  t.true(o.readEmpty);
});

test("create's now is the clock origin of the engine: a client created at t = 1000 s wants its first retransmission at 1008 s", (t) => {
  t.is(seen().lateDeadline, 1_008_000);
});

test("takeOutgoing and read hand back Uint8Arrays made by the glue, so dtls-native.ts can return the native call as it is", (t) => {
  const o = seen();
  t.is(o.outgoingKind, "[object Uint8Array]");
  t.is(o.recordKind, "[object Uint8Array]");
});

test("a handshake timeout that is not an integer in 0..2^32-1 is a RangeError, as in the N-API glue", (t) => {
  const o = seen();
  t.regex(o.fractionalTimeout, /^RangeError: .*invalid timeout$/);
  t.regex(o.hugeTimeout, /^RangeError: .*invalid timeout$/);
});

test("certificate mode through the glue (certificate, key and CA buffers, peer check on) connects on TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", (t) => {
  const o = seen();
  t.deepEqual(o.x509, ["connected", "connected", 0xc0ae]);
});

test("engine failures surface as errors named like DtlsErrorName: wrong PSK is BadRecordMac on both sides", (t) => {
  const o = seen();
  t.deepEqual(o.wrongPsk, ["failed", "BadRecordMac", "failed", "BadRecordMac"]);
  t.regex(o.badWrite, /^Error: .*InvalidInput$/);
  t.regex(o.badCreate, /^Error: .*InvalidInput$/);
  t.deepEqual(o.afterClose, ["closed", "closed", "PeerClosed"]);
});

test("the glue checks its receiver, free() is repeatable, and any call after free() throws 'closed'", (t) => {
  const o = seen();
  t.regex(o.badReceiver, /no host object/);
  t.regex(o.otherHostObject, /invalid/);
  t.regex(o.createOnPlainObject, /no host object/);
  t.regex(o.createTwice, /already created/);
  t.is(o.afterFree.length, 3);
  for (const r of o.afterFree) t.regex(r, /^Error: .*closed$/);
});

test("engines never freed by the script are released by the destructor at machine teardown, with no leak or memory error", (t) => {
  // valgrind ran the whole script with --error-exitcode: reaching here with observations
  // means no invalid access and no definitely lost block.
  t.truthy(seen());
});

test("hwrandom fills exactly the bytes of the view it is given, with fresh random bytes each call", (t) => {
  const o = seen();
  t.deepEqual(o.random, [true, true, true]);
});

const seenUdp = (): Udp6Observed => {
  if (!udp) throw notRun();
  return udp;
};

test("udp6 binds one dual-stack PCB and queues a burst of datagrams into one onReadable(count), never calling JS from lwIP", (t) => {
  const u = seenUdp();
  t.is(u.livePcbs, 1);
  t.is(u.eventsBeforePump, 0);
  t.is(u.delivered, 1);
  t.deepEqual(u.events, [[2, true]]);
});

test("udp6 reads give the bytes with IPv6 senders in all eight groups (spec 1.6) and IPv4 senders as dotted quads", (t) => {
  const u = seenUdp();
  t.deepEqual(u.reads, [[[1, 2, 3], "fdde:ad00:beef:0:0:ff:fe00:fc00", 5684], [[4], "192.168.1.20", 49152]]);
  t.deepEqual(u.moreReads, [[[5], "0:0:0:0:0:0:0:1", 1], [[6], "fe80:0:0:0:1a2b:3cff:fe4d:5e6f", 5684], [[7], "0.0.0.0", 0]]);
});

test("udp6 keeps at most its queue length, drops oversize datagrams, and recovers when a post to the VM fails", (t) => {
  const u = seenUdp();
  t.deepEqual(u.overflow, [1000, 1001, 1002, 1003]);
  t.is(u.afterFailedPost, 0);
  t.deepEqual(u.afterRetry, [1, [2, 3]]);
});

test("udp6 writes reach lwIP for IPv6 and IPv4 peers from any buffer kind, with link-local peers zoned to the Wi-Fi interface", (t) => {
  const u = seenUdp();
  t.is(u.sent, "fe80::1%3:5684:2,fdde:ad00:beef::ff:fe00:fc00%0:5684:3,10.0.0.7%0:61616:4");
  t.regex(u.badAddress, /^RangeError: .*invalid address$/);
  t.regex(u.badPort, /^RangeError: .*invalid port$/);
  t.regex(u.portTaken, /^Error: .*bind failed: port in use$/);
});

test("udp6 checks its receiver, close() is repeatable even with a delivery queued, and use after close throws 'closed'", (t) => {
  const u = seenUdp();
  t.regex(u.badReceiver, /no host object/);
  t.regex(u.otherHostObject, /invalid/);
  t.regex(u.openOnPlainObject, /no host object/);
  t.regex(u.openTwice, /already open/);
  t.is(u.livePcbsAfterMisuse, 1, "a refused constructor call opened no PCB");
  t.deepEqual(u.pumpAfterClose, [1, 0]);
  t.regex(u.afterClose[0], /^Error: .*closed$/);
  t.regex(u.afterClose[1], /^Error: .*closed$/);
  t.is(u.afterClose[2], 0);
});

test("a udp6 socket left open is removed from lwIP by the destructor at machine teardown", (t) => {
  const u = seenUdp();
  t.is(u.leftOpen, 1);
  t.is(livePcbsAfterTeardown, 0);
});
