import test from "ava";
import { MAX_TOKENS, tokenize } from "../../src/cli/tokenize.js";
import { OtError } from "../../src/coaps/ot-error.js";

// OpenThread's ParseCmd, char by char: the model every line must split as, whichever way
// tokenize takes (it splits plain lines natively and scans the others).
function parseCmdModel(line: string): string[] | OtError {
  const sep = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n";
  const tokens: string[] = [];
  let current: string | undefined;
  for (let i = 0; i < line.length; i++) {
    let c = line[i]!;
    const escaped = c === "\\" && (sep(line[i + 1]) || line[i + 1] === "\\");
    if (escaped) c = line[++i]!;
    if (!escaped && sep(c)) {
      if (current !== undefined) tokens.push(current);
      current = undefined;
      continue;
    }
    if (current === undefined && tokens.length >= MAX_TOKENS) return OtError.InvalidArgs;
    current = (current ?? "") + c;
  }
  if (current !== undefined) tokens.push(current);
  return tokens;
}

test("every line of up to 6 chars from words, separators and backslashes splits as ParseCmd does", (t) => {
  const alphabet = ["a", "b", " ", "\t", "\\", "\r", "\n"];
  let lines = [""];
  let checked = 0;
  for (let length = 0; length <= 6; length++) {
    for (const line of lines) {
      const got = tokenize(line), want = parseCmdModel(line);
      if (JSON.stringify(got) !== JSON.stringify(want)) t.fail(`${JSON.stringify(line)}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
      checked++;
    }
    lines = lines.flatMap((l) => alphabet.map((c) => l + c));
  }
  t.true(checked > 100_000);
});

test("plain lines: runs of spaces separate, leading and trailing spaces vanish", (t) => {
  t.deepEqual(tokenize("coaps get test-resource con"), ["coaps", "get", "test-resource", "con"]);
  t.deepEqual(tokenize("  coaps   get  "), ["coaps", "get"]);
  t.deepEqual(tokenize("   "), []);
  t.deepEqual(tokenize(""), []);
});

test("31 tokens are fine, a 32nd fails with InvalidArgs, however the words are separated", (t) => {
  const words = (n: number, gap: string) => Array.from({ length: n }, (_, i) => `w${i}`).join(gap);
  for (const gap of [" ", "   ", "\t", " \t"]) {
    const ok = tokenize(`${words(MAX_TOKENS, gap)}   `);
    t.is(Array.isArray(ok) ? ok.length : ok, MAX_TOKENS, JSON.stringify(gap));
    t.is(tokenize(words(MAX_TOKENS + 1, gap)), OtError.InvalidArgs, JSON.stringify(gap));
  }
});
