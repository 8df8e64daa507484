// `coaps send response error <n>: <Name>` (spec §4): OpenThread's CLI prints it in place of
// `coaps response sent` when the response could not be built or handed on (cli_coap_secure.cpp,
// HandleRequest). Here the record is encrypted at once, so a DTLS write that the engine refuses
// is that failure. A response over the 900-byte record limit is not: OpenThread reports it sent
// and drops it later (§7.4; test/coaps/block-wise.test.ts pins that).
import test from "ava";
import { createSim } from "../../host-sim/harness.js";
import { loadDtlsBinding } from "../../host-sim/dtls-loader.js";
import { DtlsEngineError } from "../../host-sim/dtls-napi.js";
import type { DtlsBinding, DtlsEngine, DtlsErrorName } from "../../src/platform/dtls-binding.js";
import { OtError } from "../../src/coaps/ot-error.js";
import { engineErrorName, sendFailure } from "../../src/coaps/send-error.js";
import { after, C_ADDR, run, S_ADDR, type Pair } from "./pair.js";
import { rawPeer } from "./raw-peer.js";

/** The real binding, but while `refuse` is set every server engine's write throws it. */
interface Refusing { binding: DtlsBinding; refuse: Error | undefined }

async function refusingBinding(): Promise<Refusing> {
  const real = await loadDtlsBinding();
  const r: Refusing = {
    refuse: undefined,
    binding: {
      createEngine(now, options) {
        const engine = real.createEngine(now, options);
        if (options.role !== "server") return engine;
        return new Proxy(engine, {
          get(target, key) {
            if (key === "write") {
              return (t: number, data: Uint8Array) => {
                if (r.refuse !== undefined) throw r.refuse;
                target.write(t, data);
              };
            }
            const v = Reflect.get(target, key) as unknown;
            return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        }) as DtlsEngine;
      },
    },
  };
  return r;
}

async function refusingPair(sessions = 1): Promise<Pair & { r: Refusing }> {
  const r = await refusingBinding();
  const sim = await createSim({ seed: 3, nodes: [1, 2], dtls: r.binding });
  const p = { sim, s: sim.console(1), c: sim.console(2), r };
  if (sessions > 1) run(p.s, `coaps sessions ${sessions}`);
  run(p.s, "coaps psk key id", "coaps start", "coaps resource r");
  run(p.c, "coaps psk key id", "coaps start", `coaps connect ${S_ADDR}`);
  p.c.expect("coaps connected\r\n", 1000);
  p.s.expect("coaps connected\r\n", 1000);
  return p;
}

// The error shapes of the three bindings: xsmc throws Error(<name>), N-API an error named <name>.
const xsError = (name: DtlsErrorName): Error => new Error(name);
const napiError = (name: DtlsErrorName): Error => new DtlsEngineError(name, "write");

for (const [label, refuse] of [["xsmc", xsError("QueueFull")], ["N-API", napiError("OutOfMemory")]] as const) {
  test(`a response DTLS has no room for prints 'coaps send response error 3: NoBufs' instead of 'coaps response sent' (${label} error)`, async (t) => {
    const p = await refusingPair();
    try {
      p.r.refuse = refuse;
      p.c.send("coaps get r con");
      t.is(after(p, p.s, 100), `coaps request from ${C_ADDR} GET\r\ncoaps send response error 3: NoBufs\r\n`);
      t.is(after(p, p.c, 100), "coaps get r con\r\nDone\r\n> ", "the client got no answer");
      // The session is intact: the CON's retransmission gets the cached answer, printing nothing
      // more on the server (§7.1), once DTLS has room again.
      p.r.refuse = undefined;
      t.is(after(p, p.c, 3100), `coaps response from ${S_ADDR} with payload: 30\r\n`);
      t.is(after(p, p.s, 0), "");
      p.c.send("coaps put r con");
      t.is(after(p, p.s, 100), `coaps request from ${C_ADDR} PUT\r\ncoaps response sent\r\n`);
    } finally {
      p.sim.close();
    }
  });
}

test("a NON GET and a CON PUT whose answers DTLS refuses print the error line; the NON GET's client times out", async (t) => {
  const p = await refusingPair();
  try {
    p.r.refuse = napiError("QueueFull");
    p.c.send("coaps put r con 41");
    t.is(after(p, p.s, 100), `coaps request from ${C_ADDR} PUT with payload: 3431\r\ncoaps send response error 3: NoBufs\r\n`);
    p.c.send("coaps get r");
    t.is(after(p, p.s, 100), `coaps request from ${C_ADDR} GET\r\ncoaps send response error 3: NoBufs\r\n`);
    // A record over the engine's own limit is refused as InvalidInput: also no room (NoBufs).
    p.r.refuse = xsError("InvalidInput");
    p.c.send("coaps get r");
    t.is(after(p, p.s, 100), `coaps request from ${C_ADDR} GET\r\ncoaps send response error 3: NoBufs\r\n`);
    // Any other engine failure is Failed.
    p.r.refuse = napiError("InternalError");
    p.c.send("coaps post r con");
    t.is(after(p, p.s, 100), `coaps request from ${C_ADDR} POST\r\ncoaps send response error 1: Failed\r\n`);
    p.r.refuse = undefined;
    t.regex(after(p, p.c, 100_000), /coaps receive response error 28: ResponseTimeout\r\n/);
  } finally {
    p.sim.close();
  }
});

test("with coaps sessions 2 a server slot prints the same error line", async (t) => {
  const p = await refusingPair(2);
  try {
    p.r.refuse = xsError("QueueFull");
    p.c.send("coaps get r con");
    t.is(after(p, p.s, 100), `coaps request from ${C_ADDR} GET\r\ncoaps send response error 3: NoBufs\r\n`);
    p.r.refuse = undefined;
    p.c.send("coaps get r con");
    t.is(after(p, p.s, 100), `coaps request from ${C_ADDR} GET\r\ncoaps response sent\r\n`);
  } finally {
    p.sim.close();
  }
});

test("only the response DTLS refused prints the error: a notification refused at the same time does not", async (t) => {
  const p = await refusingPair();
  try {
    run(p.c, "coaps observe r");
    t.regex(after(p, p.s, 100), /coaps response sent\r\n$/);
    p.r.refuse = xsError("QueueFull");
    run(p.s, "coaps set 7");
    t.is(after(p, p.s, 100), "");
    p.r.refuse = undefined;
  } finally {
    p.sim.close();
  }
});

test("sendFailure maps the binding's error to OpenThread's otError", (t) => {
  for (const name of ["QueueFull", "OutOfMemory", "InvalidInput"] as const) {
    t.is(sendFailure(xsError(name)), OtError.NoBufs, name);
    t.is(sendFailure(napiError(name)), OtError.NoBufs, name);
  }
  t.is(sendFailure(napiError("InternalError")), OtError.Failed);
  t.is(sendFailure(new Error("DTLS session not connected")), OtError.Failed);
  t.is(sendFailure("QueueFull"), OtError.Failed, "not an Error");
  t.is(engineErrorName(napiError("QueueFull")), "QueueFull");
  t.is(engineErrorName(new Error("closed")), undefined);
});

test("not this line: a GET with the reserved Block2 SZX 7 gets 4.00 Bad Request and prints nothing (RFC 7959 §2.2; OpenThread prints error 7: InvalidArgs)", async (t) => {
  const p = await rawPeer((s) => s.send("coaps resource r"));
  try {
    p.send("41010040aa" + "b172" + "c107"); // CON GET r, token aa, Block2 = 0x07
    t.deepEqual(p.take(), ["61800040aa"], "ACK 4.00, same Message ID and token");
    t.notRegex(p.s.transcript(), /coaps (request from|send response error|response sent)/);
  } finally {
    p.sim.close();
  }
});
