import test from "ava";
import { loadTranscript, parseLines, placeholderValues, Replay, specSim } from "./replay.js";

test("the replay notices a console that differs from the transcript by one byte", async (t) => {
  const sim = await specSim(["S"]);
  try {
    const lines = loadTranscript("t03.txt").slice(0, 17);
    const r = new Replay(sim, ["S"]);
    r.play(lines.map((l) => (l.text === "x509" ? { ...l, text: "x509 " } : l)));
    r.limitMs = 10;
    t.throws(() => r.finish(0), { message: /timed out waiting for S/ });
  } finally {
    sim.close();
  }
});

test("placeholders with the same label must hold the same bytes on every console", (t) => {
  const hex = "0123456789abcdef0123456789abcdef", other = "f".repeat(32);
  const results = new Map([
    ["S" as const, { actual: `${hex}\r\n`, pattern: /^(?<ha>[0-9a-f]{32})\r\n$/ }],
    ["C" as const, { actual: `${other}\r\n`, pattern: /^(?<ha>[0-9a-f]{32})\r\n$/ }],
  ]);
  t.deepEqual([...placeholderValues(results).get("ha")!], [hex, other]);
});

test("typed commands and expected output are told apart", (t) => {
  const lines = parseLines("S|> coaps start\nS|Done\nC|coaps get a\nC|> coaps connected\nS|coaps request from x GET\nS|COAPS help");
  t.deepEqual(lines.map((l) => l.text), ["> coaps start", "Done", "coaps get a", "> coaps connected", "coaps request from x GET", "COAPS help"]);
});
