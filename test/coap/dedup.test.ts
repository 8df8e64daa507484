import test from "ava";
import { ResponseCache } from "../../src/coap/dedup.js";

const bytes = (n: number) => Uint8Array.of(n);

test("a response is found by peer and Message ID until its lifetime ends, then it is gone", (t) => {
  const cache = new ResponseCache(10, 1000);
  cache.add(0, "a", 7, bytes(1));
  cache.add(500, "b", 7, bytes(2));
  t.deepEqual(cache.find(999, "a", 7)?.bytes, bytes(1));
  t.deepEqual(cache.find(999, "b", 7)?.bytes, bytes(2));
  t.is(cache.find(999, "a", 8), undefined);
  t.is(cache.find(999, "c", 7), undefined);
  t.is(cache.find(1000, "a", 7), undefined, "expired at exactly its lifetime");
  t.deepEqual(cache.find(1000, "b", 7)?.bytes, bytes(2));
  t.is(cache.size, 1);
  t.is(cache.find(1500, "b", 7), undefined);
  t.is(cache.size, 0);
});

test("peers and Message IDs never share an entry, whatever the peer key holds", (t) => {
  const cache = new ResponseCache(10, 1000);
  cache.add(0, "1 x", 2, bytes(1));
  cache.add(0, "x", 12, bytes(2));
  cache.add(0, "", 1, bytes(3));
  cache.add(0, " x", 1, bytes(4));
  t.deepEqual([cache.find(0, "1 x", 2), cache.find(0, "x", 12), cache.find(0, "", 1), cache.find(0, " x", 1)].map((e) => e?.bytes?.[0]), [1, 2, 3, 4]);
  t.is(cache.find(0, "x", 1), undefined);
});

test("a full cache drops its oldest entry; answering an ID again makes it the newest", (t) => {
  const cache = new ResponseCache(3, 1000);
  cache.add(0, "", 1, bytes(1));
  cache.add(0, "", 2, bytes(2));
  cache.add(0, "", 3, bytes(3));
  cache.add(0, "", 1, bytes(11)); // replaces 1, now the newest
  cache.add(0, "", 4, bytes(4)); // drops 2
  t.is(cache.size, 3);
  t.is(cache.find(0, "", 2), undefined);
  t.deepEqual([1, 3, 4].map((id) => cache.find(0, "", id)?.bytes?.[0]), [11, 3, 4]);

  const roomy = new ResponseCache(3, 1000);
  roomy.add(0, "", 1, bytes(1));
  roomy.add(0, "", 2, bytes(2));
  roomy.add(0, "", 1, bytes(11)); // not full: 1 moves behind 2
  roomy.add(0, "", 3, bytes(3));
  roomy.add(0, "", 4, bytes(4)); // drops 2, the oldest now
  t.deepEqual([1, 2, 3, 4].map((id) => roomy.find(0, "", id)?.bytes?.[0]), [11, undefined, 3, 4]);
});

test("entries that left early do not keep later ones from expiring on time", (t) => {
  const cache = new ResponseCache(1, 1000);
  cache.add(0, "", 1, bytes(1));
  cache.add(600, "", 2, bytes(2)); // drops 1 (capacity), whose lifetime ended first
  t.deepEqual(cache.find(1500, "", 2)?.bytes, bytes(2));
  t.is(cache.find(1600, "", 2), undefined);
  cache.add(1700, "", 3, undefined);
  const e = cache.find(1700, "", 3);
  t.truthy(e);
  t.is(e!.bytes, undefined, "a response too big to send is remembered as none");
});

test("clearing one peer keeps the others", (t) => {
  const cache = new ResponseCache(10, 1000);
  cache.add(0, "a", 1, bytes(1));
  cache.add(0, "b", 1, bytes(2));
  cache.clear("a");
  t.is(cache.find(0, "a", 1), undefined);
  t.deepEqual(cache.find(0, "b", 1)?.bytes, bytes(2));
  cache.clear();
  t.is(cache.size, 0);
});
