// xsc turns a method into a direct host call only when its whole body is
// `[return] native("name").call(this, <the method's parameters, in order>)` (a constructor:
// `super();` first); anything else compiles to a JS wrapper and xsc warns "cannot optimize
// native" (xs/sources/xsSyntaxical.c, fxCheckNativeFunction). This checks that shape on the
// TypeScript compiler's output, since xsc itself is not built here.
import test from "ava";
import { readdirSync, readFileSync } from "node:fs";
import ts from "typescript";

const root = new URL("../../", import.meta.url).pathname;
/** Every firmware source with a Native(...) class: today dtls-native.ts and udp6.ts. */
const FACES = readdirSync(root + "src", { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && /extends Native\(/.test(readFileSync(root + "src/" + f, "utf8")))
  .map((f) => "src/" + f)
  .sort();

test("the faces checked include dtls-native.ts and udp6.ts", (t) => {
  t.deepEqual(FACES, ["src/platform/moddable/dtls-native.ts", "src/platform/moddable/udp6.ts"]);
});

/** Names of the methods of Native(...) subclasses whose compiled body xsc cannot optimize. */
function unoptimizable(source: string): string[] {
  const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 } }).outputText;
  const file = ts.createSourceFile("face.js", js, ts.ScriptTarget.ES2022, true);
  const bad: string[] = [];
  const isNativeCall = (e: ts.Expression, params: readonly string[]): boolean => {
    if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || e.expression.name.text !== "call") return false;
    const callee = e.expression.expression;
    if (!ts.isCallExpression(callee) || callee.expression.getText() !== "native" || callee.arguments.length !== 1 || !ts.isStringLiteral(callee.arguments[0]!)) return false;
    const [self, ...rest] = e.arguments;
    return self?.kind === ts.SyntaxKind.ThisKeyword && rest.length === params.length && rest.every((a, i) => ts.isIdentifier(a) && a.text === params[i]);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) && node.heritageClauses?.some((h) => /^Native\(/.test(h.types[0]?.expression.getText() ?? ""))) {
      for (const m of node.members) {
        if (!(ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m)) || !m.body) continue;
        const params = m.parameters.map((p) => p.name.getText());
        let statements = [...m.body.statements];
        if (ts.isConstructorDeclaration(m)) {
          const first = statements.shift();
          if (!first || first.getText() !== "super();") { bad.push("constructor"); continue; }
        }
        const only = statements.length === 1 ? statements[0]! : undefined;
        const expr = only && ts.isReturnStatement(only) ? only.expression : only && ts.isExpressionStatement(only) ? only.expression : undefined;
        if (!expr || !isNativeCall(expr, params)) bad.push(ts.isConstructorDeclaration(m) ? "constructor" : m.name.getText());
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return bad;
}

for (const face of FACES) {
  test(`every method of ${face} compiles to a bare native call that xsc can optimize`, (t) => {
    t.deepEqual(unoptimizable(readFileSync(root + face, "utf8")), []);
  });
}

test("the shape check flags what xsc flags: logic around the native call, a converted result, reordered arguments", (t) => {
  const source = `class E extends Native("d") {
    constructor(o: { a: number }) { super(); native("c").call(this, o.a); }
    take() { const b = native("t").call(this); return b === undefined ? undefined : new Uint8Array(b as ArrayBuffer); }
    feed(now: number, d: Uint8Array) { return native("f").call(this, d, now); }
    ok(now: number) { return native("o").call(this, now) as void; }
  }`;
  t.deepEqual(unoptimizable(source), ["constructor", "take", "feed"]);
});
