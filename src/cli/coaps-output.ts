// Agent events as the asynchronous console lines of spec §4 (no prompt after them).

import { otErrorText } from "../coaps/ot-error.js";
import type { AgentEvent } from "../coaps/types.js";
import { toHex } from "./hex.js";
import type { Output } from "./shell.js";

const withPayload = (payload: Uint8Array): string =>
  payload.length > 0 ? ` with payload: ${toHex(payload)}` : "";

/** OpenThread's plain `coap` CLI shows an Observe option this way; absent, nothing is added. */
const withObserve = (observe: number | undefined): string => (observe === undefined ? "" : ` OBS=${observe}`);

/** Block hooks print the block as lines of exactly 16 bytes; a short tail is not shown. */
function blockLines(out: Output, header: string, block: Uint8Array): void {
  out.line(header);
  for (let i = 0; i + 16 <= block.length; i += 16) out.line(toHex(block, i, i + 16));
}

export function printAgentEvent(out: Output, event: AgentEvent): void {
  switch (event.kind) {
    case "connected": out.line("coaps connected"); return;
    case "disconnected": out.line("coaps disconnected"); return;
    case "request": out.line(`coaps request from ${event.peer} ${event.method}${withObserve(event.observe)}${withPayload(event.payload)}`); return;
    case "responseSent": out.line("coaps response sent"); return;
    case "sendResponseError": out.line(`coaps send response error ${otErrorText(event.error)}`); return;
    case "response": out.line(`coaps response from ${event.peer}${withObserve(event.observe)}${withPayload(event.payload)}`); return;
    case "responseError": out.line(`coaps receive response error ${otErrorText(event.error)}`); return;
    case "sendBlock": blockLines(out, `send block: Num ${event.num} Len ${event.block.length}`, event.block); return;
    case "receivedBlock": blockLines(out, `received block: Num ${event.num} Len ${event.block.length}`, event.block); return;
    case "subscribed": out.line("Subscribing client"); return;
    case "unsubscribed": out.line(`Removed subscriber ${event.peer}`); return;
    case "notificationSent": out.line(`sending coaps notification to ${event.peer}`); return;
    case "notificationAcked": out.line(`Received coaps notification ACK from ${event.peer}`); return;
    case "notificationFailed": out.line(`coaps notification delivery error ${otErrorText(event.error)}`); return;
  }
}
