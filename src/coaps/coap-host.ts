// What the agent's CoAP layer needs from the agent, plus small message helpers shared by
// the client and server halves.

import type { RandomSource } from "../platform/random.js";
import type { CoapMessage, CoapOption } from "../coap/index.js";
import { CoapOptionNumber, EMPTY_BYTES, encodeMessage } from "../coap/index.js";
import type { BlockCounter } from "./block-counter.js";
import type { AgentEvent } from "./types.js";

export interface CoapHost {
  readonly random: RandomSource;
  readonly blocks: BlockCounter;
  /** Hands one CoAP message to DTLS; one over the record limit is dropped silently (§8.5). */
  send(bytes: Uint8Array): void;
  emit(event: AgentEvent): void;
  /** The session peer's address, as printed (§6.2). */
  peer(): string;
  /** The registered resource's URI path, undefined while none was ever set. */
  resourceUri(): string | undefined;
  content(): Uint8Array;
  /** Next value of the node's CoAP-secure message counter (§6.1). */
  nextMessageId(): number;
}

/** Uri-Path options, one per `/`-separated segment, empty ones included (§6.1). Bytes as typed. */
export function uriPathOptions(path: string): CoapOption[] {
  const options: CoapOption[] = [];
  for (const segment of path.split("/")) {
    const value = new Uint8Array(segment.length);
    for (let i = 0; i < segment.length; i++) value[i] = segment.charCodeAt(i) & 0xff;
    options.push({ number: CoapOptionNumber.URI_PATH, value });
  }
  return options;
}

/** The server's join (§6.1): leading empty segments vanish, all others stay. */
export function joinedUriPath(options: readonly CoapOption[]): string {
  let out = "";
  for (const o of options) {
    if (o.number !== CoapOptionNumber.URI_PATH) continue;
    if (out.length > 0) out += "/"; // as OpenThread: a `/` only once something was written
    for (let i = 0; i < o.value.length; i++) out += String.fromCharCode(o.value[i]!);
  }
  return out;
}

export function message(type: CoapMessage["type"], code: number, messageId: number, token: Uint8Array,
  options: CoapOption[] = [], payload: Uint8Array = EMPTY_BYTES): Uint8Array {
  return encodeMessage({ type, code, messageId, token, options, payload });
}
