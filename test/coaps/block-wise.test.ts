import test from "ava";
import { after, connectedPair, C_ADDR, S_ADDR } from "./pair.js";
import { rawPeer } from "./raw-peer.js";

const hexLines = (text: string): string[] => [...text.matchAll(/^([0-9a-f]{32})\r$/gm)].map((m) => m[1]!);

test("block-wise PUT sends RFC 7959 Block1 blocks and the server gets the whole body", async (t) => {
  const p = await connectedPair();
  try {
    p.c.send("coaps put r block-16 3");
    const c = after(p, p.c, 1000);
    t.regex(c, /^coaps put r block-16 3\r\nsend block: Num 0 Len 16\r\n[0-9a-f]{32}\r\nDone\r\n> send block: Num 1 Len 16\r\n[0-9a-f]{32}\r\nsend block: Num 2 Len 16\r\n[0-9a-f]{32}\r\n/);
    t.true(c.endsWith(`coaps response from ${S_ADDR}\r\n`));
    const blocks = hexLines(c);
    t.is(blocks.length, 3);
    t.is(after(p, p.s, 0), `coaps request from ${C_ADDR} PUT with payload: ${blocks.join("")}\r\ncoaps response sent\r\n`);
  } finally {
    p.sim.close();
  }
});

test("block-wise POST with the default block count sends two blocks, both numbered 0", async (t) => {
  const p = await connectedPair();
  try {
    p.c.send("coaps post r block-32");
    const c = after(p, p.c, 1000);
    t.deepEqual([...c.matchAll(/send block: Num (\d+) Len 32/g)].map((m) => m[1]), ["0", "0"]);
    const blocks = hexLines(c);
    t.is(blocks.length, 4);
    t.regex(after(p, p.s, 0), new RegExp(`^coaps request from ${C_ADDR} POST with payload: ${blocks.join("")}\r\ncoaps response sent\r\n$`));
  } finally {
    p.sim.close();
  }
});

test("the block counter is one per node: serving a block GET continues where a block PUT left it", async (t) => {
  const p = await connectedPair();
  try {
    p.s.send("coaps put x block-16 3"); // to C, which has no resource: 4.04 after block 0 (S's Num 0)
    t.regex(after(p, p.s, 1000), /send block: Num 0 Len 16\r\n[0-9a-f]{32}\r\nDone\r\n> coaps response from \S+\r\n$/);
    p.c.send("coaps get r block-16");   // S serves with the same counter: Num 1, then 2 (wraps, more=0)
    after(p, p.c, 1000);
    t.deepEqual([...after(p, p.s, 0).matchAll(/send block: Num (\d+)/g)].map((m) => m[1]), ["1", "2"]);
    t.deepEqual([...p.c.transcript().matchAll(/received block: Num (\d+)/g)].map((m) => m[1]), ["0", "1"]);
  } finally {
    p.sim.close();
  }
});

test("a block-1024 response exceeds the 900-byte record limit: the server prints it, the client times out", async (t) => {
  const p = await connectedPair();
  try {
    p.c.send("coaps get r block-1024");
    t.regex(after(p, p.s, 500), /^coaps request from \S+ GET\r\nsend block: Num 0 Len 1024\r\n([0-9a-f]{32}\r\n){64}coaps response sent\r\n$/);
    p.c.expect("coaps receive response error 28: ResponseTimeout\r\n", 94_000);
    t.notRegex(p.c.transcript(), /received block/);
  } finally {
    p.sim.close();
  }
});

// One CON PUT to Uri-Path "r" carrying Block1 {num, more, SZX 5 = 512 bytes} and 512 bytes, as hex.
function block1Put(mid: number, num: number, more: boolean): string {
  const value = (num << 4) | (more ? 8 : 0) | 5;
  const opt = value > 0xff ? `d203${value.toString(16).padStart(4, "0")}` : `d103${value.toString(16).padStart(2, "0")}`;
  return `4003${mid.toString(16).padStart(4, "0")}b172${opt}ff${"5a".repeat(512)}`;
}

test("a block-wise PUT larger than the reassembly limit is refused with 4.13, not stored", async (t) => {
  const p = await connectedPair();
  try {
    // 17 blocks of 512 bytes exceed the 8 KB limit: the server answers 4.13 on the 17th block.
    // (block-1024 would not do: a 1024-byte block is over the 900-byte record limit, spec §8.5.)
    p.c.send("coaps put r block-512 17");
    const c = after(p, p.c, 5000);
    t.true(c.endsWith(`coaps response from ${S_ADDR}\r\n`), c.slice(-200));
    t.is(after(p, p.s, 0), "", "the server prints no request line for a refused body");
    p.c.send("coaps put r block-512 16"); // exactly 8 KB still fits
    after(p, p.c, 5000);
    t.regex(after(p, p.s, 0), new RegExp(`^coaps request from ${C_ADDR} PUT with payload: [0-9a-f]{16384}\r\ncoaps response sent\r\n$`));
  } finally {
    p.sim.close();
  }
  // The console shows no code, so check the answers on the wire: a raw CoAP peer sends the same
  // 17 blocks of 512 bytes and reads each ACK.
  const r = await rawPeer((s) => s.send("coaps resource r"));
  try {
    const codes: string[] = [];
    for (let num = 0; num < 17; num++) {
      r.send(block1Put(0x100 + num, num, true));
      const replies = r.take();
      t.is(replies.length, 1, `one answer to block ${num}`);
      t.is(replies[0]!.slice(0, 2), "60", "an ACK");
      t.is(replies[0]!.slice(4, 8), (0x100 + num).toString(16).padStart(4, "0"), "with the block's Message ID");
      codes.push(replies[0]!.slice(2, 4));
    }
    // 16 blocks of 512 bytes are exactly 8 KB: each gets 2.31 Continue; the 17th gets 4.13.
    t.deepEqual(codes, [...Array<string>(16).fill("5f"), "8d"]);
    t.is(r.s.unread(), "", "no request line for a refused body");
  } finally {
    r.sim.close();
  }
});

