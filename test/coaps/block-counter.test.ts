import test from "ava";
import { BlockCounter } from "../../src/coaps/block-counter.js";
import type { AgentEvent } from "../../src/coaps/types.js";
import { Prng } from "../../host-sim/prng.js";

function run(counter: BlockCounter, blocks: number): { nums: number[]; more: boolean[]; sizes: number[] } {
  const events: AgentEvent[] = [];
  const more: boolean[] = [];
  const random = new Prng(1);
  for (let i = 0; i < blocks; i++) more.push(counter.next(random, 32, (e) => events.push(e)).more);
  return {
    nums: events.map((e) => (e.kind === "sendBlock" ? e.num : -1)),
    more,
    sizes: events.map((e) => (e.kind === "sendBlock" ? e.block.length : -1)),
  };
}

test("with the default count 1 every block is Num 0 and says no more blocks follow", (t) => {
  const r = run(new BlockCounter(), 3);
  t.deepEqual(r.nums, [0, 0, 0]);
  t.deepEqual(r.more, [false, false, false]);
  t.deepEqual(r.sizes, [32, 32, 32]);
});

test("a count n numbers blocks 0 … n-1, ends the run at n-1 and wraps", (t) => {
  const c = new BlockCounter();
  c.count = 3;
  const r = run(c, 5);
  t.deepEqual(r.nums, [0, 1, 2, 0, 1]);
  t.deepEqual(r.more, [true, true, false, true, true]);
});

test("a count of 0 never ends (32-bit wrap of count - 1, as in C)", (t) => {
  const c = new BlockCounter();
  c.count = 0;
  t.true(run(c, 50).more.every((m) => m));
});

test("blocks are random bytes from the platform source", (t) => {
  const events: AgentEvent[] = [];
  const c = new BlockCounter();
  const a = c.next(new Prng(1), 16, (e) => events.push(e)).block;
  const b = c.next(new Prng(2), 16, (e) => events.push(e)).block;
  t.notDeepEqual(Array.from(a), Array.from(b));
});
