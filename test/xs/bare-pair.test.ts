// The benchmarks' "firmware alone" pair (bench/xs/bare-pair.ts) must really run the firmware
// on both engines: each GET gets exactly one response line, on Node through the N-API engine
// and inside one XS machine through the device's glue; a pair whose GETs go unanswered throws
// instead of timing nothing.
import test from "ava";
import { fileURLToPath } from "node:url";
import { napiDtlsBinding } from "../../host-sim/dtls-napi.js";
import { InProcessXsSim, inProcessBundle } from "../../host-sim/xs/in-process/machine.js";
import type { InProcessRequest } from "../../host-sim/xs/in-process/protocol.js";
import { connectedBarePair } from "../../bench/xs/bare-pair.js";
import type { DtlsBinding } from "../../src/platform/dtls-binding.js";

test("on Node, each GET of the bare pair is answered once", (t) => {
  const pair = connectedBarePair(napiDtlsBinding);
  t.notThrows(() => pair.gets(25));
});

test("inside one XS machine, the bare pair answers its GETs and reports the time they took", async (t) => {
  const xs = await InProcessXsSim.open({ bundle: inProcessBundle(fileURLToPath(new URL("../../bench/xs/bare-entry.ts", import.meta.url))) });
  try {
    const ms = await xs.call<number>({ op: "gets", count: 25 } as unknown as InProcessRequest);
    t.true(typeof ms === "number" && ms > 0);
  } finally {
    await xs.close();
  }
});

test("a pair whose records never reach the other node throws rather than timing nothing", (t) => {
  // The engine drops every application record the client writes: the handshake completes,
  // but no request ever arrives.
  const dropping: DtlsBinding = {
    createEngine: (now, options) => {
      const engine = napiDtlsBinding.createEngine(now, options);
      if (options.role === "client") engine.write = () => undefined;
      return engine;
    },
  };
  const pair = connectedBarePair(dropping);
  t.throws(() => pair.gets(1), { message: /GET 0 got 0 responses/ });
});
