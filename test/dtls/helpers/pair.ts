// Two DtlsSessions (client and listening server) joined by a simulated link on virtual time,
// with optional seeded loss, duplication and reordering.
import { TimedDtlsSession } from "../../../src/dtls/timed-session.js";
import type { DtlsCloseReason } from "../../../src/dtls/session.js";
import { transportIdOf } from "../../../src/dtls/transport-id.js";
import type { DtlsCredentials, DtlsErrorName } from "../../../src/platform/dtls-binding.js";
import { napiDtlsBinding } from "../../../host-sim/dtls-napi.js";
import { VirtualTime, seeded } from "./virtual-time.js";

export interface LinkOptions { loss?: number; duplicate?: number; reorderMs?: number; delayMs?: number; seed?: number }

export interface Side {
  session: TimedDtlsSession<string>;
  connected: number;
  accepted: string[];
  data: Uint8Array[];
  closed?: { reason: DtlsCloseReason; error: DtlsErrorName };
  sent: number;
}

export const CLIENT_ADDR = "fdde:ad00:beef:0:0:0:0:1";
export const SERVER_ADDR = "fdde:ad00:beef:0:0:0:0:2";

export function makePair(time: VirtualTime, client: DtlsCredentials, server: DtlsCredentials, link: LinkOptions = {}) {
  const rand = seeded(link.seed ?? 1);
  const delay = link.delayMs ?? 1;
  const sides: { client?: Side; server?: Side } = {};
  const deliver = (to: "client" | "server", bytes: Uint8Array) => {
    const copies = rand() < (link.duplicate ?? 0) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      if (rand() < (link.loss ?? 0)) continue;
      const jitter = link.reorderMs ? rand() * link.reorderMs : 0;
      time.set(() => {
        const s = sides[to];
        if (!s) return;
        if (to === "server") s.session.receive(bytes, CLIENT_ADDR, transportIdOf(CLIENT_ADDR, 5684));
        else s.session.receive(bytes, SERVER_ADDR);
      }, delay + jitter);
    }
  };
  const side = (role: "client" | "server", credentials: DtlsCredentials): Side => {
    const s = { connected: 0, accepted: [], data: [], sent: 0 } as unknown as Side;
    s.session = new TimedDtlsSession<string>({
      binding: napiDtlsBinding, clock: time, timers: time, role, credentials,
      ...(role === "client" ? { peer: SERVER_ADDR } : {}),
      send: (d) => { s.sent++; deliver(role === "client" ? "server" : "client", d); },
      events: {
        onAccepted: (p) => s.accepted.push(p),
        onConnected: () => s.connected++,
        onData: (d) => s.data.push(d),
        onClosed: (reason, error) => { s.closed = { reason, error }; },
      },
    });
    return s;
  };
  sides.server = side("server", server);
  sides.client = side("client", client);
  return { client: sides.client, server: sides.server };
}

export function ascii(s: string): Uint8Array { return Uint8Array.from(s, (c) => c.charCodeAt(0)); }
export function text(b: Uint8Array): string { return String.fromCharCode(...b); }
export function psk(key: string, identity = "Client_identity"): DtlsCredentials {
  return { mode: "psk", key: ascii(key), identity: ascii(identity) };
}
