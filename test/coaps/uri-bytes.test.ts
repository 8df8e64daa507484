// URIs are bytes as typed (spec §3.7, §3.11): a byte the console passes through (as Latin-1, src/bytes/text.ts) goes
// into Uri-Path as that one byte and is matched byte for byte, as OpenThread's C strings are.
import test from "ava";
import { rawPeer } from "./raw-peer.js";

const typed = (...parts: (string | number)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "number" ? [p] : Array.from(p, (c) => c.charCodeAt(0)))));

test("a resource typed with the byte 0xe9 answers a Uri-Path of that one byte, and not its UTF-8 form", async (t) => {
  const p = await rawPeer((s) => s.type(typed("coaps resource ", 0xe9, "\r")));
  try {
    p.send("40011234b1e9"); // CON GET, Uri-Path e9
    t.deepEqual(p.take(), ["60451234ff30"]); // ACK 2.05, content 0x30
    p.send("40011235b2c3a9"); // CON GET, Uri-Path c3 a9
    t.deepEqual(p.take(), ["60841235"]); // ACK 4.04
  } finally {
    p.sim.close();
  }
});

test("a request typed with the byte 0xe9 carries that one byte as its Uri-Path", async (t) => {
  const p = await rawPeer(() => undefined);
  try {
    p.s.type(typed("coaps get a/", 0xe9, " con\r")); // the accepting node asks its client (§6.4)
    p.sim.advance(100);
    const [request, ...rest] = p.take();
    t.deepEqual(rest, []);
    t.is(request?.slice(0, 4), "4201"); // CON GET with a 2-byte token
    t.is(request?.slice(12), "b161" + "01e9"); // Uri-Path "a", then Uri-Path e9
  } finally {
    p.sim.close();
  }
});
