import test from "ava";
import { parseAddress, type IpAddress } from "../../src/net/address.js";
import { commonPrefixLength, defaultNodeAddress, defaultNodeIpv4, selectSourceAddress } from "../../host-sim/ipv6.js";

test("node addresses print all eight groups with the id in hex and no compression", (t) => {
  t.is(defaultNodeAddress(1), "fdde:ad00:beef:0:0:0:0:1");
  t.is(defaultNodeAddress(26), "fdde:ad00:beef:0:0:0:0:1a");
  t.is(defaultNodeAddress(32), "fdde:ad00:beef:0:0:0:0:20");
});

test("node IPv4 addresses exist for ids 1..254 only", (t) => {
  t.is(defaultNodeIpv4(1), "192.0.2.1");
  t.is(defaultNodeIpv4(254), "192.0.2.254");
  t.throws(() => defaultNodeIpv4(0), { instanceOf: RangeError });
  t.throws(() => defaultNodeIpv4(255), { instanceOf: RangeError });
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
