// Finds what the firmware must not use: Node modules and globals that XS (xsnap's XS 13.3
// or a Moddable device build) does not have. Comments and string contents are ignored.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** Globals present in Node but absent (or not global) on a Moddable device build. */
export const FORBIDDEN_GLOBALS = [
  "Buffer", "process", "require", "module", "exports", "__dirname", "__filename", "global",
  "setTimeout", "setInterval", "clearTimeout", "clearInterval", "setImmediate", "queueMicrotask",
  "console", "structuredClone", "fetch", "URL", "URLSearchParams", "TextEncoder", "TextDecoder",
  "atob", "btoa", "crypto", "performance", "navigator", "window", "document",
] as const;

/** Module specifiers the device code may import (Moddable's own), only under src/platform/moddable/. */
export const MODDABLE_SPECIFIERS = /^(embedded:|timer$|time$|mc\/|wifi$|net$|setup\/|dtls$|udp6$|hwrandom$)/;

export interface Finding { file: string; line: number; what: string }

function stripCommentsAndStrings(src: string): string {
  // Replace comment and string bodies with spaces, keeping line numbers and import specifiers
  // (specifiers are checked separately from the raw text).
  let out = "";
  let i = 0;
  while (i < src.length) {
    const c = src[i]!, n = src[i + 1];
    if (c === "/" && n === "/") { while (i < src.length && src[i] !== "\n") { out += " "; i++; } continue; }
    if (c === "/" && n === "*") {
      while (i < src.length && !(src[i] === "*" && src[i + 1] === "/")) { out += src[i] === "\n" ? "\n" : " "; i++; }
      out += "  "; i += 2; continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      out += c; i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === "\\") { out += "  "; i += 2; continue; }
        out += src[i] === "\n" ? "\n" : " "; i++;
      }
      out += c; i++; continue;
    }
    out += c; i++;
  }
  return out;
}

export function scanSource(file: string, src: string, allowModdable: boolean): Finding[] {
  const findings: Finding[] = [];
  const lineOf = (index: number) => src.slice(0, index).split("\n").length;
  const importRe = /(?:\bimport\b[^'"`;]*?\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bexport\b[^'"`;]*?\bfrom\s*)(['"])([^'"]+)\1/g;
  for (const m of src.matchAll(importRe)) {
    const spec = m[2]!;
    if (spec.startsWith("./") || spec.startsWith("../")) continue;
    if (allowModdable && MODDABLE_SPECIFIERS.test(spec)) continue;
    findings.push({ file, line: lineOf(m.index!), what: `imports "${spec}"` });
  }
  const code = stripCommentsAndStrings(src);
  const globalRe = new RegExp(`(?<![.\\w$#])(${FORBIDDEN_GLOBALS.join("|")})(?![\\w$])(?!\\s*:(?!:))`, "g");
  for (const m of code.matchAll(globalRe)) {
    // `declare module "x"` is an ambient declaration, not the CommonJS `module` object.
    if (m[1] === "module" && /\bdeclare\s+$/.test(code.slice(Math.max(0, m.index! - 20), m.index!))) continue;
    findings.push({ file, line: lineOf(m.index!), what: `uses global ${m[1]}` });
  }
  return findings;
}

export function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTs(p));
    else if (name.endsWith(".ts")) out.push(p);
  }
  return out;
}

export function scanTree(root: string, srcDir: string): Finding[] {
  const findings: Finding[] = [];
  for (const file of listTs(srcDir)) {
    const rel = relative(root, file);
    const allowModdable = rel.startsWith(join("src", "platform", "moddable"));
    findings.push(...scanSource(rel, readFileSync(file, "utf8"), allowModdable));
  }
  return findings;
}
