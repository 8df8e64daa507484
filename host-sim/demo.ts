// `npm run demo`: the walkthrough on two simulated nodes, on virtual time. Node 1 serves a
// resource, node 2 connects with the same PSK, GETs and PUTs it, then disconnects. Both
// consoles are printed line by line with node labels; the exit code is 0 only if every
// expected line appeared.
import { createSim } from "./harness.js";
import type { ScriptedConsole } from "./console.js";

const SERVER = 1, CLIENT = 2;
const LABEL: Record<number, string> = { [SERVER]: "node 1 (server) | ", [CLIENT]: "node 2 (client) | " };
const S_ADDR = "fdde:ad00:beef:0:0:0:0:1", C_ADDR = "fdde:ad00:beef:0:0:0:0:2";

type Step = { on: number; type?: string; wait?: number; expect: Array<[node: number, text: string, withinMs?: number]> };

const STEPS: Step[] = [
  { on: SERVER, type: "coaps psk secret123 id1", expect: [[SERVER, "Done\r\n"]] },
  { on: SERVER, type: "coaps start", expect: [[SERVER, "Done\r\n"]] },
  { on: SERVER, type: "coaps resource test-resource", expect: [[SERVER, "Done\r\n"]] },
  { on: SERVER, type: "coaps set Hello", expect: [[SERVER, "Done\r\n"]] },
  { on: CLIENT, type: "coaps psk secret123 id1", expect: [[CLIENT, "Done\r\n"]] },
  { on: CLIENT, type: "coaps start", expect: [[CLIENT, "Done\r\n"]] },
  { on: CLIENT, type: `coaps connect ${S_ADDR}`, expect: [[CLIENT, "Done\r\n"], [CLIENT, "coaps connected\r\n", 10_000], [SERVER, "coaps connected\r\n"]] },
  { on: CLIENT, type: "coaps get test-resource con", expect: [
    [CLIENT, "Done\r\n"], [SERVER, `coaps request from ${C_ADDR} GET\r\n`, 5000], [SERVER, "coaps response sent\r\n"],
    [CLIENT, `coaps response from ${S_ADDR} with payload: 48656c6c6f\r\n`, 5000]] },
  { on: CLIENT, type: "coaps put test-resource con 42", expect: [
    [CLIENT, "Done\r\n"], [SERVER, `coaps request from ${C_ADDR} PUT with payload: 3432\r\n`, 5000], [SERVER, "coaps response sent\r\n"],
    [CLIENT, `coaps response from ${S_ADDR}\r\n`, 5000]] },
  { on: CLIENT, type: "coaps disconnect", expect: [[CLIENT, "Done\r\n"], [CLIENT, "coaps disconnected\r\n", 3000], [SERVER, "coaps disconnected\r\n", 3000]] },
  { on: CLIENT, type: "coaps isconnected", expect: [[CLIENT, "no\r\nDone\r\n"]] },
];

async function main(): Promise<number> {
  const sim = await createSim({ seed: 1, link: { delayMs: 2 } });
  const pending = new Map<number, string>();
  const print = (id: number, text: string) => {
    let buf = (pending.get(id) ?? "") + text;
    for (let nl = buf.indexOf("\r\n"); nl >= 0; nl = buf.indexOf("\r\n")) {
      process.stdout.write(`${LABEL[id]}${buf.slice(0, nl)}\n`);
      buf = buf.slice(nl + 2);
    }
    pending.set(id, buf);
  };
  for (const id of [SERVER, CLIENT]) {
    const node = sim.addNode(id);
    print(id, node.wire.output());
    node.wire.onOutput((text) => print(id, text));
  }
  process.stdout.write(`Two simulated nodes: 1 = ${S_ADDR} (server), 2 = ${C_ADDR} (client); 2 ms links, virtual time.\n\n`);
  const missing: string[] = [];
  const consoles: Record<number, ScriptedConsole> = { [SERVER]: sim.console(SERVER), [CLIENT]: sim.console(CLIENT) };
  try {
    for (const step of STEPS) {
      if (step.type !== undefined) consoles[step.on]!.send(step.type);
      for (const [node, text, within] of step.expect) {
        try {
          consoles[node]!.expect(text, within ?? 0);
        } catch {
          missing.push(`${LABEL[node]}${JSON.stringify(text)} (after "${step.type}")`);
        }
      }
    }
  } finally {
    sim.close();
  }
  process.stdout.write(`\nvirtual time used: ${(sim.clock.now() / 1000).toFixed(3)} s\n`);
  if (missing.length > 0) {
    process.stdout.write(`demo FAILED: ${missing.length} expected line(s) did not appear:\n${missing.map((m) => `  ${m}\n`).join("")}`);
    return 1;
  }
  process.stdout.write("demo OK: every expected line appeared.\n");
  return 0;
}

main().then((code) => process.exit(code), (error: Error) => {
  process.stderr.write(`demo: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
