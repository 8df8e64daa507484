// A node that speaks raw CoAP inside a PSK DTLS session to node 1 (the firmware), for tests
// that need exact bytes on the wire: hand-built requests in, decrypted records out.
import { createSim, type Sim } from "../../host-sim/harness.js";
import type { ScriptedConsole } from "../../host-sim/console.js";
import { TimedDtlsSession } from "../../src/dtls/index.js";
import type { Platform } from "../../src/platform/index.js";
import { S_ADDR } from "./pair.js";

type Peer = { address: string; port: number };

export interface RawPeer {
  readonly sim: Sim;
  /** Node 1's console: it ran `coaps psk k id`, `coaps start` and whatever `setup` typed. */
  readonly s: ScriptedConsole;
  /** Sends one CoAP message (hex) in the session, then lets `ms` virtual ms pass. */
  send(hex: string, ms?: number): void;
  /** The records node 1 sent back since the last call, as hex. */
  take(): string[];
}

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** Node 1 runs the firmware; node 2 connects to it with PSK `k` / `id` and raw CoAP. */
export async function rawPeer(setup: (s: ScriptedConsole) => void): Promise<RawPeer> {
  const sim = await createSim({ seed: 6, nodes: [1] });
  const s = sim.console(1);
  s.send("coaps psk k id");
  s.send("coaps start");
  setup(s);
  let session: TimedDtlsSession<Peer> | undefined;
  let records: string[] = [];
  sim.addNode({
    id: 2,
    starter: {
      start(p: Platform) {
        const sock = p.udp({
          port: 5684,
          onReadable: () => { for (let d = sock.read(); d !== undefined; d = sock.read()) session?.receive(d.bytes, { address: d.address, port: d.port }); },
        });
        session = new TimedDtlsSession<Peer>({
          binding: p.dtls, clock: p.clock, timers: p.timers, role: "client",
          credentials: { mode: "psk", key: bytes("k"), identity: bytes("id") }, peer: { address: S_ADDR, port: 5684 },
          send: (d, to) => sock.write(d, to.address, to.port),
          events: { onData: (r) => { records.push(hex(r)); } },
        });
        return { close() { session?.close(); sock.close(); } };
      },
    },
  });
  s.expect("coaps connected\r\n", 1000);
  return {
    sim, s,
    send(text: string, ms = 100) {
      session!.send(Uint8Array.from(text.match(/../g)!, (h) => parseInt(h, 16)));
      sim.advance(ms);
    },
    take() { const r = records; records = []; return r; },
  };
}
