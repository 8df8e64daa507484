// T9's attempt limit against ClientHellos from forged addresses. A ClientHello that offers no
// suite in common (an x509 hello to a PSK node) from an address its sender does not own gets
// a HelloVerifyRequest that goes nowhere, as any cookie-less hello does: no `coaps
// disconnected`, no attempt used, no guard. A real mismatched peer, which answers the
// HelloVerifyRequest, still fails on both sides about 2 s after connect (§8.1) and uses its
// attempts as T9 says. Runs on XS too (test/xs/conformance-xs.test.ts).
import test from "ava";
import { napiDtlsBinding } from "../../host-sim/dtls-napi.js";
import type { Sim } from "../../host-sim/harness.js";
import { parseAddress } from "../../src/net/address.js";
import { BUILTIN_CA_PEM, BUILTIN_CERT_PEM, BUILTIN_KEY_PEM } from "../../src/dtls/builtin-x509.js";
import { ADDRESS, ID, specSim } from "./replay.js";
import { within } from "./check.js";

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** The first ClientHello of an x509 client: no suite in common with a PSK node. */
function x509Hello(now: number): Uint8Array {
  const engine = napiDtlsBinding.createEngine(now, {
    role: "client",
    credentials: { mode: "x509", certificate: latin1(BUILTIN_CERT_PEM), privateKey: latin1(BUILTIN_KEY_PEM), caChain: latin1(BUILTIN_CA_PEM), verifyPeer: true },
  });
  const hello = engine.takeOutgoing()!;
  engine.free();
  return hello;
}

/** Delivers `bytes` to S:5684 as if sent from `source`:5684, which never sees the answer. */
function forge(sim: Sim, source: string, bytes: Uint8Array): void {
  const s = sim.network.node(ID.S)!;
  const datagram = {
    source: parseAddress(source)!, sourcePort: 5684, destination: parseAddress(ADDRESS.S)!, destinationPort: 5684,
    bytes, sentAt: sim.clock.now(),
  };
  s.receiver(5684)!(datagram);
  sim.runDue();
}

function typed(sim: Sim, label: "S" | "C", line: string, result = "Done"): void {
  const con = sim.console(ID[label]);
  con.send(line);
  con.expect(`${line}\r\n${result}\r\n`, 0);
}

test("x509 ClientHellos from three forged addresses leave a `coaps start 2` PSK server listening, silent and with both attempts", async (t) => {
  const sim = await specSim(["S", "C"]);
  try {
    const s = sim.console(ID.S), c = sim.console(ID.C);
    typed(sim, "S", "coaps psk right id1");
    typed(sim, "S", "coaps start 2");
    typed(sim, "S", "coaps resource test-resource");
    const sent: string[] = [];
    sim.network.addTap((d) => { if (d.source.text === ADDRESS.S) sent.push(d.destination.text); });
    const mark = s.mark();
    for (const forged of ["fd00::bad:1", "fd00::bad:2", "fd00::bad:3"]) forge(sim, forged, x509Hello(sim.clock.now()));
    sim.advance(10_000);
    t.is(s.transcript(mark), "", "nothing printed: no coaps disconnected");
    t.deepEqual(sent, ["fd00:0:0:0:0:0:bad:1", "fd00:0:0:0:0:0:bad:2", "fd00:0:0:0:0:0:bad:3"], "one HelloVerifyRequest to each forged address");
    typed(sim, "S", "coaps isconnactive", "no\r\nDone");
    typed(sim, "S", "coaps isclosed", "no\r\nDone");
    // Both attempts are still there: a good peer connects, twice.
    typed(sim, "C", "coaps psk right id1");
    typed(sim, "C", "coaps start");
    for (let round = 0; round < 2; round++) {
      typed(sim, "C", `coaps connect ${ADDRESS.S}`);
      c.expect("coaps connected\r\n", 1000);
      s.expect("coaps connected\r\n", 1000);
      typed(sim, "C", "coaps disconnect");
      c.expect("coaps disconnected\r\n", 2500);
      s.expect("coaps disconnected\r\n", 2500);
    }
    typed(sim, "S", "coaps isclosed", "yes\r\nDone");
  } finally {
    sim.close();
  }
});

test("a real x509 peer meeting a PSK node still fails on both sides about 2 s after connect and uses the attempt (§8.1, T9)", async (t) => {
  const sim = await specSim(["S", "C"]);
  try {
    const s = sim.console(ID.S), c = sim.console(ID.C);
    typed(sim, "S", "coaps psk right id1");
    typed(sim, "S", "coaps start 2");
    typed(sim, "C", "coaps x509");
    typed(sim, "C", "coaps start");
    for (let round = 0; round < 2; round++) {
      typed(sim, "C", `coaps connect ${ADDRESS.S}`);
      const connect = sim.clock.now();
      c.expect("coaps disconnected\r\n", 3000);
      const clientDone = sim.clock.now();
      s.expect("coaps disconnected\r\n", 3000);
      within(t, "connect → C disconnected", clientDone - connect, 1990, 2100);
      within(t, "connect → S disconnected", sim.clock.now() - connect, 1990, 2100);
    }
    t.false(c.transcript().includes("coaps connected") || s.transcript().includes("coaps connected"));
    typed(sim, "S", "coaps isclosed", "yes\r\nDone");
  } finally {
    sim.close();
  }
});
