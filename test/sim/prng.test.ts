import test from "ava";
import { Prng } from "../../host-sim/prng.js";

// fill() works on the state in locals (a hot path on XS); it must stay the same stream as
// nextUint32(), little-endian words with the last one cut short, or seeded runs would change.
test("fill draws the same stream as nextUint32, little-endian, for every length", (t) => {
  for (let n = 0; n <= 13; n++) {
    const filled = new Uint8Array(n);
    new Prng(7, 3).fill(filled);
    const words = new Prng(7, 3);
    const expected = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = words.nextUint32();
      for (let k = 0; k < 4 && i + k < n; k++) expected[i + k] = (v >>> (8 * k)) & 0xff;
    }
    t.deepEqual(filled, expected, `length ${n}`);
  }
});

test("fill then nextUint32 continues the stream where fill left it", (t) => {
  const a = new Prng(11), b = new Prng(11);
  a.fill(new Uint8Array(6)); // two words drawn
  b.nextUint32(); b.nextUint32();
  t.is(a.nextUint32(), b.nextUint32());
});

test("a known seed gives a known first word (runs stay reproducible across versions)", (t) => {
  const bytes = new Uint8Array(8);
  new Prng(3, 2).fill(bytes);
  t.deepEqual(Array.from(bytes), [16, 197, 32, 215, 193, 60, 104, 13]);
});
