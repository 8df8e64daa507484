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
  | { readonly kind: "request"; readonly peer: string; readonly method: RequestMethod | "Undefined"; readonly payload: Uint8Array }
  | { readonly kind: "responseSent" }
  | { readonly kind: "response"; readonly peer: string; readonly payload: Uint8Array }
  | { readonly kind: "responseError"; readonly error: OtError }
  | { readonly kind: "sendBlock"; readonly num: number; readonly block: Uint8Array }
  | { readonly kind: "receivedBlock"; readonly num: number; readonly block: Uint8Array };

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
  /** `coaps sessions` (extension): how many DTLS peers the server role holds at once, 1..8. */
  sessions(): number;
  /** InvalidArgs outside 1..8; InvalidState unless the transport is closed (stopped). */
  setSessions(n: number): OtError;
}
