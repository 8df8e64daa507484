// Requests the agent never answers (NON PUT/POST/DELETE, unknown method codes) against the
// server's duplicate detection (spec §4, §5, §7.1), with hand-built messages from a raw peer.
import test from "ava";
import { rawPeer } from "./raw-peer.js";
import { C_ADDR } from "./pair.js";

test("a NON PUT that is never answered does not block a CON GET reusing its Message ID 300 s later", async (t) => {
  const p = await rawPeer((s) => s.send("coaps resource r"));
  try {
    p.send("50030005b172ff41", 300_000); // NON PUT r, MID 5, payload "A"
    t.deepEqual(p.take(), []);
    p.send("40010005b172"); // CON GET r, MID 5, no token
    t.deepEqual(p.take(), ["60450005ff30"]); // ACK 2.05 with MID 5 and the content 0x30
    t.is(p.s.unread(), `coaps request from ${C_ADDR} PUT with payload: 41\r\ncoaps request from ${C_ADDR} GET\r\ncoaps response sent\r\n`);
  } finally {
    p.sim.close();
  }
});

test("a retransmitted CON request with an Undefined method prints one request line and is never answered", async (t) => {
  const p = await rawPeer((s) => s.send("coaps resource r"));
  try {
    for (const wait of [2000, 4000, 8000, 16000]) p.send("40050007b172", wait); // CON 0.05 r, MID 7, and its retransmissions
    t.deepEqual(p.take(), []);
    t.is(p.s.unread(), `coaps request from ${C_ADDR} Undefined\r\n`);
  } finally {
    p.sim.close();
  }
});
