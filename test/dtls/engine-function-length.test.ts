// The DTLS engine's C (native/dtls_*.c and native/dtls_*.h) keeps every function at 40 lines or
// fewer, counted from the definition's first line to its closing brace (issue 13). The counter
// is checked first on sources built to trip a naive one.
import test from "ava";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { blankNonCode, cFunctions } from "./helpers/c-functions.js";

const native = fileURLToPath(new URL("../../native/", import.meta.url));
const MAX_LINES = 40;

const engineFiles = readdirSync(native).filter((f) => /^dtls_.*\.[ch]$/.test(f)).sort();

test("the counter ignores braces in comments, literals and directives and counts from the first line of the definition", (t) => {
  const src = [
    "#include <stdio.h>",                                 // 1
    "#define OPEN {",                                      // 2
    "struct s { int a; };",                                // 3
    "static const int table[] = {1, 2};",                  // 4
    "#ifdef __cplusplus",                                  // 5
    'extern "C" {',                                        // 6
    "#endif",                                              // 7
    "/* } not code { */",                                  // 8
    "static int",                                          // 9
    "two_lines(int (*f)(int), const char *s) {",           // 10
    '  const char *x = "}{"; char c = \'}\'; // }',        // 11
    "  return f(x[0] + c + s[0]);",                        // 12
    "}",                                                   // 13
    "int one(void) { return 1; }",                         // 14
    "#ifdef __cplusplus",                                  // 15
    "}",                                                   // 16
    "#endif",                                              // 17
  ].join("\n");
  t.deepEqual(cFunctions(src), [
    { name: "two_lines", firstLine: 9, lastLine: 13, lines: 5 },
    { name: "one", firstLine: 14, lastLine: 14, lines: 1 },
  ]);
});

test("the counter reports a 41-line function as 41 lines", (t) => {
  const body = Array.from({ length: 39 }, (_, i) => `  if (x == ${i}) { x++; }`);
  const [fn] = cFunctions(["int long_one(int x) {", ...body, "}"].join("\n"));
  t.is(fn?.lines, 41);
});

test("the counter finds every function of the engine's API where it is defined", (t) => {
  const api = [...blankNonCode(readFileSync(join(native, "dtls_engine.h"), "utf8")).matchAll(/\b(dtls_(?:engine|state|error)_\w+)\(/g)].map((m) => m[1]!);
  t.true(api.length >= 20, "dtls_engine.h declares the API");
  const defined = new Set(engineFiles.flatMap((f) => cFunctions(readFileSync(join(native, f), "utf8")).map((fn) => fn.name)));
  t.deepEqual(api.filter((name) => !defined.has(name)), []);
});

test(`every function in the engine's C files is at most ${MAX_LINES} lines`, (t) => {
  t.true(engineFiles.includes("dtls_engine.c"));
  const tooLong = engineFiles.flatMap((f) =>
    cFunctions(readFileSync(join(native, f), "utf8")).filter((fn) => fn.lines > MAX_LINES).map((fn) => `${f}:${fn.firstLine} ${fn.name}: ${fn.lines} lines`));
  t.deepEqual(tooLong, []);
});
