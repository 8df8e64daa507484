// Records one simulated run as a message sequence chart: every datagram the SimNetwork carries
// (with what became of it) and the lines typed on and printed by each node's console.
//
// CoAP inside DTLS is encrypted on the wire. The recorder wraps the simulation's DtlsBinding:
// each engine's write(plaintext) is remembered, and the next datagram takeOutgoing() returns
// with an application record is filed under its exact bytes; when the network then sees that
// datagram, the chart labels it from the plaintext. This stays on the host side, below the
// firmware (src/ is untouched), and works for XS nodes too since they reach the same binding.
//
//   const msc = new MscRecorder();
//   const sim = await createSim({ dtls: msc.wrapBinding(await loadDtlsBinding()), ... });
//   msc.attach(sim);                       // network taps
//   msc.addNode(sim.addNode(1));           // lines typed on and printed by node 1's console
//   writeFileSync("run.svg", renderSvg(msc.chart()));
import type { DtlsBinding, DtlsEngine } from "../../src/platform/dtls-binding.js";
import type { Sim } from "../harness.js";
import type { SimNode } from "../sim-node.js";
import { latin1Encode } from "../../src/bytes/text.js";
import type { DropReason, SimDatagram } from "../sim-network.js";
import { CONTENT_ALERT, CONTENT_APPLICATION_DATA, dtlsRecords, labelDatagram, type DatagramKind } from "./label.js";

export type Outcome =
  | { readonly kind: "delivered"; readonly time: number; readonly afterRow: number }
  | { readonly kind: "dropped"; readonly time: number; readonly afterRow: number; readonly reason: DropReason };

export interface DatagramEvent {
  readonly type: "datagram";
  readonly row: number;
  readonly time: number;
  /** Sender node id (0: from outside the simulated network). */
  readonly from: number;
  /** Receiver node id (0: no simulated node has the address). */
  readonly to: number;
  readonly toAddress: string;
  readonly kind: DatagramKind;
  readonly label: string;
  readonly detail: readonly string[];
  readonly size: number;
  /** One per copy that arrived or was dropped; none while still in flight at the end. */
  readonly outcomes: Outcome[];
  /** The destination is not on this simulated network (a node in another terminal, reached over the loopback bridge). */
  readonly external: boolean;
}

export interface NoteEvent {
  readonly type: "note";
  readonly row: number;
  readonly time: number;
  readonly node: number;
  /** input: a line typed on the console; output: a line the node printed. */
  readonly kind: "input" | "output";
  readonly text: string;
}

/** A change to the network (a scenario's loss, partition or heal line), drawn across the chart. */
export interface NetworkEvent {
  readonly type: "network";
  readonly row: number;
  readonly time: number;
  readonly text: string;
}

export type ChartEvent = DatagramEvent | NoteEvent | NetworkEvent;

export interface ChartNode {
  readonly id: number;
  readonly address: string;
}

export interface Chart {
  readonly nodes: readonly ChartNode[];
  readonly events: readonly ChartEvent[];
  readonly endTime: number;
  readonly title: string;
  /** Each node's console bytes (CR LF and prompts kept), for the HTML view. */
  readonly consoles: ReadonlyMap<number, string>;
}

/** Node n's default address fdde:ad00:beef:0:0:0:0:<n hex> -> n (a node in another terminal); else 0. */
function defaultNodeId(address: string): number {
  const m = /^fdde:ad00:beef:0:0:0:0:([0-9a-f]{1,4})$/.exec(address);
  return m ? parseInt(m[1]!, 16) : 0;
}

function bytesKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** Console bytes as a terminal shows them: CR LF line ends, backspace and CR move the cursor back. */
export function terminalText(bytes: string): string {
  return bytes.split("\n").map((raw) => {
    const cells: string[] = [];
    let cursor = 0;
    for (const ch of raw.replace(/\r$/, "")) {
      if (ch === "\b") cursor = Math.max(0, cursor - 1);
      else if (ch === "\r") cursor = 0;
      else cells[cursor++] = ch;
    }
    return cells.join("");
  }).join("\n");
}

/** Console output lines the chart leaves out: "Done" and the hex lines of block transfers. */
const QUIET_OUTPUT = /^(Done|[0-9a-f]{16,})$/;

export class MscRecorder {
  readonly #events: ChartEvent[] = [];
  readonly #nodes = new Map<number, ChartNode>();
  readonly #byDatagram = new Map<SimDatagram, DatagramEvent>();
  /** Plaintexts of application records, by the exact bytes of the datagram that carries them. */
  readonly #plaintexts = new Map<string, { plain: Uint8Array[]; closing: boolean }>();
  readonly #consoles = new Map<number, () => string>();
  /** Lines typed on each node not yet echoed back (the echo is not drawn again). */
  readonly #echoes = new Map<number, string[]>();
  #now: () => number = () => 0;
  #idOf: (address: string) => number = defaultNodeId;
  #isLocal: (address: string) => boolean = () => true;
  #title: string;

  constructor(title = "moddable-coaps simulation") {
    this.#title = title;
  }

  /** A binding whose engines report their plaintext to this recorder. */
  wrapBinding(inner: DtlsBinding): DtlsBinding {
    // Arguments pass through untouched, whatever createEngine's signature is.
    return { createEngine: (...args: Parameters<DtlsBinding["createEngine"]>) => this.#tap(inner.createEngine(...args)) };
  }

  #tap(engine: DtlsEngine): DtlsEngine {
    const written: Uint8Array[] = [];
    let closing = false;
    const wrapped: DtlsEngine = {
      setClientId: (id) => engine.setClientId(id),
      feed: (now, d) => engine.feed(now, d),
      takeOutgoing: () => {
        const d = engine.takeOutgoing();
        if (d === undefined) return d;
        const records = dtlsRecords(d) ?? [];
        const apps = records.filter((r) => r.contentType === CONTENT_APPLICATION_DATA).length;
        const alert = records.some((r) => r.contentType === CONTENT_ALERT && r.epoch > 0);
        if (apps > 0 || (alert && closing)) this.#plaintexts.set(bytesKey(d), { plain: written.splice(0, apps), closing });
        return d;
      },
      write: (now, data) => {
        engine.write(now, data);
        written.push(data.slice());
      },
      read: () => engine.read(),
      handleTimer: (now) => engine.handleTimer(now),
      nextDeadline: () => engine.nextDeadline(),
      state: () => engine.state(),
      error: () => engine.error(),
      cipherSuite: () => engine.cipherSuite(),
      close: (now) => {
        closing = true;
        engine.close(now);
      },
      free: () => engine.free(),
    };
    // Only offer keyLog when the inner engine has it (the pcap writer checks for it).
    if (engine.keyLog) wrapped.keyLog = () => engine.keyLog?.();
    return wrapped;
  }

  /** Listens to the simulation's network and clock. */
  attach(sim: Sim): void {
    this.#now = () => sim.clock.now();
    this.#idOf = (address) => sim.network.nodeByAddress(address)?.id ?? defaultNodeId(address);
    this.#isLocal = (address) => sim.network.nodeByAddress(address) !== undefined;
    sim.network.addTap((d) => this.#sent(d));
    sim.network.addObserver({
      delivered: (d) => this.#outcome(d, { kind: "delivered", time: this.#now(), afterRow: this.#events.length - 1 }),
      dropped: (d, _to, reason) => this.#outcome(d, { kind: "dropped", time: this.#now(), afterRow: this.#events.length - 1, reason }),
    });
  }

  /** Gives the node a lifeline and draws the lines typed on its console and those it prints. */
  addNode(node: SimNode): void {
    this.#lifeline(node.id, node.address);
    this.#consoles.set(node.id, () => node.wire.output());
    // The recorder listens to the UART both ways: ConsoleWire reports output, and typing goes
    // through wire.type (scripted consoles and the terminal alike), so that is where input is heard.
    const heard = this.#keystrokes(node.id);
    const wire = node.wire;
    const type = wire.type.bind(wire);
    wire.type = (bytes) => {
      heard(typeof bytes === "string" ? latin1Encode(bytes) : bytes);
      type(bytes);
    };
    let partial = "";
    node.wire.onOutput((text) => {
      partial += text;
      let end: number;
      while ((end = partial.indexOf("\n")) >= 0) {
        const line = partial.slice(0, end).replace(/\r$/, "");
        partial = partial.slice(end + 1);
        this.#printed(node.id, line);
      }
    });
  }

  /** Keystrokes typed on node `id`; each completed line becomes a note. */
  #keystrokes(id: number): (bytes: Uint8Array) => void {
    let line = "";
    return (bytes) => {
      for (const b of bytes) {
        if (b === 0x0d || b === 0x0a) {
          if (line !== "") this.#typed(id, line);
          line = "";
        } else if (b === 0x08 || b === 0x7f) {
          line = line.slice(0, -1);
        } else if (b >= 0x20) {
          line += String.fromCharCode(b);
        }
      }
    };
  }

  #typed(id: number, line: string): void {
    this.#note(id, "input", line);
    const echoes = this.#echoes.get(id) ?? [];
    echoes.push(line);
    this.#echoes.set(id, echoes);
  }

  /** A network change, e.g. "partition 1 | 2". */
  network(text: string): void {
    this.#events.push({ type: "network", row: this.#events.length, time: this.#now(), text });
  }

  /** The run so far (a snapshot: what happens afterwards, such as shutdown traffic, is not in it). */
  chart(): Chart {
    const consoles = new Map([...this.#consoles].sort(([a], [b]) => a - b).map(([id, out]) => [id, out()]));
    return {
      nodes: [...this.#nodes.values()].sort((a, b) => a.id - b.id),
      events: this.#events.map((e) => (e.type === "datagram" ? { ...e, outcomes: [...e.outcomes] } : e)),
      endTime: this.#now(),
      title: this.#title,
      consoles,
    };
  }

  #lifeline(id: number, address: string): void {
    if (id !== 0 && !this.#nodes.has(id)) this.#nodes.set(id, { id, address });
  }

  #printed(id: number, raw: string): void {
    const shown = terminalText(raw);
    const line = shown.startsWith("> ") ? shown.slice(2) : shown;
    const echoes = this.#echoes.get(id);
    if (echoes && echoes.length > 0 && echoes[0] === line) { echoes.shift(); return; }
    if (line.trim() === "" || QUIET_OUTPUT.test(line)) return;
    this.#note(id, "output", line);
  }

  #note(node: number, kind: NoteEvent["kind"], text: string): void {
    this.#events.push({ type: "note", row: this.#events.length, time: this.#now(), node, kind, text });
  }

  #sent(d: SimDatagram): DatagramEvent {
    const key = bytesKey(d.bytes);
    const tapped = this.#plaintexts.get(key);
    this.#plaintexts.delete(key);
    const label = labelDatagram(d.bytes, tapped?.plain, tapped?.closing);
    const from = this.#idOf(d.source.text), to = this.#idOf(d.destination.text);
    this.#lifeline(from, d.source.text);
    this.#lifeline(to, d.destination.text);
    const event: DatagramEvent = {
      type: "datagram", row: this.#events.length, time: d.sentAt, from, to, toAddress: d.destination.text,
      kind: label.kind, label: label.text, detail: label.detail, size: d.bytes.length, outcomes: [],
      external: !this.#isLocal(d.destination.text),
    };
    this.#events.push(event);
    this.#byDatagram.set(d, event);
    return event;
  }

  #outcome(d: SimDatagram, outcome: Outcome): void {
    // Datagrams from outside (the loopback bridge) were never seen sent: they start here.
    let event = this.#byDatagram.get(d);
    if (!event) {
      event = this.#sent(d);
      outcome = { ...outcome, afterRow: event.row };
    }
    event.outcomes.push(outcome);
  }
}
