// `coaps sessions 8` with the server's firmware on XS: nine clients (on Node) connect at once,
// eight are served each on its own session, the ninth is ignored, and `coaps disconnect` ends
// all eight through their guards; the server's console is the Node server's, byte for byte.
import test from "ava";
import { loadFirmwareModule, runtimeFor } from "../../host-sim/xs/runtime.js";
import { SERVER, addressOf, crowd, type, unreadAfter } from "../coaps/helpers/several-sessions.js";

const firmware = await loadFirmwareModule();

async function serve(engine: "node" | "xs"): Promise<{ connected: number[]; server: string; clients: string[] }> {
  const runtime = runtimeFor(firmware, engine);
  const r = await crowd(8, { start: (p, o, n) => runtime.start(p, o, n) });
  try {
    for (const id of r.connected) type(r.sim.console(id), "coaps get res con");
    r.sim.advance(1000);
    const clients = r.connected.map((id) => unreadAfter(r.sim, r.sim.console(id), 0));
    type(r.server, "coaps isconnected", "yes\r\nDone\r\n");
    type(r.server, "coaps disconnect");
    r.sim.advance(2000);
    return { connected: r.connected, server: r.server.transcript(), clients };
  } finally {
    r.sim.close();
  }
}

test("on XS, eight of nine clients get a session each and are answered; the transcript is the Node server's", async (t) => {
  const xs = await serve("xs");
  const node = await serve("node");
  t.is(xs.connected.length, 8);
  for (const text of xs.clients) t.is(text, `coaps response from ${SERVER} with payload: 68656c6c6f\r\n`);
  for (const id of xs.connected) t.true(xs.server.includes(`coaps request from ${addressOf(id)} GET\r\n`), `node ${id}`);
  t.true(xs.server.endsWith("coaps disconnected\r\n".repeat(8)));
  t.deepEqual(xs.connected, node.connected);
  t.is(xs.server, node.server);
});
