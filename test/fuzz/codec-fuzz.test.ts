import test from "ava";
import { fuzzCodec } from "./codec-fuzz-core.js";

test("100,000 random and mutated datagrams only ever raise CoapParseError, leave the decoder working and never make the endpoint throw", (t) => {
  const report = fuzzCodec(100_000, 0xc0a9);
  t.deepEqual(report.failures, []);
  // Both outcomes must actually occur, or the fuzzer is not exercising the decoder.
  t.true(report.decoded > 1000);
  t.true(report.endpointEvents > 100, `endpoint events: ${report.endpointEvents}`);
  for (const reason of ["truncatedHeader", "version", "tokenLength", "optionDelta", "optionLength", "optionTruncated", "emptyPayload", "emptyWithData"]) {
    t.true((report.rejected[reason] ?? 0) > 0, `no ${reason} rejections`);
  }
});
