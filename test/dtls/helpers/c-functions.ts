// Finds the function definitions in C source text, for the engine's size rule (functions of at
// most 40 lines, counted from the first line of the definition to its closing brace, blank and
// comment lines included). Comments, string and character literals and preprocessor lines are
// blanked first (newlines kept), so braces inside them do not count; then braces are matched,
// and a block opened at file scope is a function body when the text before it ends in a
// parameter list. `extern "C" { ... }` does not hide the definitions inside it.

export interface CFunction {
  name: string;
  /** 1-based line of the definition's first token (return type or storage class). */
  firstLine: number;
  /** 1-based line of the closing brace. */
  lastLine: number;
  lines: number;
}

/** The source with comments, literals and preprocessor lines replaced by spaces. */
export function blankNonCode(src: string): string {
  const out = src.split("");
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  let i = 0;
  let lineStart = true;
  while (i < src.length) {
    const c = src[i]!;
    if (lineStart && /[ \t]/.test(c)) { i++; continue; }
    if (lineStart && c === "#") { // a directive, with its backslash continuations and comments
      let j = i;
      while (j < src.length && !(src[j] === "\n" && src[j - 1] !== "\\")) {
        if (src.startsWith("/*", j)) { const e = src.indexOf("*/", j + 2); j = e < 0 ? src.length : e + 2; continue; }
        j++;
      }
      blank(i, j);
      i = j;
      continue;
    }
    lineStart = c === "\n";
    if (src.startsWith("//", i)) {
      const e = src.indexOf("\n", i);
      const j = e < 0 ? src.length : e;
      blank(i, j);
      i = j;
    } else if (src.startsWith("/*", i)) {
      const e = src.indexOf("*/", i + 2);
      const j = e < 0 ? src.length : e + 2;
      blank(i, j);
      i = j;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
      blank(i, j + 1);
      i = j + 1;
    } else {
      i++;
    }
  }
  return out.join("");
}

const HEADER = /\b([A-Za-z_]\w*)\s*\((?:[^()]|\([^()]*\))*\)\s*$/;

/** Every function definition in `src`, in order. */
export function cFunctions(src: string): CFunction[] {
  const code = blankNonCode(src);
  const found: CFunction[] = [];
  type Block = { kind: "function" | "linkage" | "other"; name: string; firstLine: number };
  const stack: Block[] = [];
  const atFileScope = () => stack.every((b) => b.kind === "linkage");
  let line = 1;
  let pending = ""; // file-scope text since the last ';', '{' or '}'
  let pendingLine = 0; // line of its first non-space character
  for (const c of code) {
    if (c === "\n") line++;
    if (c === "{") {
      const text = pending.trim();
      let block: Block = { kind: "other", name: "", firstLine: line };
      if (atFileScope()) {
        const m = HEADER.exec(text);
        if (/^extern\s*$/.test(text)) block = { kind: "linkage", name: "", firstLine: line };
        else if (m && !/[=]/.test(text) && !/^(typedef|struct|union|enum)\b/.test(text)) block = { kind: "function", name: m[1]!, firstLine: pendingLine };
      }
      stack.push(block);
      pending = "";
    } else if (c === "}") {
      const block = stack.pop();
      if (block === undefined) throw new Error(`unbalanced '}' at line ${line}`);
      if (block.kind === "function") found.push({ name: block.name, firstLine: block.firstLine, lastLine: line, lines: line - block.firstLine + 1 });
      pending = "";
    } else if (c === ";") {
      pending = "";
    } else if (atFileScope()) {
      if (pending.trim() === "" && /\S/.test(c)) pendingLine = line;
      pending += c;
    }
  }
  if (stack.length > 0) throw new Error("unbalanced '{' at end of file");
  return found;
}
