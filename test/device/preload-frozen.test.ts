// Preloaded modules live in flash only if every object they keep is frozen: xsl reports any
// other as "not frozen" and the device copies it to RAM. This test covers the modules the
// manifest preloads (for every platform), in two ways:
// - at run time, every constant table reachable from their exports must be deeply frozen
//   (test/helpers/preload-frozen.ts walks them as xsl does; test/xs/preload-frozen-xs.test.ts
//   runs the same walk inside XS);
// - in the source, module-level tables that only functions see (closures, invisible to a
//   walk) must be built frozen, and module-level bindings must be const (xsl: "no const");
//   so must every binding captured by a closure that a function called at preload builds (a
//   handler factory's parameter: xsl "no const"), unless it holds a function (xsl makes those
//   const itself).
// scripts/check-xsl.sh runs the real xsc and xsl over the ESP32 build when the SDK is at hand.
import test from "ava";
import ts from "typescript";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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

test("the preload list resolves to the firmware's pure-logic modules", (t) => {
  for (const name of ["app", "coap/index", "coap/numbers", "cli/coaps-commands", "coaps/ot-error", "coaps/types"]) {
    t.true(modules.has(name), name);
  }
});

test("every object reachable from a preloaded module's exports is deeply frozen or frozen by xsl itself", async (t) => {
  const namespaces: Record<string, object> = {};
  for (const [name, file] of modules) namespaces[name] = (await import(pathToFileURL(join(root, file)).href)) as object;
  t.deepEqual(unfrozenPaths(namespaces), []);
});

test("like xsl, the walk passes functions and constructors' prototypes, and reports a generator's prototype and a class's unfrozen static table", (t) => {
  class Point { static readonly ORIGIN = { x: 0 }; norm(): number { return 0; } }
  function Legacy(): void { /* a constructor too */ }
  function* counter(): Generator<number> { yield 1; }
  const instance = Object.freeze(new Point());
  const found = unfrozenPaths({ m: Object.freeze({ Point, Legacy, counter, instance, arrow: () => 1 }) });
  t.deepEqual(found, ['"m": Point.ORIGIN', '"m": counter.prototype']);
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

/** The function-like node a callee names (a function, an arrow in a const, a class's constructor), in our sources. */
function calleeBody(checker: ts.TypeChecker, callee: ts.Expression): ts.FunctionLikeDeclaration | undefined {
  let symbol = checker.getSymbolAtLocation(bare(callee));
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (!decl || decl.getSourceFile().isDeclarationFile) return undefined;
  if (ts.isFunctionDeclaration(decl)) return decl;
  if (ts.isVariableDeclaration(decl) && decl.initializer) {
    const init = bare(decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  if (ts.isClassDeclaration(decl)) return decl.members.find(ts.isConstructorDeclaration);
  return undefined;
}

/** True when every value the binding can hold is a function (xsl marks such closures const). */
function holdsFunction(checker: ts.TypeChecker, symbol: ts.Symbol, at: ts.Node): boolean {
  const type = checker.getTypeOfSymbolAtLocation(symbol, at);
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((p) => p.getCallSignatures().length > 0);
}

/**
 * Bindings that xsl would report for closures built at preload: for each call (or `new`) that a
 * module's top level makes to one of our functions, the closures created inside that function
 * keep its parameters and locals alive; each must be const (or hold a function), and a const
 * table there must be built frozen.
 */
function closureProblems(files: readonly string[]): string[] {
  const program = ts.createProgram([...files], {
    strict: true, target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"], types: [], noEmit: true,
    module: ts.ModuleKind.Preserve, moduleResolution: ts.ModuleResolutionKind.Bundler,
  });
  const checker = program.getTypeChecker();
  const out = new Set<string>();
  const analysed = new Set<ts.Node>();
  const within = (inner: ts.Node, outer: ts.Node): boolean => inner.pos >= outer.pos && inner.end <= outer.end;
  const report = (decl: ts.Node, what: string): void => {
    const sf = decl.getSourceFile();
    const file = sf.fileName.startsWith(root) ? sf.fileName.slice(root.length) : sf.fileName;
    out.add(`${file}:${sf.getLineAndCharacterOfPosition(decl.getStart()).line + 1}: ${what}`);
  };
  const captures = (factory: ts.FunctionLikeDeclaration): void => {
    const closures: ts.FunctionLikeDeclaration[] = [];
    const findClosures = (n: ts.Node): void => {
      if (n !== factory && ts.isFunctionLike(n) && "body" in n && n.body) closures.push(n as ts.FunctionLikeDeclaration);
      ts.forEachChild(n, findClosures);
    };
    ts.forEachChild(factory, findClosures);
    for (const closure of closures) {
      const visit = (n: ts.Node): void => {
        if (ts.isIdentifier(n)) {
          const symbol = ts.isShorthandPropertyAssignment(n.parent) && n.parent.name === n
            ? checker.getShorthandAssignmentValueSymbol(n.parent) : checker.getSymbolAtLocation(n);
          const decl = symbol?.valueDeclaration;
          if (symbol && decl && within(decl, factory) && !within(decl, closure) &&
            (ts.isParameter(decl) || ts.isVariableDeclaration(decl) || ts.isBindingElement(decl))) {
            const isConst = !ts.isParameter(decl) && (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) !== 0 &&
              !(ts.isBindingElement(decl) && ts.isParameter(ts.walkUpBindingElementsAndPatterns(decl)));
            if (!isConst && !holdsFunction(checker, symbol, n)) report(decl, `${n.text}: captured by a closure built at preload, not const (xsl: no const)`);
            if (isConst && ts.isVariableDeclaration(decl) && decl.initializer && !frozenArgument(decl.initializer) && isTable(decl.initializer)) {
              report(decl, `${n.text}: table captured by a closure built at preload, not frozen`);
            }
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(closure);
    }
  };
  for (const file of files) {
    const sf = program.getSourceFile(file);
    if (!sf) throw new Error(`${file} not in the program`);
    const topLevel = (n: ts.Node): void => {
      if (ts.isFunctionLike(n)) return; // runs later, not at preload
      if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
        const body = calleeBody(checker, n.expression);
        if (body && !analysed.has(body)) {
          analysed.add(body);
          captures(body);
        }
      }
      ts.forEachChild(n, topLevel);
    };
    ts.forEachChild(sf, topLevel);
  }
  return [...out];
}

test("closures that preloaded modules build at preload keep only const bindings (or functions)", (t) => {
  t.deepEqual(closureProblems([...modules.values()].map((f) => join(root, f))), []);
});

test("the closure check flags a factory's captured parameter, let and unfrozen const table, and passes consts and functions", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "coaps-closures-"));
  try {
    const file = join(dir, "m.ts");
    writeFileSync(file, [
      "const byParam = (method: string) => () => method;",
      "const byLet = () => { let n = 0; return () => n; };",
      "function byTable() { const t = { a: 1 }; const ok = Object.freeze({ b: 2 }); return () => t.a + ok.b; }",
      "const fine = (f: () => number, g?: () => number) => { const k = 'x'; return () => [f(), k, g]; };",
      "const notAtPreload = (p: string) => () => p;",
      "export const handlers = Object.freeze([byParam('GET'), byLet(), byTable(), fine(() => 1)]);",
      "export const later = () => notAtPreload('x');",
      "",
    ].join("\n"));
    const found = closureProblems([file]).map((p) => p.slice(p.indexOf("m.ts")));
    t.deepEqual(found, [
      "m.ts:1: method: captured by a closure built at preload, not const (xsl: no const)",
      "m.ts:2: n: captured by a closure built at preload, not const (xsl: no const)",
      "m.ts:3: t: table captured by a closure built at preload, not frozen",
      "m.ts:4: g: captured by a closure built at preload, not const (xsl: no const)",
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
