// A small model of how mcconfig reads our manifest.json (moddable-target.md §2.1, Moddable's
// tools/mcmanifest.js): one platform block is chosen (most specific name first, "esp32/*"
// style wildcards, "..." as fallback), its modules are added to the top-level ones, and each
// module source without an extension matches every file with that base name.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join, normalize } from "node:path";

export type ModuleSources = Record<string, string | string[]>;

export interface PlatformBlock {
  modules?: ModuleSources;
  config?: Record<string, unknown>;
  build?: Record<string, string>;
  defines?: Record<string, unknown>;
  dependency?: Array<Record<string, string>>;
  preload?: string[];
  error?: string;
  warning?: string;
}

export interface Manifest extends PlatformBlock {
  include: string[];
  preload: string[];
  typescript: { tsconfig: { compilerOptions: Record<string, unknown> } };
  platforms: Record<string, PlatformBlock>;
}

export function readManifest(root: string): Manifest {
  return JSON.parse(readFileSync(join(root, "manifest.json"), "utf8")) as Manifest;
}

/** mcmanifest.js matchPlatform: full name first, then shorter prefixes, then "...". */
export function matchPlatform(platforms: Record<string, PlatformBlock>, name: string): PlatformBlock | undefined {
  const parts = name.split("/");
  while (parts.length) {
    const partial = parts.join("/");
    for (const key of Object.keys(platforms)) {
      if (key.endsWith("/*") ? partial.startsWith(key.slice(0, -1)) : partial === key) return platforms[key];
    }
    parts.length -= 1;
  }
  return platforms["..."];
}

const SCRIPT = new Set([".ts", ".js"]);
const isDts = (f: string) => f.endsWith(".d.ts");

/** Files a module source names (relative to root), as mcconfig matches them. */
export function filesOf(root: string, source: string): string[] {
  const path = join(root, source);
  if (source.endsWith("/*")) {
    const dir = path.slice(0, -2);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile() && !isDts(f)).map((f) => join(source.slice(0, -2), f));
  }
  if (extname(source) !== "") return existsSync(path) ? [normalize(source)] : [];
  const dir = dirname(path);
  if (!existsSync(dir)) return [];
  const base = basename(path);
  return readdirSync(dir)
    .filter((f) => !isDts(f) && f.slice(0, f.length - extname(f).length) === base)
    .map((f) => join(dirname(source), f));
}

/** Every ./ source string of a modules object (variables like $(MODDABLE) are the SDK's). */
export function sourcesOf(modules: ModuleSources | undefined): string[] {
  const out: string[] = [];
  for (const v of Object.values(modules ?? {})) for (const s of Array.isArray(v) ? v : [v]) if (s.startsWith("./")) out.push(s);
  return out;
}

/** JS module name -> script file (relative to root) for one platform. */
export function moduleMap(root: string, manifest: Manifest, platform: string): Map<string, string[]> {
  const block = matchPlatform(manifest.platforms, platform);
  const map = new Map<string, string[]>();
  const add = (modules: ModuleSources | undefined) => {
    for (const [key, value] of Object.entries(modules ?? {})) {
      for (const source of Array.isArray(value) ? value : [value]) {
        if (!source.startsWith("./")) continue;
        for (const file of filesOf(root, source)) {
          if (!SCRIPT.has(extname(file))) continue; // C and headers: no module name
          const name = key === "*" ? basename(file, extname(file))
            : key.endsWith("/*") ? key.slice(0, -1) + basename(file, extname(file)) : key;
          map.set(name, [...(map.get(name) ?? []), file]);
        }
      }
    }
  };
  add(manifest.modules);
  add(block?.modules);
  return map;
}

/** Specifiers of runtime imports (not `import type` / `export type`). */
export function runtimeImports(source: string): string[] {
  const out: string[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm;
  for (const m of source.matchAll(re)) {
    if (m[4]) out.push(m[4]);
    else if (!m[2]) out.push(m[3]!);
  }
  return out;
}

/** How Node (and tsc) resolve a relative ".js" import: the .ts source, else the .js file. */
export function nodeResolve(root: string, fromFile: string, spec: string): string | undefined {
  const target = join(dirname(fromFile), spec);
  const ts = target.replace(/\.js$/, ".ts");
  if (existsSync(join(root, ts))) return ts;
  if (existsSync(join(root, target))) return target;
  return undefined;
}

/** How XS resolves it: against the importer's module name, ".js" dropped (moddable-target.md §6.1). */
export function xsResolve(importerName: string, spec: string): string {
  const parts = importerName.split("/").slice(0, -1);
  for (const seg of spec.replace(/\.m?js$/, "").split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== ".") parts.push(seg);
  }
  return parts.join("/");
}
