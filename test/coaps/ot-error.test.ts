import test from "ava";
import { OtError, otErrorText } from "../../src/coaps/ot-error.js";

test("each error the agent returns prints as OpenThread's number and name (spec §1.4)", (t) => {
  t.deepEqual(Object.values(OtError).map(otErrorText), [
    "0: OK", "1: Failed", "3: NoBufs", "6: Parse", "7: InvalidArgs", "11: Abort", "13: InvalidState",
    "24: Already", "27: NotCapable", "28: ResponseTimeout", "35: InvalidCommand",
  ]);
});

test("OtError is a closed union: a number outside it does not type-check (test/typecheck.test.ts)", (t) => {
  // @ts-expect-error 5 (Busy) is an otError this agent never returns
  const unknown: OtError = 5;
  t.is(typeof unknown, "number");
});
