import test from "ava";
import { pooledRandomSource, randomInt, type RandomSource } from "../../src/platform/random.js";

/** A source whose bytes are 0, 1, 2, ... (mod 256) across calls, counting its calls. */
function countingSource(): RandomSource & { calls: number[] } {
  let next = 0;
  const calls: number[] = [];
  return {
    calls,
    fill(bytes) {
      calls.push(bytes.length);
      for (let i = 0; i < bytes.length; i++) bytes[i] = next++ & 0xff;
    },
  };
}

test("hands out the source's bytes in order, each once, across block boundaries", (t) => {
  const src = countingSource();
  const pooled = pooledRandomSource(src, 16);
  const seen: number[] = [];
  for (const n of [2, 4, 8, 3, 7, 4]) {
    const b = new Uint8Array(n);
    pooled.fill(b);
    seen.push(...b);
  }
  t.deepEqual(seen, Array.from({ length: 28 }, (_, i) => i));
});

test("asks the source once per block, not once per request", (t) => {
  const src = countingSource();
  const pooled = pooledRandomSource(src, 256);
  for (let i = 0; i < 100; i++) randomInt(pooled, 2000, 3000); // 4 bytes each: 400 bytes
  t.deepEqual(src.calls, [256, 256]);
});

test("a request larger than the block goes to the source directly", (t) => {
  const src = countingSource();
  const pooled = pooledRandomSource(src, 8);
  const big = new Uint8Array(20);
  pooled.fill(big);
  t.deepEqual(src.calls, [20]);
  t.deepEqual([...big], Array.from({ length: 20 }, (_, i) => i));
});

test("refuses an empty block", (t) => {
  t.throws(() => pooledRandomSource(countingSource(), 0), { instanceOf: RangeError });
});
