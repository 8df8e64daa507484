// The agent's state table (src/coaps/session-machine.ts): every state/event pair is defined,
// and the rows that carry the spec's rules say what the spec says.
import test from "ava";
import {
  AGENT_STATES, MACHINE_EVENTS, SLOT_EVENTS, SLOT_STATES, slotTransition, transition, type AgentState, type MachineEvent,
} from "../../src/coaps/session-machine.js";
import { OtError } from "../../src/coaps/ot-error.js";

test("every state/event pair has a transition to a known state, with known actions", (t) => {
  const actions = new Set([
    "resetAttempts", "useAttempt", "listen", "relisten", "dropSession", "releaseSession", "adoptPeer",
    "emitConnected", "deliverRecord", "enterGuard", "freezeRequests", "markStop", "finishGuard", "closeTransport",
  ]);
  let pairs = 0;
  for (const state of AGENT_STATES) {
    for (const event of MACHINE_EVENTS) {
      const tr = transition(state, event);
      t.truthy(tr, `${state} × ${event}`);
      t.true(AGENT_STATES.includes(tr.next), `${state} × ${event} → ${tr.next}`);
      for (const a of tr.actions) t.true(actions.has(a), `${state} × ${event}: action ${a}`);
      t.is(typeof tr.result, "number");
      pairs++;
    }
  }
  t.is(pairs, 5 * 13);
});

const next = (s: AgentState, e: MachineEvent) => transition(s, e).next;

test("every teardown of a session goes through the guard, and only the guard ends in coaps disconnected", (t) => {
  for (const s of ["connecting", "connected"] as const) {
    for (const e of ["stop", "disconnect", "sessionEnded"] as const) {
      t.is(next(s, e), "disconnecting", `${s} × ${e}`);
      t.true(transition(s, e).actions.includes("enterGuard"), `${s} × ${e}`);
    }
  }
  for (const s of AGENT_STATES) {
    for (const e of MACHINE_EVENTS) {
      const finishes = transition(s, e).actions.includes("finishGuard");
      t.is(finishes, s === "disconnecting" && (e === "guardExpired" || e === "guardExpiredLast"), `${s} × ${e}`);
    }
  }
  t.is(next("disconnecting", "guardExpired"), "idle");
  t.is(next("disconnecting", "guardExpiredLast"), "closed");
});

test("a session set-up uses one attempt: connect and accepted, nothing else (§3.2)", (t) => {
  for (const s of AGENT_STATES) {
    for (const e of MACHINE_EVENTS) {
      const uses = transition(s, e).actions.includes("useAttempt");
      t.is(uses, s === "idle" && (e === "connect" || e === "accepted"), `${s} × ${e}`);
    }
  }
});

test("command results: Already once open, InvalidState for connect unless idle (§3.2, §3.8)", (t) => {
  for (const s of AGENT_STATES) {
    t.is(transition(s, "restart").result, s === "closed" ? OtError.None : OtError.Already, s);
    t.is(transition(s, "connect").result, s === "idle" ? OtError.None : OtError.InvalidState, s);
    for (const e of ["stop", "disconnect", "credentials", "shutdown"] as const) t.is(transition(s, e).result, OtError.None, `${s} × ${e}`);
  }
});

test("stop during the guard only remembers to close; the guard still ends with coaps disconnected (§3.3)", (t) => {
  t.deepEqual(transition("disconnecting", "stop"), { next: "disconnecting", actions: ["markStop"], result: OtError.None });
  t.deepEqual(transition("idle", "stop").next, "closed");
  t.deepEqual(transition("closed", "stop"), { next: "closed", actions: [], result: OtError.None });
});

test("records reach the endpoint only while connected; datagrams in the guard reach nothing (§8.4)", (t) => {
  for (const s of AGENT_STATES) t.is(transition(s, "record").actions.includes("deliverRecord"), s === "connected", s);
});

// ---- the server slots of `coaps sessions <n>` (n > 1) ----

test("every slot state/event pair has a transition to a known slot state, with known actions", (t) => {
  const actions = new Set([
    "adoptSession", "useAttempt", "emitConnected", "deliverRecord", "dropSession", "releaseSession",
    "enterGuard", "finishGuard", "forget",
  ]);
  let pairs = 0;
  for (const state of SLOT_STATES) {
    for (const event of SLOT_EVENTS) {
      const tr = slotTransition(state, event);
      t.truthy(tr, `${state} × ${event}`);
      t.true(SLOT_STATES.includes(tr.next), `${state} × ${event} → ${tr.next}`);
      for (const a of tr.actions) t.true(actions.has(a), `${state} × ${event}: action ${a}`);
      pairs++;
    }
  }
  t.is(pairs, 4 * 7);
});

test("a slot's session ends only through its own guard, and only the guard prints coaps disconnected", (t) => {
  for (const s of ["connecting", "connected"] as const) {
    for (const e of ["disconnect", "sessionEnded"] as const) {
      t.is(slotTransition(s, e).next, "disconnecting", `${s} × ${e}`);
      t.true(slotTransition(s, e).actions.includes("enterGuard"), `${s} × ${e}`);
    }
  }
  for (const s of SLOT_STATES) {
    for (const e of SLOT_EVENTS) {
      const tr = slotTransition(s, e);
      t.is(tr.actions.includes("finishGuard"), s === "disconnecting" && e === "guardExpired", `${s} × ${e}`);
      // A busy slot is freed only by its guard, or silently when the app closes.
      if (s !== "free" && tr.next === "free") t.true(e === "guardExpired" || e === "shutdown", `${s} × ${e}`);
    }
  }
});

test("each accepted peer uses one attempt; records reach a slot's endpoint only while connected", (t) => {
  for (const s of SLOT_STATES) {
    for (const e of SLOT_EVENTS) {
      const tr = slotTransition(s, e);
      t.is(tr.actions.includes("useAttempt"), s === "free" && e === "accepted", `${s} × ${e}`);
      t.is(tr.actions.includes("deliverRecord"), s === "connected" && e === "record", `${s} × ${e}`);
    }
  }
});
