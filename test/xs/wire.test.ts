import test from "ava";
import { readDtlsOutcome, readDtlsSnapshot, writeDtlsOutcome, writeDtlsSnapshot } from "../../src/platform/xsnap/dtls-wire.js";
import { WireReader, WireWriter } from "../../src/platform/xsnap/wire.js";
import type { DtlsEngine, DtlsErrorName } from "../../src/platform/dtls-binding.js";

test("every field type reads back as written, also from a view into a larger buffer", (t) => {
  const w = new WireWriter(4); // grows while writing
  w.u8(7).u32(0xdeadbeef).f64(1234.5).optF64(undefined).bool(true).bytes(Uint8Array.of(1, 2, 3)).optBytes(undefined)
    .text("fdde:ad00:beef::1").text("é€").raw(Uint8Array.of(9, 9));
  const framed = new Uint8Array(w.length + 5);
  framed.set(w.view(), 5);
  const r = new WireReader(framed.subarray(5));
  t.is(r.u8(), 7);
  t.is(r.u32(), 0xdeadbeef);
  t.is(r.f64(), 1234.5);
  t.is(r.optF64(), undefined);
  t.true(r.bool());
  const bytes = r.bytes();
  t.deepEqual([...bytes], [1, 2, 3]);
  t.is(r.optBytes(), undefined);
  t.is(r.text(), "fdde:ad00:beef::1");
  t.is(r.text(), "\u00e9?");
  t.is(r.u8(), 9);
  t.is(r.remaining, 1);
  framed.fill(0); // bytes() copied: changing the message does not change what was read
  t.deepEqual([...bytes], [1, 2, 3]);
  r.u8();
  t.throws(() => r.u8(), { message: /truncated/ });
});

test("text is written the same every time it repeats, and non-Latin-1 chars become '?'", (t) => {
  const once = (s: string) => [...new WireWriter().text(s).view()];
  const address = "fdde:ad00:beef:0:9903:14b:27e0:5744";
  t.deepEqual(once(address), once(address));
  t.deepEqual(once("é€"), [2, 0, 0xe9, 0x3f]);
  const w = new WireWriter().text(address).text(address).text("");
  const r = new WireReader(w.view());
  t.is(r.text(), address);
  t.is(r.text(), address);
  t.is(r.text(), "");
  const long = "x".repeat(5000); // longer than one decoding chunk
  t.is(new WireReader(new WireWriter().text(long).view()).text(), long);
});

test("finish() gives an exact-size ArrayBuffer, and a reset writer starts empty", (t) => {
  const w = new WireWriter(64).u32(1).u8(2);
  const buffer = w.finish();
  t.is(buffer.byteLength, 5);
  w.reset().u8(3);
  t.deepEqual([...new Uint8Array(w.finish())], [3]);
  t.deepEqual([...new Uint8Array(buffer)], [1, 0, 0, 0, 2]); // the earlier message is a copy
});

function fakeEngine(error: string): DtlsEngine {
  const out = [Uint8Array.of(1, 2)], records = [Uint8Array.of(3)];
  return {
    setClientId() {}, feed() {}, write() {}, handleTimer() {}, close() {}, free() {},
    takeOutgoing: () => out.shift(), read: () => records.shift(),
    nextDeadline: () => 1500, state: () => "connected", error: () => error as DtlsErrorName, cipherSuite: () => 0xc0a8,
  };
}

test("a DTLS snapshot carries state, error, suite, deadline and the drained queues", (t) => {
  for (const error of ["None", "QueueFull", "SomeFutureError"]) {
    const w = new WireWriter();
    writeDtlsSnapshot(w, fakeEngine(error));
    const s = readDtlsSnapshot(new WireReader(w.view()));
    t.deepEqual({ ...s, outgoing: s.outgoing.map((d) => [...d]), records: s.records.map((d) => [...d]) },
      { state: "connected", error, cipherSuite: 0xc0a8, deadline: 1500, outgoing: [[1, 2]], records: [[3]] });
  }
});

test("a DTLS call that throws on the host still answers with the snapshot taken after it, then its error with the same class and name", (t) => {
  const cases: [() => void, string, ErrorConstructor][] = [
    [() => {}, "", Error],
    [() => { const e = new Error("feed: QueueFull"); e.name = "QueueFull"; throw e; }, "QueueFull", Error],
    [() => { throw new TypeError("data must be Uint8Array"); }, "TypeError", TypeError],
    [() => { throw new RangeError("invalid timeout"); }, "RangeError", RangeError],
  ];
  for (const [call, name, kind] of cases) {
    const w = new WireWriter();
    writeDtlsOutcome(w, fakeEngine("None"), call);
    const { snapshot, error } = readDtlsOutcome(new WireReader(w.view()));
    t.deepEqual(snapshot.outgoing.map((d) => [...d]), [[1, 2]], `${name}: the snapshot comes first`);
    if (name === "") { t.is(error, undefined); continue; }
    t.true(error instanceof kind, name);
    t.is(error?.name, name);
  }
});
