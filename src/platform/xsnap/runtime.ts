// The XS event boundary. The host delivers each event through handleCommand; everything the
// firmware does in response runs inside this one call (xsnap drains promise jobs before it
// replies). Nothing may escape: an uncaught error is caught here and sent back with its name,
// message and stack, because xsnap itself would only pass String(error) to the host.
import { begin, call } from "./native-call.js";
import { Event, LogLevel, Native, Status } from "./ops.js";
import { createXsPlatform } from "./platform.js";
import type { Platform } from "../index.js";
import { WireReader, WireWriter } from "./wire.js";

export interface StartOptions { port?: number }
export type FirmwareMain = (platform: Platform, options: StartOptions) => { close(): void };

/** Formats an error thrown inside XS as "Name: message" plus its stack lines, if any. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const head = `${error.name}: ${error.message}`;
    const stack = typeof error.stack === "string" ? error.stack : "";
    // XS stacks start with the "Name: message" line; don't print it twice.
    return stack.startsWith(head) ? stack : stack === "" ? head : `${head}\n${stack}`;
  }
  return `thrown value: ${String(error)}`;
}

function log(level: number, text: string): void {
  call(begin(Native.LOG).u8(level).text(text));
}

/** Installs handleCommand and a console that forwards to the host. Call once, at load. */
export function runOnXs(main: FirmwareMain): void {
  const xs = createXsPlatform();
  const { platform, dispatch } = xs;
  let app: { close(): void } | undefined;

  const scope = globalThis as Record<string, unknown>;
  const format = (args: unknown[]) => args.map((a) => (a instanceof Error ? describeError(a) : String(a))).join(" ");
  // xsnap reports unhandled rejections through console.error: make them fail the delivery.
  scope["console"] = {
    log: (...args: unknown[]) => log(LogLevel.INFO, format(args)),
    error: (...args: unknown[]) => log(LogLevel.ERROR, format(args)),
  };

  // The reply is built in an immediate: xsnap runs it after the promise jobs the event started,
  // so output of async continuations still travels in this delivery's reply. An immediate must
  // never throw (it would end the worker), hence the fallback.
  const later = scope["setImmediate"] as (callback: () => void) => void;
  const { beginDelivery, endDelivery } = xs;
  // One writer for every reply (finish() copies it out): deliveries never overlap.
  const replyWriter = new WireWriter(256);

  scope["handleCommand"] = (message: ArrayBuffer): { result?: ArrayBuffer } => {
    const report: { result?: ArrayBuffer } = {};
    let failure: { error: unknown } | undefined;
    try {
      const event = new WireReader(new Uint8Array(message));
      const kind = event.u8();
      beginDelivery(event.optF64());
      if (kind === Event.START) {
        const port = event.optF64();
        app = main(platform, port === undefined ? {} : { port });
      } else if (kind === Event.STOP) {
        const running = app;
        app = undefined;
        running?.close();
      } else if (!dispatch(kind, event)) {
        throw new Error(`unknown event kind ${kind}`);
      }
    } catch (error) {
      failure = { error };
    }
    later(() => {
      try {
        const reply = replyWriter.reset().u8(failure === undefined ? Status.OK : Status.ERROR);
        endDelivery(reply);
        if (failure !== undefined) {
          const e = failure.error;
          reply.text(e instanceof Error ? e.name : "Error").text(e instanceof Error ? e.message : String(e)).text(describeError(e));
        }
        report.result = reply.finish();
      } catch {
        report.result = new WireWriter(8).u8(Status.ERROR).u32(0).text("Error").text("reply failed").text("").finish();
      }
    });
    return report;
  };
}
