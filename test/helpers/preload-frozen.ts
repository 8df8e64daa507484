// What the XS linker (xsl) checks when it preloads modules (xs/tools/xslSlot.c, fxCheckAliases
// in Moddable SDK 8.2.3): every object reachable from a preloaded module's exports must be
// frozen, or it is "aliasable" and costs RAM on the device ("### warning: <module>: <path>: not
// frozen"). Before checking, xsl freezes every function itself, and the `prototype` object of
// every constructor (class or `function`; not a generator's), so those are never reported; the
// walk does the same. It follows the edges xsl does that JavaScript can see (properties,
// accessors, array items, prototypes, a function's own properties) plus Map and Set entries, and
// returns the path of every other object that is not frozen. Closures (bindings used inside
// functions: xsl's "no const") are invisible from JavaScript; test/device/preload-frozen.test.ts
// checks those in the source. No Node API here: the same walk runs on Node and inside XS.

/** Built-ins (and their prototypes) that XS freezes itself when it preloads. */
function intrinsics(): Set<unknown> {
  const seen = new Set<unknown>();
  const add = (v: unknown): void => {
    while ((typeof v === "object" || typeof v === "function") && v !== null && !seen.has(v)) {
      seen.add(v);
      if (typeof v === "function") add((v as { prototype?: unknown }).prototype);
      v = Object.getPrototypeOf(v);
    }
  };
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    if (d && "value" in d && /^[A-Z]/.test(name)) add(g[name]);
  }
  add(Object.getPrototypeOf(Uint8Array));
  add([][Symbol.iterator]());
  add(new Map().entries());
  add(new Set().values());
  add("".matchAll(/x/g));
  add(function* () { /* generator prototype */ });
  add(async () => { /* async function prototype */ });
  return seen;
}

/** Instances XS preloads as immutable without aliasing them (never reported by xsl). */
function immutableWhenPreloaded(v: object): boolean {
  return typeof v === "function" || v instanceof Map || v instanceof Set || v instanceof WeakMap ||
    v instanceof WeakSet || v instanceof ArrayBuffer || ArrayBuffer.isView(v) || v instanceof Date ||
    v instanceof Error || v instanceof Promise;
}

/** True for a class or `function` (xsl's XS_CAN_CONSTRUCT_FLAG), false for arrows, methods, generators. */
function isConstructor(f: Function): boolean {
  try {
    Reflect.construct(String, [], f);
    return true;
  } catch {
    return false;
  }
}

/** The `prototype` object of a constructor, which xsl freezes itself (found from either side). */
function isConstructorPrototype(v: object): boolean {
  const owner: unknown = Reflect.getOwnPropertyDescriptor(v, "constructor")?.value;
  return typeof owner === "function" && Reflect.getOwnPropertyDescriptor(owner, "prototype")?.value === v && isConstructor(owner);
}

/** Paths (`module: a.b[2]`) of reachable objects that are not frozen, in walk order. */
export function unfrozenPaths(namespaces: Readonly<Record<string, object>>): string[] {
  const skip = intrinsics();
  const visited = new Set<unknown>();
  const found: string[] = [];
  const visit = (v: unknown, path: string): void => {
    if ((typeof v !== "object" && typeof v !== "function") || v === null) return;
    if (skip.has(v) || visited.has(v)) return;
    visited.add(v);
    if (!immutableWhenPreloaded(v) && !isConstructorPrototype(v) && !Object.isFrozen(v)) found.push(path);
    visit(Object.getPrototypeOf(v), `${path}.__proto__`);
    for (const key of Reflect.ownKeys(v)) {
      const name = typeof key === "symbol" ? `[${String(key)}]` : Array.isArray(v) && /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
      const d = Reflect.getOwnPropertyDescriptor(v, key)!;
      if ("value" in d) visit(d.value, path + name);
      if (d.get) visit(d.get, `${path}${name}(get)`);
      if (d.set) visit(d.set, `${path}${name}(set)`);
    }
    if (v instanceof Map) for (const [k, e] of v) { visit(k, `${path}.key(${String(k)})`); visit(e, `${path}.get(${String(k)})`); }
    if (v instanceof Set) for (const e of v) visit(e, `${path}.has()`);
  };
  for (const [module, ns] of Object.entries(namespaces)) {
    for (const key of Reflect.ownKeys(ns)) {
      if (typeof key === "symbol") continue;
      visit((ns as Record<string, unknown>)[key], `"${module}": ${key}`);
    }
  }
  return found;
}
