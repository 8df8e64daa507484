// The agent's state machine (spec §2.1, §3, §8.1, §8.4) as one table: state × event → next
// state, the actions to run (in order) and the command's result. CoapsAgentCore changes its
// state nowhere else; docs/coaps-shell.md shows the same table.
//
// States. "closed": no transport. "idle": transport open, session slot free (a listening DTLS
// server answers ClientHellos when credentials are set). "connecting" / "connected": the slot
// holds a client session or an accepted server session. "disconnecting": the 2 s guard after
// every teardown; the slot is empty and datagrams are ignored.
//
// Events. Commands: start (transport opened, listener made), restart (start with the
// transport already open), stop, connect (a client session was created), disconnect,
// credentials (psk, x509, or a start that changes the peer check), shutdown (the app
// closes). From the slot's DtlsSession: accepted, handshakeDone, record,
// sessionEnded. From the clock: guardExpired, or guardExpiredLast when a stop is pending or
// the attempt limit is used up (the transport closes silently then, §3.2, §3.3).

import { OtError } from "./ot-error.js";

export type AgentState = "closed" | "idle" | "connecting" | "connected" | "disconnecting";

export type MachineEvent =
  | "start" | "restart" | "stop" | "connect" | "disconnect" | "credentials" | "shutdown"
  | "accepted" | "handshakeDone" | "record" | "sessionEnded"
  | "guardExpired" | "guardExpiredLast";

export type MachineAction =
  | "resetAttempts"    // the attempt counter starts at the limit (§3.2)
  | "useAttempt"       // a session set-up uses one attempt (§3.2)
  | "listen"           // a listening server session in the free slot, if credentials allow
  | "relisten"         // replace the listener: new credentials or peer check apply to it
  | "dropSession"      // close the slot's session (close_notify if connected), keep its datagrams
  | "releaseSession"   // forget the slot's session (it has ended by itself)
  | "adoptPeer"        // the accepted session's peer becomes the agent's peer
  | "emitConnected"    // `coaps connected`
  | "deliverRecord"    // the record goes to the CoAP endpoint
  | "enterGuard"       // 2 s guard; pending requests freeze
  | "freezeRequests"   // pending requests neither retransmit nor time out any more
  | "markStop"         // close the transport when the guard ends
  | "finishGuard"      // peer forgotten; pending requests abort; `coaps disconnected`
  | "closeTransport";  // close UDP 5684 (the driver closes the socket)

export interface Transition {
  readonly next: AgentState;
  readonly actions: readonly MachineAction[];
  /** The command's result; None for the events that are not commands. */
  readonly result: OtError;
}

export const AGENT_STATES: readonly AgentState[] = Object.freeze(["closed", "idle", "connecting", "connected", "disconnecting"]);
export const MACHINE_EVENTS: readonly MachineEvent[] = Object.freeze([
  "start", "restart", "stop", "connect", "disconnect", "credentials", "shutdown",
  "accepted", "handshakeDone", "record", "sessionEnded", "guardExpired", "guardExpiredLast",
]);

// Every transition is frozen (the table is preloaded into flash on the device).
const to = (next: AgentState, actions: readonly MachineAction[] = [], result: OtError = OtError.None): Transition =>
  Object.freeze({ next, actions: Object.freeze(actions), result });

/** What a pair that cannot occur does: nothing (e.g. a session event with the slot empty). */
const stay = (state: AgentState, result: OtError = OtError.None): Transition => to(state, [], result);

type Table = { readonly [S in AgentState]: { readonly [E in MachineEvent]: Transition } };

const TABLE: Table = Object.freeze({
  closed: Object.freeze({
    start: to("idle", ["resetAttempts"]), // the command made the listener
    restart: stay("closed"), // not raised: start on a closed transport is "start"
    stop: stay("closed"),
    connect: stay("closed", OtError.InvalidState),
    disconnect: stay("closed"),
    credentials: stay("closed"),
    shutdown: stay("closed"),
    accepted: stay("closed"),
    handshakeDone: stay("closed"),
    record: stay("closed"),
    sessionEnded: stay("closed"),
    guardExpired: stay("closed"),
    guardExpiredLast: stay("closed"),
  }),
  idle: Object.freeze({
    start: stay("idle", OtError.Already), // not raised: the transport is open
    restart: stay("idle", OtError.Already), // a changed peer check is raised as "credentials" first
    stop: to("closed", ["dropSession", "closeTransport"]),
    connect: to("connecting", ["useAttempt"]),
    disconnect: stay("idle"),
    credentials: to("idle", ["relisten"]),
    shutdown: to("closed", ["dropSession", "closeTransport"]),
    accepted: to("connecting", ["useAttempt", "adoptPeer"]),
    handshakeDone: stay("idle"), // a listener is accepted before it completes
    record: stay("idle"),
    sessionEnded: to("idle", ["releaseSession", "listen"]), // the listener failed on garbage
    guardExpired: stay("idle"),
    guardExpiredLast: stay("idle"),
  }),
  connecting: Object.freeze({
    start: stay("connecting", OtError.Already),
    restart: stay("connecting", OtError.Already),
    stop: to("disconnecting", ["markStop", "dropSession", "enterGuard"]),
    connect: stay("connecting", OtError.InvalidState),
    disconnect: to("disconnecting", ["dropSession", "enterGuard"]),
    credentials: stay("connecting"), // they apply to the next session
    shutdown: to("closed", ["dropSession", "freezeRequests", "closeTransport"]),
    accepted: stay("connecting"),
    handshakeDone: to("connected", ["emitConnected"]),
    record: stay("connecting"),
    sessionEnded: to("disconnecting", ["releaseSession", "enterGuard"]),
    guardExpired: stay("connecting"),
    guardExpiredLast: stay("connecting"),
  }),
  connected: Object.freeze({
    start: stay("connected", OtError.Already),
    restart: stay("connected", OtError.Already),
    stop: to("disconnecting", ["markStop", "dropSession", "enterGuard"]),
    connect: stay("connected", OtError.InvalidState),
    disconnect: to("disconnecting", ["dropSession", "enterGuard"]),
    credentials: stay("connected"),
    shutdown: to("closed", ["dropSession", "freezeRequests", "closeTransport"]),
    accepted: stay("connected"),
    handshakeDone: stay("connected"),
    record: to("connected", ["deliverRecord"]),
    sessionEnded: to("disconnecting", ["releaseSession", "enterGuard"]),
    guardExpired: stay("connected"),
    guardExpiredLast: stay("connected"),
  }),
  disconnecting: Object.freeze({
    start: stay("disconnecting", OtError.Already),
    restart: stay("disconnecting", OtError.Already),
    stop: to("disconnecting", ["markStop"]),
    connect: stay("disconnecting", OtError.InvalidState),
    disconnect: stay("disconnecting"),
    credentials: stay("disconnecting"),
    shutdown: to("closed", ["closeTransport"]),
    accepted: stay("disconnecting"),
    handshakeDone: stay("disconnecting"),
    record: stay("disconnecting"),
    sessionEnded: stay("disconnecting"),
    guardExpired: to("idle", ["finishGuard", "listen"]),
    guardExpiredLast: to("closed", ["finishGuard", "closeTransport"]),
  }),
});

export function transition(state: AgentState, event: MachineEvent): Transition {
  return TABLE[state][event];
}

// ---- the server slots of `coaps sessions <n>` (n > 1) ----
//
// With n > 1 the agent's machine above keeps the transport and the client role; each peer a
// listening server session accepts moves into one of up to n server slots, each with this
// machine of its own. A slot is "free", or holds one accepted session while it is "connecting"
// or "connected", or is "disconnecting": that peer's own 2 s guard, during which the slot is
// not reused and the peer's datagrams are ignored (other peers are unaffected). With n = 1 no
// slot is ever used and the agent behaves exactly as the table above says.
//
// Events: accepted (the listener's session moved in), handshakeDone, record, sessionEnded
// (from the slot's DtlsSession); disconnect (`coaps disconnect` or `coaps stop`: every slot
// is told); shutdown (the app closes); guardExpired (the slot's own guard deadline).

export type SlotState = "free" | "connecting" | "connected" | "disconnecting";
export type SlotEvent = "accepted" | "handshakeDone" | "record" | "sessionEnded" | "disconnect" | "shutdown" | "guardExpired";
export type SlotAction =
  | "adoptSession"   // the accepted session and its peer become the slot's
  | "useAttempt"     // the node-wide attempt counter (§3.2) counts every accepted peer
  | "emitConnected"  // `coaps connected` (one line per session, as with one session)
  | "deliverRecord"  // the record goes to the slot's own CoAP endpoint
  | "dropSession"    // close the slot's session (close_notify if connected)
  | "releaseSession" // forget the slot's session (it has ended by itself)
  | "enterGuard"     // the slot's 2 s guard; its pending requests freeze
  | "finishGuard"    // peer forgotten; its pending requests abort; `coaps disconnected`
  | "forget";        // silently: guard cleared, peer and requests forgotten (app closing)

export interface SlotTransition {
  readonly next: SlotState;
  readonly actions: readonly SlotAction[];
}

export const SLOT_STATES: readonly SlotState[] = Object.freeze(["free", "connecting", "connected", "disconnecting"]);
export const SLOT_EVENTS: readonly SlotEvent[] = Object.freeze([
  "accepted", "handshakeDone", "record", "sessionEnded", "disconnect", "shutdown", "guardExpired",
]);

// Frozen like the agent's table: preloaded into flash on the device.
const slot = (next: SlotState, actions: readonly SlotAction[] = []): SlotTransition =>
  Object.freeze({ next, actions: Object.freeze(actions) });

type SlotTable = { readonly [S in SlotState]: { readonly [E in SlotEvent]: SlotTransition } };

const SLOT_TABLE: SlotTable = Object.freeze({
  free: Object.freeze({
    accepted: slot("connecting", ["adoptSession", "useAttempt"]),
    handshakeDone: slot("free"),
    record: slot("free"),
    sessionEnded: slot("free"),
    disconnect: slot("free"),
    shutdown: slot("free"),
    guardExpired: slot("free"),
  }),
  connecting: Object.freeze({
    accepted: slot("connecting"),
    handshakeDone: slot("connected", ["emitConnected"]),
    record: slot("connecting"),
    sessionEnded: slot("disconnecting", ["releaseSession", "enterGuard"]),
    disconnect: slot("disconnecting", ["dropSession", "enterGuard"]),
    shutdown: slot("free", ["dropSession", "forget"]),
    guardExpired: slot("connecting"),
  }),
  connected: Object.freeze({
    accepted: slot("connected"),
    handshakeDone: slot("connected"),
    record: slot("connected", ["deliverRecord"]),
    sessionEnded: slot("disconnecting", ["releaseSession", "enterGuard"]),
    disconnect: slot("disconnecting", ["dropSession", "enterGuard"]),
    shutdown: slot("free", ["dropSession", "forget"]),
    guardExpired: slot("connected"),
  }),
  disconnecting: Object.freeze({
    accepted: slot("disconnecting"),
    handshakeDone: slot("disconnecting"),
    record: slot("disconnecting"),
    sessionEnded: slot("disconnecting"),
    disconnect: slot("disconnecting"),
    shutdown: slot("free", ["forget"]),
    guardExpired: slot("free", ["finishGuard"]),
  }),
});

export function slotTransition(state: SlotState, event: SlotEvent): SlotTransition {
  return SLOT_TABLE[state][event];
}
