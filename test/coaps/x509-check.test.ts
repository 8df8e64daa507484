// The peer-certificate check of `coaps start` (spec §8.3) against a node whose certificate
// is not signed by the built-in CA.
import test from "ava";
import { createSim, type Sim } from "../../host-sim/harness.js";
import { startCoapsApp } from "../../src/app.js";
import { ROGUE_CA_PEM, ROGUE_CERT_PEM, ROGUE_KEY_PEM } from "../dtls/helpers/credentials.js";
import { after, run, S_ADDR, type Pair } from "./pair.js";

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const rogue = { certificate: bytes(ROGUE_CERT_PEM), privateKey: bytes(ROGUE_KEY_PEM), caChain: bytes(ROGUE_CA_PEM) };

/** Node 1 with the built-in credentials, node 2 with a certificate from another CA. */
async function rogueClient(): Promise<Pair> {
  const sim: Sim = await createSim({
    seed: 4, nodes: [1, 2],
    starterFor: (id) => (id === 2 ? { start: (platform) => startCoapsApp(platform, { x509: rogue }) } : undefined),
  });
  return { sim, s: sim.console(1), c: sim.console(2) };
}

test("a server with the check on rejects a client certificate from another CA: both print disconnected", async (t) => {
  const p = await rogueClient();
  try {
    run(p.s, "coaps x509", "coaps start");
    run(p.c, "coaps x509", "coaps start false", `coaps connect ${S_ADDR}`);
    t.is(after(p, p.c, 2500), "coaps disconnected\r\n");
    t.is(after(p, p.s, 0), "coaps disconnected\r\n");
  } finally {
    p.sim.close();
  }
});

test("with the check off on both sides the same certificates connect", async (t) => {
  const p = await rogueClient();
  try {
    run(p.s, "coaps x509", "coaps start false", "coaps resource r");
    run(p.c, "coaps x509", "coaps start false", `coaps connect ${S_ADDR}`);
    t.is(after(p, p.c, 500), "coaps connected\r\n");
    run(p.c, "coaps get r");
    t.regex(after(p, p.c, 500), /coaps response from \S+ with payload: 30\r\n$/);
  } finally {
    p.sim.close();
  }
});
