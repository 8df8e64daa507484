// What the shell sees of the agent: commands returning OtError and the events it prints.

import type { OtError } from "./ot-error.js";
import type { StartResult } from "./start-failure.js";

export type RequestMethod = "GET" | "PUT" | "POST" | "DELETE";
export const BLOCK_SIZES = Object.freeze([16, 32, 64, 128, 256, 512, 1024] as const);
export type BlockSize = (typeof BLOCK_SIZES)[number];

export interface RequestSpec {
  readonly method: RequestMethod;
  /** Joined path as typed; split at every `/` (spec §6.1). */
  readonly uriPath: string;
  readonly confirmable: boolean;
  /** Block-wise with this block size (spec §7.4); implies confirmable. */
  readonly block?: BlockSize;
  readonly payload?: Uint8Array;
}

/** Events in the order they happen; the shell prints each as the lines of spec §4. */
export type AgentEvent =
  | { readonly kind: "connected" }
  | { readonly kind: "disconnected" }
  /** `observe`: the Observe value of a GET that carries one (printed as ` OBS=<n>`). */
  | { readonly kind: "request"; readonly peer: string; readonly method: RequestMethod | "Undefined"; readonly payload: Uint8Array; readonly observe?: number }
  | { readonly kind: "responseSent" }
  /** The response to the request just printed could not be handed to DTLS (`coaps send response error`). */
  | { readonly kind: "sendResponseError"; readonly error: OtError }
  /** `observe`: a notification of `coaps observe` (its sequence number, printed as ` OBS=<n>`). */
  | { readonly kind: "response"; readonly peer: string; readonly payload: Uint8Array; readonly observe?: number }
  | { readonly kind: "responseError"; readonly error: OtError }
  | { readonly kind: "sendBlock"; readonly num: number; readonly block: Uint8Array }
  | { readonly kind: "receivedBlock"; readonly num: number; readonly block: Uint8Array }
  // Observe on the resource (RFC 7641), with the lines of OpenThread's plain `coap` CLI.
  | { readonly kind: "subscribed" }
  | { readonly kind: "unsubscribed"; readonly peer: string }
  | { readonly kind: "notificationSent"; readonly peer: string }
  | { readonly kind: "notificationAcked"; readonly peer: string }
  | { readonly kind: "notificationFailed"; readonly error: OtError };

export type AgentEventListener = (event: AgentEvent) => void;

/** The command surface of CoapSecureAgent, one method per `coaps` subcommand. */
export interface CoapsControl {
  /**
   * `coaps start`: applies the peer check first, even when the answer is Already (§3.2).
   * A failure carries its reason (port in use, no network, bad credentials).
   */
  start(verifyPeer: boolean, maxAttempts: number): StartResult;
  stop(): void;
  /** `address` in canonical text (§1.6 IPv6, or dotted IPv4). */
  connect(address: string, port: number): OtError;
  disconnect(): void;
  isClosed(): boolean;
  isConnected(): boolean;
  isConnectionActive(): boolean;
  setPsk(key: Uint8Array, identity: Uint8Array): void;
  setX509(): void;
  resourceUri(): string;
  setResourceUri(uri: string): void;
  content(): Uint8Array;
  setContent(content: Uint8Array): void;
  setBlockCount(count: number): void;
  sendRequest(request: RequestSpec): OtError;
  /** `coaps observe` (extension): a GET with Observe=0; a previous observation is dropped silently. */
  observe(uriPath: string, confirmable: boolean): OtError;
  /** `coaps cancel` (extension): a GET with Observe=1 for the observation (of `uriPath`, when given). */
  cancelObserve(uriPath: string | undefined): OtError;
  /** `coaps sessions` (extension): how many DTLS peers the server role holds at once, 1..8. */
  sessions(): number;
  /** InvalidArgs outside 1..8; InvalidState unless the transport is closed (stopped). */
  setSessions(n: number): OtError;
}
