// The interactive simulator hands its terminal console lines of at most TERMINAL_LINE_LIMIT
// bytes (host-sim/terminal.ts LineBound): a peer's 16 KB record no longer becomes one 32 KB
// terminal write, while every normal line reaches the terminal byte for byte.
import test from "ava";
import { LineBound, TERMINAL_LINE_LIMIT } from "../../host-sim/terminal.js";
import { connectedPair, run } from "../coaps/pair.js";
import { rawPeer } from "../coaps/raw-peer.js";

/** Feeds `text` through a fresh LineBound in chunks cut at the given sizes (repeating). */
function through(text: string, sizes: readonly number[], limit = TERMINAL_LINE_LIMIT): string {
  const bound = new LineBound(limit);
  let out = "";
  for (let pos = 0, i = 0; pos < text.length; i++) {
    const n = sizes[i % sizes.length]!;
    out += bound.filter(text.slice(pos, pos + n));
    pos += n;
  }
  return out;
}

const CHUNKINGS = [[1 << 30], [1], [2, 3], [7, 1, 13], [4096, 5]];

test("a whole session's console output reaches the terminal byte for byte, however it is chunked", async (t) => {
  const p = await connectedPair();
  try {
    run(p.s, "coaps set hello");
    run(p.c, "coaps get r", "coaps put r con 0123456789abcdef", "coaps post r block-32 3", "coaps resource", "coaps isconnected");
    p.sim.advance(5000);
    run(p.c, "coaps disconnect");
    p.sim.advance(3000);
    for (const con of [p.s, p.c]) {
      const transcript = con.transcript();
      t.true(transcript.length > 400);
      for (const sizes of CHUNKINGS) t.is(through(transcript, sizes), transcript, `chunks of ${sizes.join(",")}`);
    }
  } finally {
    p.sim.close();
  }
});

test("a request carrying a 16 KB record prints its whole line in the transcript; the terminal gets 8 KB of it and a count", async (t) => {
  const p = await rawPeer((s) => s.send("coaps resource r"));
  try {
    const payload = "5a".repeat(16_000);
    p.send(`40030040b172ff${payload}`); // CON PUT r, MID 0x40, 16,000 bytes in one DTLS record
    t.deepEqual(p.take(), ["60430040"], "answered 2.03 as usual");
    const transcript = p.s.unread();
    const line = `coaps request from fdde:ad00:beef:0:0:0:0:2 PUT with payload: ${payload}`;
    t.is(transcript, `${line}\r\ncoaps response sent\r\n`, "the firmware's output (and every test transcript) is unchanged");
    for (const sizes of CHUNKINGS) {
      const shown = through(transcript, sizes);
      const lines = shown.split("\r\n");
      t.true(lines.every((l) => l.length <= TERMINAL_LINE_LIMIT + 32), `no terminal line over the bound (chunks of ${sizes.join(",")})`);
      t.is(shown, `${line.slice(0, TERMINAL_LINE_LIMIT)} [... ${line.length - TERMINAL_LINE_LIMIT} more bytes]\r\ncoaps response sent\r\n`);
    }
  } finally {
    p.sim.close();
  }
});

test("a line of exactly the limit passes whole; one byte more is cut and counted, its CR LF kept", (t) => {
  const at = "x".repeat(16);
  t.is(through(`${at}\r\nnext\r\n`, [1 << 30], 16), `${at}\r\nnext\r\n`);
  t.is(through(`${at}\r\n`, [1], 16), `${at}\r\n`, "the CR after a full line arrives on its own");
  t.is(through(`${at}y\r\nnext\r\n`, [1 << 30], 16), `${at} [... 1 more bytes]\r\nnext\r\n`);
  t.is(through(`${at}yz\r\n> `, [17, 1, 1, 1], 16), `${at} [... 2 more bytes]\r\n> `, "CR and LF in separate chunks");
  t.is(through(`${at}yz\n`, [1 << 30], 16), `${at} [... 2 more bytes]\n`, "a bare LF ends a line too");
});
