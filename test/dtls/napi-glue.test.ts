// The N-API glue (native/napi_dtls.c) on its own: what it owes JS beyond the engine.
import test from "ava";
import fc from "fast-check";
import v8 from "node:v8";
import vm from "node:vm";
import { Worker } from "node:worker_threads";
import { createRequire } from "node:module";
import { ADDON_PATH, type NapiAddon, type NapiHandle } from "../../host-sim/dtls-napi.js";

// DTLS_NAPI_ADDON may name another build of the addon (to check a regression against it).
const ADDON = process.env.DTLS_NAPI_ADDON ?? ADDON_PATH;

// Each worker connects its own PSK pair and pushes records through it, checking every record
// it reads back carries its own marker byte. A buffer shared by the threads shows up as lost
// or foreign records.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const a = require(workerData.addon);
const key = new Uint8Array([115, 101, 99, 114, 101, 116]), id = new Uint8Array([105, 100]);
const cl = a.create(0, 0, key, id, null, false, 8000, 60000, 0);
const sv = a.create(1, 0, key, id, null, false, 8000, 60000, 0);
const cid = new Uint8Array([1, 2, 3, 4, 5, 6]);
const xfer = (x, y, srv) => { let d; while ((d = a.takeOutgoing(x))) { if (srv) a.setClientId(y, cid); a.feed(y, 0, d); } };
for (let i = 0; i < 10; i++) { a.onTimer(cl, 0); xfer(cl, sv, true); xfer(sv, cl, false); }
const connected = a.status(cl) >> 4 === 2 && a.status(sv) >> 4 === 2;
const mark = workerData.mark;
const payload = new Uint8Array(1000).fill(mark);
let lost = 0, foreign = 0;
for (let i = 0; connected && i < workerData.records; i++) {
  a.write(cl, 0, payload);
  const d = a.takeOutgoing(cl);
  if (d === undefined) { lost++; continue; }
  a.feed(sv, 0, d);
  const r = a.read(sv);
  if (r === undefined || r.length !== payload.length) { lost++; continue; }
  if (r.some((b) => b !== mark)) foreign++;
}
a.free(cl); a.free(sv);
parentPort.postMessage({ connected, lost, foreign });
`;

interface Outcome { connected: boolean; lost: number; foreign: number }

test("engines in concurrent worker threads never lose a record or read another thread's plaintext", async (t) => {
  const runs = [1, 2, 3, 4].map((mark) => new Promise<Outcome>((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: { addon: ADDON, mark, records: 20000 } });
    w.once("message", (m: Outcome) => { resolve(m); void w.terminate(); });
    w.once("error", reject);
  }));
  const outcomes = await Promise.all(runs);
  t.deepEqual(outcomes, outcomes.map(() => ({ connected: true, lost: 0, foreign: 0 })));
});

test("create refuses a negative, fractional or larger-than-32-bit handshake timeout with a RangeError instead of wrapping it", (t) => {
  const a = createRequire(import.meta.url)(ADDON) as NapiAddon;
  const key = new Uint8Array([1, 2, 3]), id = new Uint8Array([4]);
  for (const [min, max] of [[-1, 60000], [1000, -5], [2 ** 32 + 1000, 2 ** 32 + 2000], [1.5, 60000], [Number.NaN, 60000], [1000, Infinity]] as const) {
    t.throws(() => a.create(0, 0, key, id, null, false, min, max, 0), { instanceOf: RangeError, message: "invalid timeout" }, `${min}, ${max}`);
  }
  const ok = a.create(0, 0, key, id, null, false, 2 ** 32 - 1, 2 ** 32 - 1, 0);
  t.not(typeof ok, "number");
  a.free(ok);
});

test("create throws Error(<DtlsErrorName>) as the xsmc glue does: an empty PSK, an identity over 32 bytes, a PEM that is not one", (t) => {
  const a = createRequire(import.meta.url)(ADDON) as NapiAddon;
  const key = new Uint8Array([1, 2, 3]), id = new Uint8Array([4]);
  const refused = [
    () => a.create(0, 0, new Uint8Array(0), id, null, false, 0, 0, 0),
    () => a.create(1, 0, key, new Uint8Array(33), null, false, 0, 0, 0),
    () => a.create(0, 1, key, key, key, true, 0, 0, 0),
    () => a.create(0, 0, key, id, null, false, 9000, 8000, 0),
  ];
  for (const create of refused) t.throws(create, { instanceOf: Error, message: "InvalidInput" });
  t.throws(() => a.create(0, 0, key, id, null, false, 0, 0, Number.NaN), { instanceOf: TypeError });
});

test("a client engine created at a late now has its first retransmission 8 s after that now, not after 0", (t) => {
  const a = createRequire(import.meta.url)(ADDON) as NapiAddon;
  const key = new Uint8Array([1, 2, 3]), id = new Uint8Array([4]);
  for (const now of [0, 20_000, 1_000_000]) {
    const e = a.create(0, 0, key, id, null, false, 8000, 60000, now);
    t.is(a.nextDeadline(e), now + 8000, `created at ${now}`);
    a.free(e);
  }
});

test("the board create() is given always shows the engine as the addon's own calls report it: status, next deadline, pending datagram and record", (t) => {
  const a = createRequire(import.meta.url)(ADDON) as NapiAddon;
  const key = new Uint8Array([115, 101, 99, 114, 101, 116]), id = new Uint8Array([105, 100]);
  const boards = [new Float64Array(4), new Float64Array(4)];
  const cl = a.create(0, 0, key, id, null, false, 1000, 8000, 0, boards[0]);
  const sv = a.create(1, 0, key, id, null, false, 1000, 8000, 0, boards[1]);
  let checks = 0;
  // What the board says must be what asking the addon says, after every kind of call.
  const agrees = (e: NapiHandle, board: Float64Array, after: string) => {
    const d = a.nextDeadline(e);
    t.is(board[0], a.status(e), `status after ${after}`);
    t.is(Number.isNaN(board[3]) ? undefined : board[3], d, `deadline after ${after}`);
    checks++;
  };
  // Drains one side's datagrams into the other, checking both boards at each step.
  const xfer = (from: NapiHandle, fb: Float64Array, to: NapiHandle, tb: Float64Array, server: boolean) => {
    for (;;) {
      const pending = fb[1] !== 0;
      const d = a.takeOutgoing(from);
      t.is(d !== undefined, pending, "outgoing size before takeOutgoing");
      if (d === undefined) break;
      t.is(d.length > 0, true);
      agrees(from, fb, "takeOutgoing");
      if (server) { a.setClientId(to, new Uint8Array([1, 2, 3, 4, 5, 6])); agrees(to, tb, "setClientId"); }
      a.feed(to, 5, d);
      agrees(to, tb, "feed");
    }
  };
  agrees(cl, boards[0]!, "create");
  agrees(sv, boards[1]!, "create");
  for (let i = 0; i < 6; i++) {
    a.onTimer(cl, 5);
    agrees(cl, boards[0]!, "onTimer");
    xfer(cl, boards[0]!, sv, boards[1]!, true);
    xfer(sv, boards[1]!, cl, boards[0]!, false);
  }
  t.is(boards[0]![0]! >> 4, 2, "client connected");
  t.is(boards[1]![0]! >> 4, 2, "server connected");
  a.write(cl, 6, new Uint8Array([7, 7, 7]));
  agrees(cl, boards[0]!, "write");
  xfer(cl, boards[0]!, sv, boards[1]!, false);
  t.not(boards[1]![2], 0, "a record is waiting on the server");
  const r = a.read(sv);
  t.deepEqual(r && [...r], [7, 7, 7]);
  t.is(boards[1]![2], 0, "and is gone after read");
  agrees(sv, boards[1]!, "read");
  a.close(cl, 7);
  agrees(cl, boards[0]!, "close");
  t.true(checks > 20);
  a.free(cl); a.free(sv);
});

test("create refuses a board that is not a Float64Array of 4", (t) => {
  const a = createRequire(import.meta.url)(ADDON) as NapiAddon;
  const key = new Uint8Array([1, 2, 3]), id = new Uint8Array([4]);
  for (const board of [new Float64Array(3), new Float32Array(4), new Uint8Array(32), 5]) {
    t.throws(() => a.create(0, 0, key, id, null, false, 0, 0, 0, board as Float64Array), { instanceOf: TypeError });
  }
  const e = a.create(0, 0, key, id, null, false, 0, 0, 0, undefined);
  a.free(e);
});

// Random sequences of every call, on a client/server pair that may connect, lose, duplicate
// or corrupt datagrams, time out or close: after each call the board must say what asking
// the addon says (status, deadline), and its sizes must be those of the datagram or record
// the next takeOutgoing() / read() pops.
type Op =
  | { k: "timer"; side: number; dt: number }
  | { k: "xfer"; side: number }
  | { k: "drop"; side: number }
  | { k: "replay"; side: number }
  | { k: "garbage"; side: number; bytes: number[] }
  | { k: "write"; side: number; n: number }
  | { k: "read"; side: number }
  | { k: "close"; side: number }
  | { k: "cid"; side: number };

const side = fc.integer({ min: 0, max: 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant("timer" as const), side, dt: fc.integer({ min: 0, max: 20_000 }) }),
  { arbitrary: fc.record({ k: fc.constant("xfer" as const), side }), weight: 8 },
  fc.record({ k: fc.constant("drop" as const), side }),
  fc.record({ k: fc.constant("replay" as const), side }),
  fc.record({ k: fc.constant("garbage" as const), side, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 0, maxLength: 40 }) }),
  { arbitrary: fc.record({ k: fc.constant("write" as const), side, n: fc.integer({ min: 0, max: 1200 }) }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant("read" as const), side }), weight: 3 },
  fc.record({ k: fc.constant("close" as const), side }),
  fc.record({ k: fc.constant("cid" as const), side }),
);

test("property: after any sequence of calls the board agrees with the addon's own answers, and its sizes with what takeOutgoing() and read() pop", (t) => {
  const a = createRequire(import.meta.url)(ADDON) as NapiAddon;
  const key = new Uint8Array([115, 101, 99, 114, 101, 116]), id = new Uint8Array([105, 100]);
  fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 120 }), (ops) => {
    const boards = [new Float64Array(4), new Float64Array(4)];
    const es = [a.create(0, 0, key, id, null, false, 1000, 8000, 0, boards[0]), a.create(1, 0, key, id, null, false, 1000, 8000, 0, boards[1])];
    const last: (Uint8Array | undefined)[] = [undefined, undefined];
    let now = 0;
    const agree = (s: number, after: string): boolean => {
      const b = boards[s]!, e = es[s];
      const d = a.nextDeadline(e);
      return b[0] === a.status(e) && (Number.isNaN(b[3]) ? undefined : b[3]) === d ||
        fail(`side ${s} after ${after}: board ${[...b].join(",")}, addon status ${a.status(e)} deadline ${d}`);
    };
    const fail = (why: string): false => { t.log(why); return false; };
    const take = (s: number): Uint8Array | undefined => {
      const size = boards[s]![1]!;
      const d = a.takeOutgoing(es[s]);
      if ((d?.length ?? 0) !== size) { fail(`side ${s}: board said a ${size}-byte datagram, takeOutgoing gave ${d?.length}`); throw new Error("size"); }
      return d;
    };
    try {
      for (const o of ops) {
        const s = o.side, other = 1 - s;
        switch (o.k) {
          case "timer": now += o.dt; a.onTimer(es[s], now); break;
          case "xfer": { const d = take(s); if (d) { last[other] = d; a.feed(es[other], now, d); if (!agree(other, "feed")) return false; } break; }
          case "drop": take(s); break;
          case "replay": if (last[s]) a.feed(es[s], now, last[s]!); break;
          case "garbage": a.feed(es[s], now, new Uint8Array(o.bytes)); break;
          case "write": a.write(es[s], now, new Uint8Array(o.n).fill(s + 1)); break;
          case "read": {
            const size = boards[s]![2]!;
            const r = a.read(es[s]);
            if ((r?.length ?? 0) !== size) return fail(`side ${s}: board said a ${size}-byte record, read gave ${r?.length}`);
            break;
          }
          case "close": a.close(es[s], now); break;
          case "cid": a.setClientId(es[s], new Uint8Array([9, 8, 7, 6])); break;
        }
        if (!agree(s, o.k)) return false;
      }
      return true;
    } catch (e) {
      if ((e as Error).message === "size") return false;
      throw e;
    } finally {
      a.free(es[0]); a.free(es[1]);
    }
  }), { numRuns: 300 });
  t.pass();
});

// A full collection on demand, without --expose-gc on the command line.
v8.setFlagsFromString("--expose-gc");
const collect = vm.runInNewContext("gc") as () => void;
/** Collects until `done()` (at most 50 rounds): the addon's finalizers, and then the
 * FinalizationRegistry callbacks of what they released, run on later turns of the loop. */
async function settle(done: () => boolean = () => false): Promise<void> {
  for (let i = 0; i < 50; i++) {
    collect();
    await new Promise((r) => setImmediate(r));
    if (i >= 3 && done()) return;
  }
}

test.serial("a dropped engine lets its board go: the reference create() takes on the board ends with the engine", async (t) => {
  const a = createRequire(import.meta.url)(ADDON) as NapiAddon;
  const key = new Uint8Array([1, 2, 3]), id = new Uint8Array([4]);
  let boardsCollected = 0;
  const registry = new FinalizationRegistry(() => { boardsCollected++; });
  const N = 200;
  (() => {
    for (let i = 0; i < N; i++) {
      const board = new Float64Array(4);
      registry.register(board.buffer, i);
      const e = a.create(i % 2, 0, key, id, null, false, 1000, 8000, 0, board);
      if (i % 3 !== 0) a.free(e); // freed or only dropped: both must end
    }
  })();
  await settle(() => boardsCollected >= N - 2);
  t.true(boardsCollected >= N - 2, `${boardsCollected} of ${N} boards collected`);
});

test.serial("engines and their holders are counted back to where they were once sessions close and are dropped", async (t) => {
  const a = createRequire(import.meta.url)(ADDON) as NapiAddon;
  const { DtlsSession } = await import("../../src/dtls/index.js");
  const { napiDtlsBinding } = await import("../../host-sim/dtls-napi.js");
  await settle();
  const [holders0, engines0] = a.liveCounts();
  const credentials = { mode: "psk" as const, key: new Uint8Array([115, 101, 99, 114, 101, 116]), identity: new Uint8Array([105, 100]) };
  const peer = { address: "a", port: 1 };
  const cid = new Uint8Array([1, 2, 3]);
  let connected = 0;
  for (let i = 0; i < 100; i++) {
    const c = new DtlsSession(0, { binding: napiDtlsBinding, role: "client", credentials, peer });
    const s = new DtlsSession(0, { binding: napiDtlsBinding, role: "server", credentials });
    for (let k = 0; k < 6; k++) {
      for (let d = c.pollTransmit(); d; d = c.pollTransmit()) s.handleDatagram(0, peer, d.bytes, cid);
      for (let d = s.pollTransmit(); d; d = s.pollTransmit()) c.handleDatagram(0, peer, d.bytes, cid);
    }
    if (c.state === "connected" && s.state === "connected") connected++;
    c.close(1);
    for (let d = c.pollTransmit(); d; d = c.pollTransmit()) s.handleDatagram(1, peer, d.bytes, cid);
    s.close(1);
  }
  t.is(connected, 100);
  t.is(a.liveCounts()[1], engines0, "every closed session freed its engine at once");
  await settle(() => a.liveCounts()[0] <= holders0 + 2);
  t.true(a.liveCounts()[0] <= holders0 + 2, `holders: ${a.liveCounts()[0]}, before ${holders0}`);
});

test("takeOutgoingInto and readInto copy the next entry into a view the caller sized, and refuse one too small", (t) => {
  const a = createRequire(import.meta.url)(ADDON) as NapiAddon;
  const key = new Uint8Array([1, 2, 3]), id = new Uint8Array([4]), cid = new Uint8Array([9, 9]);
  const cl = a.create(0, 0, key, id, null, false, 8000, 60000, 0);
  const sv = a.create(1, 0, key, id, null, false, 8000, 60000, 0);
  try {
    a.onTimer(cl, 0);
    // A view in the middle of a bigger buffer, as a slab gives: only its own range is written.
    const slab = new Uint8Array(4096).fill(0xee);
    t.throws(() => a.takeOutgoingInto(cl, slab.subarray(8, 16)), { instanceOf: RangeError, message: "destination too small" });
    const hello = a.takeOutgoing(cl)!;
    t.is(a.takeOutgoingInto(cl, slab), 0, "the queue is empty after the ClientHello");
    for (let i = 0; i < 10; i++) {
      a.setClientId(sv, cid);
      a.feed(sv, 0, i === 0 ? hello : a.takeOutgoing(cl) ?? new Uint8Array(0));
      for (let d = a.takeOutgoing(sv); d !== undefined; d = a.takeOutgoing(sv)) a.feed(cl, 0, d);
      a.onTimer(cl, 0);
    }
    t.is(a.status(cl) >> 4, 2, "connected");
    a.write(cl, 0, Uint8Array.of(7, 7, 7));
    const record = a.takeOutgoing(cl)!;
    a.feed(sv, 0, record);
    const view = slab.subarray(64, 64 + 3);
    t.is(a.readInto(sv, view), 3);
    t.deepEqual(Array.from(view), [7, 7, 7]);
    t.is(slab[63], 0xee);
    t.is(slab[67], 0xee);
    t.is(a.readInto(sv, view), 0);
    a.write(cl, 0, Uint8Array.of(8));
    a.feed(sv, 0, a.takeOutgoing(cl)!);
    t.throws(() => a.readInto(sv, new Float64Array(4) as unknown as Uint8Array), { instanceOf: TypeError });
    t.is(a.readInto(sv, view), 1, "a refused destination leaves the record queued");
    t.is(view[0], 8);
  } finally {
    a.free(cl);
    a.free(sv);
  }
});
