import test from "ava";
import { transportIdOf } from "../../src/dtls/transport-id.js";

test("a transport id is the peer's address bytes followed by its port, big-endian", (t) => {
  t.deepEqual(transportIdOf("fd00:0:0:0:0:0:0:a", 0x1634),
    Uint8Array.of(0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a, 0x16, 0x34));
  t.deepEqual(transportIdOf("192.0.2.7", 5684), Uint8Array.of(192, 0, 2, 7, 0x16, 0x34));
});

test("every spelling of one address gives one transport id, and ports tell peers apart", (t) => {
  const id = transportIdOf("fd00:0:0:0:0:0:0:a", 5684);
  for (const same of ["fd00::a", "FD00::A", "[fd00::a]", "fd00::a%eth0", "fd00:0000::000a"]) {
    t.deepEqual(transportIdOf(same, 5684), id, same);
  }
  t.notDeepEqual(transportIdOf("fd00::a", 5685), id);
  t.notDeepEqual(transportIdOf("fd00::b", 5684), id);
});

test("unparsable peer text falls back to its first 30 ASCII bytes, still one id per peer", (t) => {
  t.deepEqual(transportIdOf("peer", 1), Uint8Array.of(0x70, 0x65, 0x65, 0x72, 0, 1));
  t.is(transportIdOf("x".repeat(100), 1).length, 32);
});
