// The product firmware with XS compute units counted per method, for bench/xs/profile.ts
// --methods: wraps the public methods of the firmware's classes (inclusive counts: a method's
// figure includes what it calls) and of the lane's DTLS proxy, reading xsnap's meter with
// resetMeter. Not part of the product; runs only inside xsnap.
import { startCoapsApp } from "../../src/app.js";
import { Shell } from "../../src/cli/shell.js";
import { CoapEndpoint } from "../../src/coap/endpoint.js";
import { ClientExchanges } from "../../src/coap/exchanges.js";
import { ResourceServer } from "../../src/coap/server.js";
import { CoapResource } from "../../src/coaps/coap-resource.js";
import { CoapSecureAgent } from "../../src/coaps/agent.js";
import { DtlsSession } from "../../src/dtls/session.js";
import type { Platform } from "../../src/platform/index.js";

declare const resetMeter: (limit: number, index: number) => number;
declare const currentMeterLimit: () => number;
const meter = () => { const m = resetMeter(currentMeterLimit(), 0); resetMeter(currentMeterLimit(), m); return m; };

const totals = new Map<string, { units: number; calls: number }>();
function wrap(name: string, proto: Record<string, unknown>, method: string): void {
  const original = proto[method];
  if (typeof original !== "function") return;
  const key = `${name}.${method}`;
  proto[method] = function (this: unknown, ...args: unknown[]) {
    const m0 = meter();
    try { return (original as (...a: unknown[]) => unknown).apply(this, args); } finally {
      const t = totals.get(key) ?? { units: 0, calls: 0 };
      t.units += meter() - m0; t.calls++;
      totals.set(key, t);
    }
  };
}
function wrapAll(name: string, cls: { prototype: object }): void {
  const proto = cls.prototype as Record<string, unknown>;
  for (const method of Object.getOwnPropertyNames(proto)) {
    if (method !== "constructor" && typeof Object.getOwnPropertyDescriptor(proto, method)?.value === "function") wrap(name, proto, method);
  }
}
for (const [name, cls] of [["Shell", Shell], ["CoapEndpoint", CoapEndpoint], ["ClientExchanges", ClientExchanges], ["ResourceServer", ResourceServer],
  ["CoapResource", CoapResource], ["CoapSecureAgent", CoapSecureAgent], ["DtlsSession", DtlsSession]] as const) wrapAll(name, cls);

(globalThis as Record<string, unknown>)["meterReport"] = () => {
  const rows = [...totals].sort((a, b) => b[1].units - a[1].units).map(([k, v]) => `${k} ${v.units} ${v.calls}`);
  totals.clear();
  return rows.join("\n");
};

export function startMeteredApp(platform: Platform, options = {}): { close(): void } {
  const dtls = platform.dtls;
  // The lane's DTLS proxy: its methods are per engine instance, so wrap them on the first one.
  const wrapped: Platform = { ...platform, dtls: { createEngine: (now, o) => {
    const e = dtls.createEngine(now, o);
    const proto = Object.getPrototypeOf(e) as Record<string, unknown>;
    if (!totals.has("proxy:wrapped")) { wrapAll("DtlsProxy", { prototype: proto }); totals.set("proxy:wrapped", { units: 0, calls: 0 }); }
    return e;
  } } };
  return startCoapsApp(wrapped, options);
}
