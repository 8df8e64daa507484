// Issue 13 item 6: `coaps start` fails with OpenThread's one line, `Error 1: Failed`, for every
// cause, but the agent keeps the cause. A verbose console prints it on a line of its own before
// the result line; the simulator log (SimNode.log, fed by platform.log) always records it.
import test from "ava";
import { createSim } from "../../host-sim/harness.js";
import { loadDtlsBinding } from "../../host-sim/dtls-loader.js";
import type { ScriptedConsole } from "../../host-sim/console.js";
import type { DtlsBinding } from "../../src/platform/dtls-binding.js";
import type { UdpFactory } from "../../src/platform/udp.js";
import { startCoapsApp } from "../../src/app.js";
import { CoapSecureAgent } from "../../src/coaps/agent.js";
import { OtError } from "../../src/coaps/ot-error.js";
import { ROGUE_KEY_PEM } from "../dtls/helpers/credentials.js";
import { BUILTIN_CA_PEM as TEST_CA_PEM, BUILTIN_CERT_PEM as TEST_CERT_PEM } from "../../src/dtls/builtin-x509.js";

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** The built-in certificate with another key: the engine refuses the pair at create. */
const MISMATCHED_X509 = { certificate: latin1(TEST_CERT_PEM), privateKey: latin1(ROGUE_KEY_PEM), caChain: latin1(TEST_CA_PEM) };

const noNetwork: UdpFactory = () => { throw new Error("no network"); };

/** One node; `verbose` turns on the console's diagnostic lines. */
async function node(o: { verbose?: boolean; udp?: UdpFactory; dtls?: DtlsBinding; x509?: typeof MISMATCHED_X509 } = {}) {
  const reported: string[] = [];
  const sim = await createSim({
    seed: 4, nodes: [1],
    onLog: (id, line) => reported.push(`${id}: ${line}`),
    ...(o.dtls ? { dtls: o.dtls } : {}),
    ...(o.udp ? { udpFor: () => o.udp } : {}),
    starterFor: () => ({ start: (platform) => startCoapsApp(platform, { ...(o.x509 ? { x509: o.x509 } : {}), ...(o.verbose ? { verbose: true } : {}) }) }),
  });
  const con = sim.console(1);
  con.expect("> ", 0); // the start-up prompt
  return { sim, con, log: sim.node(1).log, reported };
}

function answer(con: ScriptedConsole, line: string): string {
  con.send(line);
  const text = con.unread();
  con.expect(text, 0);
  return text;
}

test("a port in use: Error 1: Failed, the reason only in the log", async (t) => {
  const { sim, con, log, reported } = await node();
  try {
    // Something else holds UDP 5684 on this node.
    sim.network.node(1)!.bind(5684, () => {});
    t.is(answer(con, "coaps start"), "coaps start\r\nError 1: Failed\r\n> ");
    t.deepEqual(log, ["coaps start failed: PortInUse (port in use)"]);
    t.deepEqual(reported, ["1: coaps start failed: PortInUse (port in use)"], "the simulator's log callback sees it too");
    t.is(answer(con, "coaps isclosed"), "coaps isclosed\r\nyes\r\nDone\r\n> ");
  } finally {
    sim.close();
  }
});

test("no network: Error 1: Failed, and a verbose console says why on its own line", async (t) => {
  const { sim, con, log } = await node({ verbose: true, udp: noNetwork });
  try {
    t.is(answer(con, "coaps start"), "coaps start\r\ncoaps start failed: NoNetwork (no network)\r\nError 1: Failed\r\n> ");
    t.deepEqual(log, ["coaps start failed: NoNetwork (no network)"]);
  } finally {
    sim.close();
  }
});

test("bad x509 credentials: start fails before opening the port, and PSK then starts", async (t) => {
  const { sim, con, log } = await node({ verbose: true, x509: MISMATCHED_X509 });
  try {
    answer(con, "coaps x509");
    const text = answer(con, "coaps start");
    t.regex(text, /^coaps start\r\ncoaps start failed: BadCredentials \([^)]*InvalidInput[^)]*\)\r\nError 1: Failed\r\n> $/);
    t.is(log.length, 1);
    t.is(answer(con, "coaps isclosed"), "coaps isclosed\r\nyes\r\nDone\r\n> ");
    answer(con, "coaps psk key id");
    t.is(answer(con, "coaps start"), "coaps start\r\nDone\r\n> ");
    t.is(log.length, 1, "a successful start logs nothing");
  } finally {
    sim.close();
  }
});

test("the three reasons are told apart by the agent's typed result", async (t) => {
  const real = await loadDtlsBinding();
  const { sim } = await node();
  try {
    const base = sim.node(1).platform;
    const reason = (platform: typeof base, psk: boolean, x509 = false): unknown => {
      const agent = new CoapSecureAgent(platform, x509 ? { x509: MISMATCHED_X509 } : {});
      if (psk) agent.setPsk(latin1("k"), latin1("id"));
      if (x509) agent.setX509();
      const r = agent.start(true, 0);
      agent.close();
      return typeof r === "number" ? r : r.reason;
    };
    const taken = { ...base, udp: (() => { throw new Error("port in use"); }) as UdpFactory };
    t.is(reason(taken, true), "PortInUse");
    t.is(reason({ ...base, udp: noNetwork }, true), "NoNetwork");
    t.is(reason({ ...base, dtls: real }, false, true), "BadCredentials");
    t.is(reason({ ...base, dtls: { createEngine: () => { throw new Error("createEngine: OutOfMemory"); } } }, true), "EngineError");
    t.is(reason({ ...base, dtls: real }, true), OtError.None);
  } finally {
    sim.close();
  }
});
