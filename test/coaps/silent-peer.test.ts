// A peer that proves its address (answers the HelloVerifyRequest) and then goes silent holds
// the single session until the server's handshake gives up. By default that is OpenThread's
// 116 s plus the 2 s guard; the agent's acceptedHandshakeTimeouts option bounds it.
import test from "ava";
import { createSim, type Sim } from "../../host-sim/harness.js";
import type { Platform } from "../../src/platform/index.js";
import { startCoapsApp, type CoapsAppOptions } from "../../src/app.js";
import { run, S_ADDR } from "./pair.js";

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Node 2: a client that sends its ClientHello, answers the HelloVerifyRequest, then never speaks again. */
function silentPeer(sim: Sim): void {
  sim.addNode({
    id: 2,
    starter: {
      start(p: Platform) {
        const engine = p.dtls.createEngine(p.clock.now(), { role: "client", credentials: { mode: "psk", key: ascii("key"), identity: ascii("id") } });
        let answered = false;
        const sock = p.udp({
          port: 5684,
          onReadable: () => {
            for (let d = sock.read(); d !== undefined; d = sock.read()) {
              if (answered) continue; // silent from here on
              answered = true;
              engine.feed(p.clock.now(), d.bytes);
              for (let out = engine.takeOutgoing(); out !== undefined; out = engine.takeOutgoing()) sock.write(out, S_ADDR, 5684);
              engine.free();
            }
          },
        });
        sock.write(engine.takeOutgoing()!, S_ADDR, 5684);
        return { close() { sock.close(); } };
      },
    },
  });
}

async function serverWith(options: CoapsAppOptions) {
  const sim = await createSim({ seed: 8, nodes: [], starterFor: () => undefined });
  sim.addNode({ id: 1, starter: { start: (platform: Platform) => startCoapsApp(platform, options) } });
  const s = sim.console(1);
  run(s, "coaps psk key id", "coaps start");
  return { sim, s };
}

for (const [what, options, lockedMs] of [
  ["by default (OpenThread's 116 s handshake)", {}, 118_000],
  ["with acceptedHandshakeTimeouts 8000 / 16000", { acceptedHandshakeTimeouts: { minMs: 8000, maxMs: 16000 } }, 26_000],
] as const) {
  test(`a cookie-verified peer that goes silent locks the server for ${lockedMs / 1000} s ${what}, then a good peer connects`, async (t) => {
    const { sim, s } = await serverWith(options);
    try {
      const start = sim.clock.now();
      silentPeer(sim);
      sim.advance(lockedMs - 100);
      t.is(s.unread(), "", "still in the accepted handshake");
      s.send("coaps isconnactive");
      s.expect("coaps isconnactive\r\nyes\r\nDone\r\n", 0);
      s.expect("coaps disconnected\r\n", 200);
      const lock = sim.clock.now() - start;
      t.true(lock >= lockedMs - 100 && lock <= lockedMs + 100, `locked ${lock} ms`);
      // The node listens again: a real client connects.
      sim.addNode({ id: 3 });
      const c = sim.console(3);
      run(c, "coaps psk key id", "coaps start", `coaps connect ${S_ADDR}`);
      c.expect("coaps connected\r\n", 1000);
      s.expect("coaps connected\r\n", 1000);
    } finally {
      sim.close();
    }
  });
}
