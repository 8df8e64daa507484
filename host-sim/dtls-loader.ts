// Finds the host DTLS binding (host-sim/dtls-napi.ts over the N-API addon) without
// a static import, so the simulator still starts, and plain-datagram tests still run, on a
// machine where the addon is not built. Creating an engine then fails with a clear message.
import type { DtlsBinding, DtlsEngine, DtlsEngineOptions } from "../src/platform/dtls-binding.js";

export class DtlsUnavailableError extends Error {
  constructor(reason: string) {
    super(`DTLS binding not available: ${reason}`);
    this.name = "DtlsUnavailableError";
  }
}

function isBinding(x: unknown): x is DtlsBinding {
  return typeof x === "object" && x !== null && typeof (x as DtlsBinding).createEngine === "function";
}

let cached: Promise<DtlsBinding> | undefined;

/** The N-API DTLS binding, or a binding whose createEngine throws DtlsUnavailableError. */
export function loadDtlsBinding(): Promise<DtlsBinding> {
  cached ??= (async () => {
    const specifier = "./dtls-napi.js";
    let mod: Record<string, unknown>;
    try {
      mod = (await import(specifier)) as Record<string, unknown>;
    } catch (error) {
      return unavailableBinding(`cannot load host-sim/dtls-napi.ts (${(error as Error).message.split("\n")[0]})`);
    }
    // Accept a binding object, or a no-argument factory returning one, under any export name.
    for (const value of [mod.default, ...Object.values(mod)]) {
      if (isBinding(value)) return value;
    }
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === "function" && value.length === 0 && /binding/i.test(name)) {
        try {
          const b = (value as () => unknown)();
          if (isBinding(b)) return b;
        } catch (error) {
          return unavailableBinding((error as Error).message);
        }
      }
    }
    return unavailableBinding("host-sim/dtls-napi.ts exports no DtlsBinding");
  })();
  return cached;
}

export function unavailableBinding(reason: string): DtlsBinding {
  return { createEngine: () => { throw new DtlsUnavailableError(reason); } };
}

/**
 * Wraps a binding so every engine it creates is tracked; `collectKeyLogs` then gathers the NSS
 * key-log lines of all live engines (for the pcap's key log file).
 */
export function trackingBinding(inner: DtlsBinding): { binding: DtlsBinding; collectKeyLogs(): string[] } {
  const live = new Set<DtlsEngine>();
  const binding: DtlsBinding = {
    createEngine(now: number, options: DtlsEngineOptions): DtlsEngine {
      const engine = inner.createEngine(now, options);
      live.add(engine);
      const wrapped: DtlsEngine = {
        setClientId: (id) => engine.setClientId(id),
        feed: (now, d) => engine.feed(now, d),
        takeOutgoing: () => engine.takeOutgoing(),
        write: (now, d) => engine.write(now, d),
        read: () => engine.read(),
        handleTimer: (now) => engine.handleTimer(now),
        nextDeadline: () => engine.nextDeadline(),
        state: () => engine.state(),
        error: () => engine.error(),
        cipherSuite: () => engine.cipherSuite(),
        close: (now) => engine.close(now),
        free: () => { live.delete(engine); engine.free(); },
        keyLog: () => engine.keyLog?.(),
      };
      return wrapped;
    },
  };
  return {
    binding,
    collectKeyLogs: () => {
      const out: string[] = [];
      for (const e of live) {
        const text = e.keyLog?.();
        if (text) out.push(text);
      }
      return out;
    },
  };
}
