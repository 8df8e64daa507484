// Replays a spec §13 transcript on simulated nodes and checks each console byte for byte.
//
// A transcript line that echoes a command (`coaps …` or `COAPS …` that is not one of the
// asynchronous lines of §4) is typed on its node; every other line is expected output. Before
// each typed line, the virtual clock runs until every console shows everything listed so far
// (causal order), so waits such as the 2 s guard or the 118 s handshake timeout pass by
// themselves. Each completed console line is time-stamped on the virtual clock for the §9
// checks. `[h32x]` stands for 32 lower-case hex characters; equal labels mean equal bytes,
// across consoles too.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createSim, type Sim, type NodeSpec } from "../../host-sim/harness.js";

export const ADDRESS = {
  S: "fdde:ad00:beef:0:9903:14b:27e0:5744",
  C: "fdde:ad00:beef:0:9e68:576f:714c:f395",
  N3: "fdde:ad00:beef:0:2f1a:b30:463:7534",
} as const;
export type Label = keyof typeof ADDRESS;
export const ID: Readonly<Record<Label, number>> = { S: 1, C: 2, N3: 3 };

export interface TranscriptLine { readonly label: Label; readonly text: string }

const ASYNC = /^(coaps (connected|disconnected|request from |response sent|response from |receive response error |send response error )|send block: |received block: )/;

export function loadTranscript(name: string): TranscriptLine[] {
  const file = fileURLToPath(new URL(`./transcripts/${name}`, import.meta.url));
  return parseLines(readFileSync(file, "latin1"));
}

export function parseLines(text: string): TranscriptLine[] {
  const out: TranscriptLine[] = [];
  for (const raw of text.split("\n")) {
    if (raw === "" || raw.startsWith("#")) continue;
    const bar = raw.indexOf("|");
    const label = raw.slice(0, bar) as Label;
    if (!(label in ADDRESS)) throw new Error(`bad transcript line ${JSON.stringify(raw)}`);
    out.push({ label, text: raw.slice(bar + 1) });
  }
  return out;
}

const stripPrompt = (s: string): string => (s.startsWith("> ") ? s.slice(2) : s);

export function isTypedCommand(text: string): boolean {
  const content = stripPrompt(text);
  if (ASYNC.test(content)) return false;
  return content === "coaps" || /^(coaps|COAPS) /.test(content);
}

export interface NodeOptions { readonly extraAddresses?: readonly string[] }

/** Simulated S, C (and N3) with the spec's addresses. */
export async function specSim(labels: readonly Label[], extra: Partial<Record<Label, NodeOptions>> = {}): Promise<Sim> {
  const nodes: NodeSpec[] = labels.map((l) => ({
    id: ID[l], addresses: [ADDRESS[l]], ...(extra[l]?.extraAddresses ? { extraAddresses: extra[l]!.extraAddresses! } : {}),
  }));
  return createSim({ seed: 7, nodes });
}

interface StampedLine { readonly label: Label; readonly text: string; readonly time: number }

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export class Replay {
  readonly sim: Sim;
  readonly labels: readonly Label[];
  readonly #start = new Map<Label, number>();
  readonly #expected = new Map<Label, string>();
  readonly #scanned = new Map<Label, number>();
  readonly stamped: StampedLine[] = [];
  /** Virtual ms to wait for expected output before giving up. */
  limitMs = 200_000;

  constructor(sim: Sim, labels: readonly Label[]) {
    this.sim = sim;
    this.labels = labels;
    for (const l of labels) this.#scanned.set(l, 0);
    this.mark();
  }

  /** From here on, console output is compared (a pending `> ` is kept as the first bytes). */
  mark(): void {
    this.#scan();
    for (const l of this.labels) {
      const t = this.#console(l).transcript();
      this.#start.set(l, t.endsWith("> ") ? t.length - 2 : t.length);
      this.#expected.set(l, "");
    }
  }

  /** Plays the lines: typed commands are sent (after `beforeTyping`), everything else is awaited. */
  play(lines: readonly TranscriptLine[], beforeTyping?: (line: TranscriptLine) => void): void {
    for (const line of lines) {
      if (isTypedCommand(line.text)) {
        this.#waitFor(line.label, line.text.startsWith("> ") ? "> " : "");
        beforeTyping?.(line);
        this.#console(line.label).send(stripPrompt(line.text));
        this.#scan();
      }
      this.#expected.set(line.label, this.#expected.get(line.label)! + line.text + "\r\n");
    }
  }

  /** Runs until every console shows its expected text, then `settleMs` more; returns the compared parts. */
  finish(settleMs = 3000): Map<Label, { actual: string; pattern: RegExp; expected: string }> {
    this.#waitFor();
    this.sim.advance(settleMs);
    this.#scan();
    const out = new Map<Label, { actual: string; pattern: RegExp; expected: string }>();
    for (const l of this.labels) {
      const expected = this.#expected.get(l)!;
      out.set(l, { actual: this.#actual(l), pattern: new RegExp(`^${toPattern(expected)}(?:> )?$`), expected });
    }
    return out;
  }

  /** Virtual time at which the `nth` console line of `label` reading `text` (prompt stripped) was complete. */
  timeOf(label: Label, text: string | RegExp, nth = 1): number {
    let seen = 0;
    for (const s of this.stamped) {
      if (s.label !== label) continue;
      const content = stripPrompt(s.text);
      if (typeof text === "string" ? content === text : text.test(content)) if (++seen === nth) return s.time;
    }
    throw new Error(`${label} never printed ${String(text)} (${nth})`);
  }

  #console(l: Label) {
    return this.sim.console(ID[l]);
  }

  #actual(l: Label): string {
    return this.#console(l).transcript().slice(this.#start.get(l)!);
  }

  #settled(l: Label, extra = ""): boolean {
    return new RegExp(`^${toPattern(this.#expected.get(l)! + extra)}`).test(this.#actual(l));
  }

  /** Runs the clock until every console shows what is expected so far (plus `prefix` on `label`). */
  #waitFor(label?: Label, prefix = ""): void {
    const ready = (): boolean => this.labels.every((l) => this.#settled(l, l === label ? prefix : ""));
    const ok = this.sim.runUntil(() => { this.#scan(); return ready(); }, this.limitMs);
    this.#scan();
    if (!ok) {
      const which = this.labels.filter((l) => !this.#settled(l, l === label ? prefix : ""));
      throw new Error(`timed out waiting for ${which.join(", ")}:\n` +
        which.map((l) => `expected ${JSON.stringify(this.#expected.get(l) + (l === label ? prefix : ""))}\nactual   ${JSON.stringify(this.#actual(l))}`).join("\n"));
    }
  }

  #scan(): void {
    const now = this.sim.clock.now();
    for (const l of this.labels) {
      const t = this.#console(l).transcript();
      let from = this.#scanned.get(l)!;
      for (;;) {
        const end = t.indexOf("\r\n", from);
        if (end < 0) break;
        let text = t.slice(from, end);
        while (text.startsWith("> ")) text = text.slice(2);
        this.stamped.push({ label: l, text, time: now });
        from = end + 2;
      }
      this.#scanned.set(l, from);
    }
  }
}

/** Regex source of expected console text: `[h32x]` placeholders become hex groups. */
function toPattern(expected: string): string {
  const seen = new Set<string>();
  return expected.split(/(\[h32[a-z]\])/).map((part) => {
    const m = /^\[h32([a-z])\]$/.exec(part);
    if (!m) return escape(part);
    const name = `h${m[1]}`;
    if (seen.has(name)) return `\\k<${name}>`;
    seen.add(name);
    return `(?<${name}>[0-9a-f]{32})`;
  }).join("");
}

/** Placeholder values captured on each console; the same label must hold the same bytes everywhere. */
export function placeholderValues(results: Map<Label, { actual: string; pattern: RegExp }>): Map<string, Set<string>> {
  const values = new Map<string, Set<string>>();
  for (const { actual, pattern } of results.values()) {
    const groups = pattern.exec(actual)?.groups ?? {};
    for (const [k, v] of Object.entries(groups)) {
      if (!values.has(k)) values.set(k, new Set());
      values.get(k)!.add(v);
    }
  }
  return values;
}
