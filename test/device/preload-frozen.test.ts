// Preloaded modules live in flash only if every object they keep is frozen: xsl reports any
// other as "not frozen" and the device copies it to RAM. This test covers the modules the
// manifest preloads (for every platform), in two ways:
// - at run time, every constant table reachable from their exports must be deeply frozen
//   (test/helpers/preload-frozen.ts walks them as xsl does; test/xs/preload-frozen-xs.test.ts
//   runs the same walk inside XS);
// - in the source, module-level tables that only functions see (closures, invisible to a
//   walk) must be built frozen, and module-level bindings must be const (xsl: "no const").
import test from "ava";
import ts from "typescript";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { moduleMap, readManifest } from "./manifest-model.js";
import { unfrozenPaths } from "../helpers/preload-frozen.js";

const root = new URL("../..", import.meta.url).pathname;
const manifest = readManifest(root);

/** Preloaded module name -> source file, on esp32 (the preload list is platform-independent). */
function preloadedModules(): Map<string, string> {
  const names = moduleMap(root, manifest, "esp32/nodemcu");
  const out = new Map<string, string>();
  for (const entry of manifest.preload) {
    const matches = entry.endsWith("/*") ? [...names.keys()].filter((n) => n.startsWith(entry.slice(0, -1))) : [entry];
    for (const name of matches) {
      const file = names.get(name)?.find((f) => f.endsWith(".ts"));
      if (file) out.set(name, file);
    }
  }
  return out;
}

const modules = preloadedModules();

/** A function's or class's own `prototype` is not a constant table (tracked separately). */
const isPrototypePath = (path: string): boolean => /\.prototype$/.test(path);

test("the preload list resolves to the firmware's pure-logic modules", (t) => {
  for (const name of ["app", "coap/index", "coap/numbers", "cli/coaps-commands", "coaps/ot-error", "coaps/types"]) {
    t.true(modules.has(name), name);
  }
});

test("every constant table reachable from a preloaded module's exports is deeply frozen", async (t) => {
  const namespaces: Record<string, object> = {};
  for (const [name, file] of modules) namespaces[name] = (await import(pathToFileURL(join(root, file)).href)) as object;
  const found = unfrozenPaths(namespaces);
  t.deepEqual(found.filter((p) => !isPrototypePath(p)), []);
  const prototypes = found.filter(isPrototypePath);
  t.log(`function and class prototypes not frozen (xsl counts these too): ${prototypes.length}`);
});

test("the walk finds an unfrozen table, a nested one, and a Map's value, and passes frozen rows, functions and bytes", (t) => {
  const row = Object.freeze([1, 2]);
  const map = Object.freeze(new Map([["k", { open: true }]]));
  const found = unfrozenPaths({
    m: {
      a: Object.freeze({ ok: row, inner: { x: 1 } }),
      b: [1, 2],
      map,
      fine: Object.freeze({ fn: () => 1, bytes: new Uint8Array(2), row }),
    },
  });
  t.deepEqual(found, ['"m": a.inner', '"m": b', '"m": map.get(k)']);
  t.false(found.some((p) => p.includes("fine")));
});

/** Strips `x as T`, `x satisfies T`, `<T>x` and parentheses. */
function bare(node: ts.Expression): ts.Expression {
  while (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node) || ts.isTypeAssertionExpression(node)) node = node.expression;
  return node;
}

/** The argument of `Object.freeze(arg)`, or undefined when `node` is no such call. */
function frozenArgument(node: ts.Expression): ts.Expression | undefined {
  const n = bare(node);
  return ts.isCallExpression(n) && n.expression.getText() === "Object.freeze" ? n.arguments[0] : undefined;
}

/** A table literal, or a Map/Set/Array/Object built with `new`. */
function isTable(node: ts.Expression): boolean {
  const n = bare(node);
  return ts.isObjectLiteralExpression(n) || ts.isArrayLiteralExpression(n) ||
    (ts.isNewExpression(n) && /^(Map|Set|Array|Object)$/.test(n.expression.getText()));
}

/** Problems in one preloaded source file, as "file:line: text". */
function sourceProblems(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const at = (node: ts.Node, what: string) => out.push(`${file}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${what}`);
  /** Inside a frozen literal, nested literals must be frozen too (deeply frozen tables). */
  const checkNested = (node: ts.Expression): void => {
    const n = bare(node);
    const children = ts.isObjectLiteralExpression(n)
      ? n.properties.flatMap((p) => (ts.isPropertyAssignment(p) ? [p.initializer] : []))
      : ts.isArrayLiteralExpression(n) ? [...n.elements] : [];
    for (const child of children) {
      const inner = frozenArgument(child);
      if (inner) checkNested(inner);
      else if (isTable(child) && !ts.isNewExpression(bare(child))) at(child, "nested table not frozen");
    }
  };
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const flags = statement.declarationList.flags;
    if (!(flags & ts.NodeFlags.Const)) at(statement, "module-level binding is not const (xsl: no const)");
    for (const d of statement.declarationList.declarations) {
      if (!d.initializer) continue;
      const inner = frozenArgument(d.initializer);
      if (inner) checkNested(inner);
      else if (isTable(d.initializer)) at(d, `${d.name.getText()}: table not frozen`);
    }
  }
  return out;
}

test("module-level tables in preloaded sources are built frozen and every module binding is const", (t) => {
  const problems = [...modules.values()].flatMap((file) => sourceProblems(file, readFileSync(join(root, file), "utf8")));
  t.deepEqual(problems, []);
});

test("the source check catches an unfrozen table, a nested unfrozen row and a let", (t) => {
  const problems = sourceProblems("x.ts", [
    "const A = { a: 1 };",
    "const B = Object.freeze([[1, 2], Object.freeze([3])]);",
    "const C = Object.freeze(new Map([[1, 2]]));",
    "let d = 0;",
    "const E = new Map();",
    "const F = Object.freeze({ g: Object.freeze({ h: {} }) });",
    "const ok = 5, fn = () => ({ made: 'per call' });",
  ].join("\n"));
  t.deepEqual(problems, [
    "x.ts:1: A: table not frozen",
    "x.ts:2: nested table not frozen",
    "x.ts:4: module-level binding is not const (xsl: no const)",
    "x.ts:5: E: table not frozen",
    "x.ts:6: nested table not frozen",
  ]);
});
