import test from "ava";
import { parseUint } from "../../src/cli/parse.js";

test("unsigned numbers accept decimal and 0x hex within the type", (t) => {
  t.is(parseUint("0", 16), 0);
  t.is(parseUint("65535", 16), 65535);
  t.is(parseUint("0x1F", 16), 31);
  t.is(parseUint("0XfF", 16), 255);
  t.is(parseUint("4294967295", 32), 4294967295);
});

test("unsigned numbers reject signs, spaces, empty digits and overflow", (t) => {
  for (const bad of ["-1", "+1", "abc", "0x", "", " 1", "1 ", "70000", "0x10000", "1.0", "12a"]) {
    t.is(parseUint(bad, 16), undefined, bad);
  }
  t.is(parseUint("4294967296", 32), undefined);
});
