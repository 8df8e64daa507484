import test from "ava";
import {
  canonicalAddress, commonPrefixLength, defaultNodeAddress, formatIpv6, parseAddress, parseIpv6, selectSourceAddress,
  type IpAddress,
} from "../../host-sim/ipv6.js";

test("node addresses print all eight groups with the id in hex and no compression", (t) => {
  t.is(defaultNodeAddress(1), "fdde:ad00:beef:0:0:0:0:1");
  t.is(defaultNodeAddress(26), "fdde:ad00:beef:0:0:0:0:1a");
  t.is(defaultNodeAddress(32), "fdde:ad00:beef:0:0:0:0:20");
});

test("compressed input is printed in the spec's full form", (t) => {
  t.is(canonicalAddress("fdde:ad00:beef::ff:fe00:fc00"), "fdde:ad00:beef:0:0:ff:fe00:fc00");
  t.is(canonicalAddress("FDDE:AD00:BEEF:0:9903:014B:27E0:5744"), "fdde:ad00:beef:0:9903:14b:27e0:5744");
  t.is(canonicalAddress("fd00::1234"), "fd00:0:0:0:0:0:0:1234");
  t.is(canonicalAddress("::"), "0:0:0:0:0:0:0:0");
  t.is(canonicalAddress("::ffff:192.0.2.1"), "0:0:0:0:0:ffff:c000:201");
  t.is(canonicalAddress("192.0.2.7"), "192.0.2.7");
});

test("malformed addresses, zones and brackets are rejected", (t) => {
  for (const bad of ["", "1::2::3", "fdde:ad00", "1:2:3:4:5:6:7:8:9", "12345::1", "fe80::1%eth0", "[::1]", "g::1", ":1::", "1.2.3", "256.1.1.1", "::1.2.3.4.5"]) {
    t.is(parseIpv6(bad), undefined, bad);
  }
  t.is(parseAddress("01.2.3.4"), undefined);
});

test("format and parse round-trip arbitrary bytes", (t) => {
  const bytes = new Uint8Array([0xfd, 0xde, 0, 0, 0, 0, 0, 1, 0x12, 0x34, 0, 0, 0, 0x0f, 0xff, 0xff]);
  t.deepEqual(parseIpv6(formatIpv6(bytes)), bytes);
});

test("source selection prefers the longest common prefix with the destination", (t) => {
  const a = (s: string) => parseAddress(s)! as IpAddress;
  const mleid = a("fdde:ad00:beef:0:9e68:576f:714c:f395");
  const rloc = a("fdde:ad00:beef:0:0:ff:fe00:fc01");
  const v4 = a("192.0.2.2");
  t.is(selectSourceAddress([mleid, rloc, v4], a("fdde:ad00:beef::ff:fe00:fc00"))?.text, rloc.text);
  t.is(selectSourceAddress([mleid, rloc, v4], a("fdde:ad00:beef:0:9903:14b:27e0:5744"))?.text, mleid.text);
  t.is(selectSourceAddress([mleid, rloc, v4], a("192.0.2.1"))?.text, "192.0.2.2");
  t.is(selectSourceAddress([mleid, rloc], a("192.0.2.1")), undefined);
  t.is(commonPrefixLength(rloc.bytes, a("fdde:ad00:beef::ff:fe00:fc00").bytes), 127);
});
