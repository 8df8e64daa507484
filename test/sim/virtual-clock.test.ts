import test from "ava";
import { VirtualClock } from "../../host-sim/virtual-clock.js";
import { RealTimeDriver } from "../../host-sim/real-time.js";

test("timers fire in deadline order and equal deadlines in creation order", (t) => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  clock.set(() => fired.push("c30"), 30);
  clock.set(() => fired.push("a10"), 10);
  clock.set(() => fired.push("b10"), 10);
  clock.set(() => fired.push("z0"), 0);
  clock.set(() => fired.push("d20"), 20);
  clock.advance(100);
  t.deepEqual(fired, ["z0", "a10", "b10", "d20", "c30"]);
  t.is(clock.now(), 100);
});

test("a zero-delay timer never runs synchronously inside set", (t) => {
  const clock = new VirtualClock();
  let ran = false;
  clock.set(() => { ran = true; }, 0);
  t.false(ran);
  t.is(clock.runDue(), 1);
  t.true(ran);
});

test("each timer sees the clock at its own deadline", (t) => {
  const clock = new VirtualClock(1000);
  const seen: number[] = [];
  for (const d of [5, 250, 7]) clock.set(() => seen.push(clock.now()), d);
  clock.advance(300);
  t.deepEqual(seen, [1005, 1007, 1250]);
});

test("timers set from a callback run in the same advance when they fall inside it", (t) => {
  const clock = new VirtualClock();
  const seen: number[] = [];
  const tick = () => { seen.push(clock.now()); if (seen.length < 5) clock.set(tick, 1000); };
  clock.set(tick, 1000);
  clock.advance(3500);
  t.deepEqual(seen, [1000, 2000, 3000]);
  clock.advance(10_000);
  t.deepEqual(seen, [1000, 2000, 3000, 4000, 5000]);
});

test("a cleared timer does not fire and clearing twice or after firing is harmless", (t) => {
  const clock = new VirtualClock();
  let count = 0;
  const h = clock.set(() => count++, 10);
  const g = clock.set(() => count++, 5);
  clock.clear(h);
  clock.clear(h);
  clock.advance(20);
  clock.clear(g);
  t.is(count, 1);
  t.is(clock.pending(), 0);
  t.is(clock.nextDeadline(), undefined);
});

test("runUntil stops at the instant the predicate becomes true", (t) => {
  const clock = new VirtualClock();
  let done = false;
  clock.set(() => { done = true; }, 93_000);
  clock.set(() => t.fail("must not run past the predicate"), 94_000);
  t.true(clock.runUntil(() => done, 3_600_000));
  t.is(clock.now(), 93_000);
});

test("runUntil gives up at the limit and leaves the clock there", (t) => {
  const clock = new VirtualClock();
  let fired = 0;
  clock.set(() => fired++, 500);
  clock.set(() => fired++, 5000);
  t.false(clock.runUntil(() => false, 1000));
  t.is(clock.now(), 1000);
  t.is(fired, 1);
});

test("two hours of one-second timers run on virtual time", (t) => {
  const clock = new VirtualClock();
  let n = 0;
  const tick = () => { n++; clock.set(tick, 1000); };
  clock.set(tick, 1000);
  clock.advance(2 * 3600 * 1000);
  t.is(n, 7200);
});

test("a zero-delay timer loop is reported instead of hanging", (t) => {
  const clock = new VirtualClock();
  const loop = () => { clock.set(loop, 0); };
  clock.set(loop, 0);
  t.throws(() => clock.runDue(), { message: /zero-delay loop/ });
});

test("real-time mode fires a virtual timer after about the same wall time", async (t) => {
  const clock = new VirtualClock();
  const driver = new RealTimeDriver(clock);
  try {
    const firedAt = await new Promise<number>((resolve) => {
      driver.inject(() => clock.set(() => resolve(clock.now()), 30));
    });
    t.true(firedAt >= 30);
    t.true(driver.virtualNow() >= firedAt);
  } finally {
    driver.stop();
  }
});
