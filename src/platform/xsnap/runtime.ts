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
  const { platform, dispatch } = createXsPlatform();
  let app: { close(): void } | undefined;

  const scope = globalThis as Record<string, unknown>;
  const format = (args: unknown[]) => args.map((a) => (a instanceof Error ? describeError(a) : String(a))).join(" ");
  // xsnap reports unhandled rejections through console.error: make them fail the delivery.
  scope["console"] = {
    log: (...args: unknown[]) => log(LogLevel.INFO, format(args)),
    error: (...args: unknown[]) => log(LogLevel.ERROR, format(args)),
  };

  scope["handleCommand"] = (message: ArrayBuffer): ArrayBuffer => {
    try {
      const event = new WireReader(new Uint8Array(message));
      const kind = event.u8();
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
      return new WireWriter(1).u8(Status.OK).finish();
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      const message = error instanceof Error ? error.message : String(error);
      return new WireWriter(256).u8(Status.ERROR).text(name).text(message).text(describeError(error)).finish();
    }
  };
}
