// Splits a command line into tokens the way OpenThread's ParseCmd does (spec §1.2).

import { OtError } from "../coaps/ot-error.js";

/** Tokens per line, the command word included; one more fails the line with InvalidArgs. */
export const MAX_TOKENS = 31;

const isSeparator = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\r" || c === "\n";

/** What only the char-by-char scan handles: escapes and separators other than the space. */
const NEEDS_SCAN = /[\\\t\r\n]/;

/**
 * A backslash before a separator or another backslash makes that character literal and is
 * dropped; before anything else it stays. No quoting. Returns the tokens or an OtError.
 */
export function tokenize(line: string): string[] | OtError {
  // Typed commands are words between spaces. The engine's split does that in one call; the
  // scan below costs an interpreter (XS) about 100 operations per character.
  return NEEDS_SCAN.test(line) ? scan(line) : splitOnSpaces(line);
}

function splitOnSpaces(line: string): string[] | OtError {
  const words = line.split(" ");
  const tokens: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.length === 0) continue;
    if (tokens.length >= MAX_TOKENS) return OtError.InvalidArgs;
    tokens.push(word);
  }
  return tokens;
}

function scan(line: string): string[] | OtError {
  const tokens: string[] = [];
  let current: string | undefined;
  // Chars split out once: indexing a string scans it from the start on XS (UTF-8 strings).
  const chars = line.split("");
  const n = chars.length;
  for (let i = 0; i < n; i++) {
    let c = chars[i]!;
    let literal = false;
    if (c === "\\" && (isSeparator(chars[i + 1]) || chars[i + 1] === "\\")) {
      c = chars[++i]!;
      literal = true;
    }
    if (!literal && isSeparator(c)) {
      if (current !== undefined) { tokens.push(current); current = undefined; }
      continue;
    }
    if (current === undefined) {
      if (tokens.length >= MAX_TOKENS) return OtError.InvalidArgs;
      current = "";
    }
    current += c;
  }
  if (current !== undefined) tokens.push(current);
  return tokens;
}
