// host-sim/harness.ts with one change: a simulation that runs the default firmware (src/app.ts)
// starts each node on the engine MODDABLE_COAPS_ENGINE selects ("xs", "1=xs", ...). Before a
// simulation closes, each XS node's heap report is appended to XS_LANE_REPORT (if set).
import { appendFileSync } from "node:fs";
import { createSim as createNodeSim, type Sim, type SimOptions } from "../../../host-sim/harness.js";
import { starterForEngines } from "../../../host-sim/xs/engine-option.js";

export * from "../../../host-sim/harness.js";

export async function createSim(options: SimOptions = {}): Promise<Sim> {
  const spec = process.env["MODDABLE_COAPS_ENGINE"];
  if (options.firmware !== undefined || options.starterFor !== undefined || spec === undefined) return createNodeSim(options);
  const sim = await createNodeSim({ ...options, starterFor: await starterForEngines(spec) });
  const report = process.env["XS_LANE_REPORT"];
  const close = sim.close.bind(sim);
  sim.close = () => {
    const lines = sim.nodeIds().map((id) => (sim.node(id).running ? sim.node(id).report() : undefined)).filter((l) => l !== undefined);
    close();
    if (report !== undefined && lines.length > 0) appendFileSync(report, lines.map((l) => `${l}\n`).join(""));
  };
  return sim;
}
