// A connect made long after the node started sends ONE first ClientHello (the engine is
// created at the caller's clock, so its first retransmission is 8 s after the connect, not
// already overdue), read back from the simulator's pcap by tshark.
import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSim } from "../../host-sim/harness.js";
import { run, S_ADDR } from "./pair.js";

function tshark(file: string, ...args: string[]): string[][] {
  const r = spawnSync("tshark", ["-r", file, ...args], { encoding: "utf8" });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout.trim().split("\n").filter((l) => l !== "").map((l) => l.split("|"));
}

test("connects at t = 20 s and t = 1000 s each send one ClientHello and one cookie-bearing ClientHello, as the capture shows", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "late-connect-"));
  try {
    const pcap = join(dir, "late.pcap");
    const sim = await createSim({ seed: 4, nodes: [1, 2], capture: { pcap } });
    const s = sim.console(1), c = sim.console(2);
    run(s, "coaps psk key id", "coaps start", "coaps resource r");
    run(c, "coaps psk key id", "coaps start");
    const connects: number[] = [];
    for (const at of [20_000, 1_000_000]) {
      sim.advance(at - sim.clock.now());
      connects.push(sim.clock.now());
      run(c, `coaps connect ${S_ADDR}`);
      c.expect("coaps connected\r\n", 1000);
      s.expect("coaps connected\r\n", 1000);
      sim.advance(30_000); // past every retransmission deadline a stale clock origin would set
      run(c, "coaps disconnect");
      c.expect("coaps disconnected\r\n", 3000);
      s.expect("coaps disconnected\r\n", 3000);
    }
    sim.close();
    const hellos = tshark(pcap, "-Y", "dtls.handshake.type == 1", "-T", "fields", "-E", "separator=|",
      "-e", "frame.time_epoch", "-e", "ipv6.src", "-e", "dtls.handshake.cookie_length");
    t.true(hellos.every((h) => h[1] === "fdde:ad00:beef::2"), "only the client says hello");
    const [first, second] = connects as [number, number];
    const during = (from: number, to: number) => hellos.filter((h) => Number(h[0]) * 1000 >= from && Number(h[0]) * 1000 < to).map((h) => h[2]);
    for (const [from, to] of [[first, second], [second, Infinity]] as const) {
      const cookies = during(from, to);
      t.is(cookies.length, 2, `ClientHellos of the connect at ${from / 1000} s`);
      t.is(cookies[0], "0", "the first carries no cookie");
      t.true(Number(cookies[1]) > 0, "the second answers the HelloVerifyRequest");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
