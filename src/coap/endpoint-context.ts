// What the endpoint's parts (client exchanges, resource server) share: the message counter,
// the transmit path with its size limit, and the event queue. Internal to src/coap/.
import type { CoapMessage } from "./message.js";
import type { EndpointEvent, PeerKey } from "./endpoint-types.js";
import type { RandomSource } from "../platform/random.js";
import type { PathEncoding } from "./options.js";

export interface EndpointContext {
  readonly random: RandomSource;
  /** How request and resource paths map to Uri-Path bytes. */
  readonly pathEncoding: PathEncoding;
  /** Largest message the transport takes (bigger ones are dropped by `send`). */
  readonly maxMessageSize: number;
  /** The node's message counter: random start, +1 per new CON/NON (spec §6.1). */
  nextMessageId(): number;
  /**
   * Encodes and queues `msg`. Returns the bytes (to resend or cache them), or undefined when
   * the message was over the size limit and dropped silently (spec §8.5).
   */
  send(peer: PeerKey, msg: CoapMessage): Uint8Array | undefined;
  /** Queues bytes encoded earlier (a retransmission or a cached response). */
  resend(peer: PeerKey, bytes: Uint8Array): void;
  emit(event: EndpointEvent): void;
}
