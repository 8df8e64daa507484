// RFC 7252 §5.4.1, §5.10.2 and §5.10.8 on a node, with hand-built requests from a raw peer in
// the DTLS session: the exact answer on the wire, and a console that prints nothing for a
// request the CoAP layer refused (as for a 4.04, spec §4).
import test from "ava";
import { rawPeer } from "./raw-peer.js";
import { C_ADDR } from "./pair.js";

const hexOf = (s: string): string => Array.from(s, (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");

// Requests carry no token; Uri-Path "r" is the option 11 with value 72.
const cases = [
  ["CON GET with option 9 (unrecognised, critical)", "40010010" + "90" + "2172", `60820010ff${hexOf("unrecognised critical option 9")}`],
  ["CON GET with option 65001 (unrecognised, critical)", "40010011" + "b172" + "e0fcd1", `60820011ff${hexOf("unrecognised critical option 65001")}`],
  ["CON GET with Proxy-Uri coap://x", "40010012" + "b172" + "d80b" + hexOf("coap://x"), "60a50012"],
  ["CON PUT with If-Match abc (the resource has no ETag)", "40030013" + "13616263" + "a172", "608c0013"],
] as const;

for (const [what, request, answer] of cases) {
  test(`${what} is answered ${answer.slice(2, 4) === "82" ? "4.02" : answer.slice(2, 4) === "a5" ? "5.05" : "4.12"} and prints nothing on the node`, async (t) => {
    const p = await rawPeer((s) => s.send("coaps resource r"));
    try {
      p.send(request);
      t.deepEqual(p.take(), [answer]);
      p.send(request, 2000); // a retransmission gets the cached answer, and prints nothing either
      t.deepEqual(p.take(), [answer]);
      t.is(p.s.unread(), "");
    } finally {
      p.sim.close();
    }
  });
}

test("a NON GET with an unrecognised critical option is ignored: no answer, no Reset, nothing printed", async (t) => {
  const p = await rawPeer((s) => s.send("coaps resource r"));
  try {
    p.send("50010020" + "90" + "2172", 5000);
    t.deepEqual(p.take(), []);
    t.is(p.s.unread(), "");
  } finally {
    p.sim.close();
  }
});

test("an empty If-Match (the resource exists) and an unknown elective option pass: 2.05 and the usual lines", async (t) => {
  const p = await rawPeer((s) => s.send("coaps resource r"));
  try {
    p.send("40010030" + "10" + "a172");
    p.send("40010031" + "b172" + "e0fcd0"); // option 65000: elective
    t.deepEqual(p.take(), ["60450030ff30", "60450031ff30"]);
    t.is(p.s.unread(), `coaps request from ${C_ADDR} GET\r\ncoaps response sent\r\n`.repeat(2));
  } finally {
    p.sim.close();
  }
});
