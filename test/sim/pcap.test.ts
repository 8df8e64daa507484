import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VirtualClock } from "../../host-sim/virtual-clock.js";
import { SimNetwork } from "../../host-sim/sim-network.js";
import { simUdpFactory } from "../../host-sim/sim-udp.js";
import { PcapWriter } from "../../host-sim/pcap.js";
import { createSim, runTranscript } from "../../host-sim/harness.js";

// A CoAP CON GET /test-resource, message id 0x1234, token 0xab: something tshark dissects deeply.
const COAP_GET = new Uint8Array([0x41, 0x01, 0x12, 0x34, 0xab, 0xbd, 0x00, ...Array.from("test-resource", (c) => c.charCodeAt(0))]);

function tshark(file: string, ...args: string[]): string {
  const r = spawnSync("tshark", ["-r", file, "-o", "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", ...args], { encoding: "utf8" });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout;
}

test("a capture opens in tshark with IPv6/UDP/CoAP, valid checksums and virtual timestamps", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sim-pcap-"));
  try {
    const file = join(dir, "run.pcap");
    const clock = new VirtualClock();
    const net = new SimNetwork({ clock, link: { delayMs: 20 } });
    const pcap = new PcapWriter(file);
    net.addTap((d) => pcap.write(d));
    const a = net.addNode(1), b = net.addNode(2);
    const server = simUdpFactory(b)({ port: 5683, onReadable: () => {
      const d = server.read()!;
      server.write(new Uint8Array([0x61, 0x45, 0x12, 0x34, 0xab, 0xff, 0x30]), d.address, d.port); // ACK 2.05 "0"
    } });
    const client = simUdpFactory(a)({ port: 40000, onReadable: () => void client.read() });
    clock.advance(1500);
    client.write(COAP_GET, "fdde:ad00:beef::2", 5683);
    clock.advance(100);
    client.write(new Uint8Array([1, 2, 3]), "fdde:ad00:beef::2", 5999); // odd length, checksum padding
    clock.advance(100);
    pcap.close();

    const fields = tshark(file, "-T", "fields", "-E", "separator=|",
      "-e", "frame.time_epoch", "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "udp.srcport", "-e", "udp.dstport",
      "-e", "udp.checksum.status", "-e", "coap.code", "-e", "coap.opt.uri_path").trim().split("\n");
    t.is(fields.length, 3);
    const [get, ack, raw] = fields.map((l) => l.split("|"));
    t.is(Number(get![0]), 1.5);
    t.is(Number(ack![0]), 1.52);
    t.deepEqual(get!.slice(1, 5), ["fdde:ad00:beef::1", "fdde:ad00:beef::2", "40000", "5683"]);
    t.deepEqual(ack!.slice(1, 5), ["fdde:ad00:beef::2", "fdde:ad00:beef::1", "5683", "40000"]);
    t.is(get![6], "1");
    t.is(get![7], "test-resource");
    t.is(ack![6], "69");
    for (const row of [get, ack, raw]) t.is(row![5], "1", "checksum status: good"); // 0 Bad, 1 Good, 2 Unverified
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("with the key log beside it, tshark decrypts the CoAP inside a simulated DTLS session", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sim-pcap-"));
  try {
    const pcap = join(dir, "coaps.pcap"), keyLog = join(dir, "coaps.keylog");
    const sim = await createSim({ nodes: [1, 2], capture: { pcap, keyLog } });
    const consoles = runTranscript(sim, [
      { node: 1, send: "coaps psk secret123 id1" }, { node: 1, send: "coaps start" }, { node: 1, send: "coaps resource test-resource" },
      { node: 2, send: "coaps psk secret123 id1" }, { node: 2, send: "coaps start" },
      { node: 2, send: "coaps connect fdde:ad00:beef::1" }, { wait: 100 },
      { node: 2, send: "coaps get test-resource" }, { wait: 100 },
    ]);
    sim.close();
    t.regex(consoles.get(2)!, /coaps response from fdde:ad00:beef:0:0:0:0:1 with payload: 30\r\n$/);
    const fields = ["-T", "fields", "-E", "separator=|", "-e", "dtls.handshake.type", "-e", "coap.code", "-e", "coap.opt.uri_path"];
    const rows = (text: string) => text.trim().split("\n").map((l) => l.split("|"));
    const decrypted = rows(tshark(pcap, "-o", `tls.keylog_file:${keyLog}`, ...fields));
    t.deepEqual(decrypted.filter((r) => r[1] !== "").map((r) => r.slice(1)), [["1", "test-resource"], ["69", ""]]);
    t.true(decrypted.some((r) => r[0] === "3"), "the HelloVerifyRequest (cookie) is in the capture");
    const sealed = rows(tshark(pcap, ...fields));
    t.deepEqual(sealed.filter((r) => r[1] !== ""), [], "without the keys the CoAP stays encrypted");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a raw-IP capture holds virtual IPv4 datagrams next to IPv6 ones, checksums valid", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sim-pcap-"));
  try {
    const file = join(dir, "mixed.pcap");
    const clock = new VirtualClock();
    const net = new SimNetwork({ clock });
    const pcap = new PcapWriter(file, { linkType: "raw" });
    net.addTap((d) => pcap.write(d));
    const a = net.addNode(1, { ipv4: true });
    net.addNode(2, { ipv4: true });
    const s = simUdpFactory(a)({ port: 5684, onReadable: () => {} });
    s.write(new Uint8Array([1, 2, 3, 4, 5]), "192.0.2.2", 5684);
    s.write(new Uint8Array([6]), "fdde:ad00:beef::2", 5684);
    pcap.close();
    const rows = tshark(file, "-T", "fields", "-E", "separator=|", "-e", "ip.src", "-e", "ip.dst", "-e", "ipv6.src",
      "-e", "ip.checksum.status", "-e", "udp.checksum.status").trim().split("\n").map((l) => l.split("|"));
    t.deepEqual(rows, [["192.0.2.1", "192.0.2.2", "", "1", "1"], ["", "", "fdde:ad00:beef::1", "", "1"]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
