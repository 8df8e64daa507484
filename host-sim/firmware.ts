// What a simulated node runs. The product firmware is src/app.ts's startCoapsApp;
// any module exporting the same function can stand in (`--firmware <file>`), e.g. the small
// test firmware in test/sim/fixtures/.
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import type { Platform } from "../src/platform/index.js";

export interface AppOptions { port?: number; verbose?: boolean }
export interface RunningApp { close(): void }
export type FirmwareMain = (platform: Platform, options?: AppOptions) => RunningApp;

/** Starts firmware on a platform; the XS lane's NodeRuntime (host-sim/xs/runtime.ts) has this shape too. */
export interface NodeStarter {
  start(platform: Platform, options?: AppOptions, name?: string): { close(): void; report?(): string | undefined };
}

export function starterFor(main: FirmwareMain): NodeStarter {
  return { start: (platform, options) => main(platform, options ?? {}) };
}

/** Loads startCoapsApp from `file` (a path relative to the working directory) or from src/app.ts. */
export async function loadFirmware(file?: string): Promise<FirmwareMain> {
  const url = file ? pathToFileURL(resolve(file)).href : new URL("../src/app.js", import.meta.url).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const what = file ?? "src/app.ts";
    throw new Error(`cannot load firmware ${what}: ${(error as Error).message.split("\n")[0]}`);
  }
  const main = mod.startCoapsApp;
  if (typeof main !== "function") throw new Error(`firmware ${file ?? "src/app.ts"} does not export startCoapsApp`);
  return main as FirmwareMain;
}
