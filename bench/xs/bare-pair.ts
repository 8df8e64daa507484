// Two nodes of the product firmware (src/app.ts) on the thinnest platform that runs it: no
// simulator. Time stands still (every timer the GETs need is due at once; the agent's
// retransmission timers are kept but never reached), a datagram is handed to the other node's
// socket on the next turn, the console is a line counter. What a GET costs here is the
// firmware's own work (shell, agent, CoAP, DTLS session and engine) and nothing else, so the
// same module run on Node and inside one XS machine (bare-entry.ts) compares the engines on
// the firmware alone: bench/xs/gets.bench.ts's side figure beside the whole simulation.
// Engine-neutral: no Node API, so XS runs it as it is.
import { startCoapsApp } from "../../src/app.js";
import { latin1Decode, latin1Encode } from "../../src/bytes/text.js";
import type { Platform, TimerHandle, UdpDatagram } from "../../src/platform/index.js";
import type { DtlsBinding } from "../../src/platform/dtls-binding.js";
import { seededRandomSource } from "../../host-sim/prng.js";

const SERVER = "fdde:ad00:beef:0:9903:14b:27e0:5744";
const CLIENT = "fdde:ad00:beef:0:9e68:576f:714c:f395";
const RESPONSE = "coaps response from";

interface Timer { cancelled: boolean; readonly callback: () => void }

export interface BarePair {
  /** Types `coaps get test-resource con` `count` times, each time until its response line. */
  gets(count: number): void;
}

/** Both nodes started, the server serving `test-resource`, the client connected to it over DTLS-PSK. */
export function connectedBarePair(dtls: DtlsBinding): BarePair {
  // Everything due runs from one queue in order, as zero-delay timers would.
  const due: Timer[] = [];
  const runDue = (): void => {
    // Indexed, and emptied once drained: callbacks append to it while it runs.
    for (let i = 0; i < due.length; i++) {
      const t = due[i]!;
      if (!t.cancelled) { t.cancelled = true; t.callback(); }
    }
    due.length = 0;
  };
  const sockets = new Map<string, { readonly queue: UdpDatagram[]; readonly onReadable: (count: number) => void }>();
  let responses = 0;

  const node = (address: string, stream: number, countResponses: boolean) => {
    let typed: Uint8Array | undefined;
    let onSerial: (() => void) | undefined;
    const platform: Platform = {
      clock: { now: () => 0 },
      timers: {
        set: (callback, delayMs) => {
          const timer: Timer = { cancelled: false, callback };
          if (!(delayMs > 0)) due.push(timer);
          return timer as unknown as TimerHandle;
        },
        clear: (handle) => { (handle as unknown as Timer).cancelled = true; },
      },
      udp: (options) => {
        const own = { queue: [] as UdpDatagram[], onReadable: options.onReadable };
        sockets.set(address, own);
        return {
          ipv6: true,
          write: (bytes, to) => {
            const peer = sockets.get(to);
            if (peer === undefined) throw new Error("UDP send failed");
            const datagram: UdpDatagram = { bytes: bytes.slice(), address, port: 5684 };
            due.push({ cancelled: false, callback: () => { peer.queue.push(datagram); peer.onReadable(peer.queue.length); } });
          },
          read: () => own.queue.shift(),
          close: () => { sockets.delete(address); },
        };
      },
      serial: (options) => {
        onSerial = () => options.onReadable(typed?.length ?? 0);
        return {
          write: (bytes) => { if (countResponses && latin1Decode(bytes).indexOf(RESPONSE) >= 0) responses++; },
          read: () => { const t = typed; typed = undefined; return t; },
        };
      },
      random: seededRandomSource(3, stream),
      dtls,
    };
    startCoapsApp(platform, {});
    return (line: string): void => {
      typed = latin1Encode(`${line}\r`);
      due.push({ cancelled: false, callback: () => onSerial!() });
      runDue();
    };
  };

  const server = node(SERVER, 1, false);
  const client = node(CLIENT, 2, true);
  for (const line of ["coaps psk secretPSK id1", "coaps start", "coaps resource test-resource", "coaps set Hello"]) server(line);
  for (const line of ["coaps psk secretPSK id1", "coaps start", `coaps connect ${SERVER}`]) client(line);
  // The handshake ran within the connect (every flight is delivered at once); a GET proves it.
  return {
    gets(count) {
      for (let i = 0; i < count; i++) {
        const before = responses;
        client("coaps get test-resource con");
        if (responses !== before + 1) throw new Error(`bare pair: GET ${i} got ${responses - before} responses`);
      }
    },
  };
}
