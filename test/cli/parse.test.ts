import test from "ava";
import { formatIp6, parseAddressText, parseIp6, parseUint } from "../../src/cli/parse.js";

test("unsigned numbers accept decimal and 0x hex within the type", (t) => {
  t.is(parseUint("0", 16), 0);
  t.is(parseUint("65535", 16), 65535);
  t.is(parseUint("0x1F", 16), 31);
  t.is(parseUint("0XfF", 16), 255);
  t.is(parseUint("4294967295", 32), 4294967295);
});

test("unsigned numbers reject signs, spaces, empty digits and overflow", (t) => {
  for (const bad of ["-1", "+1", "abc", "0x", "", " 1", "1 ", "70000", "0x10000", "1.0", "12a"]) {
    t.is(parseUint(bad, 16), undefined, bad);
  }
  t.is(parseUint("4294967296", 32), undefined);
});

test("IPv6 addresses print as eight groups without compression or leading zeros", (t) => {
  t.is(formatIp6(parseIp6("fdde:ad00:beef::ff:fe00:fc00")!), "fdde:ad00:beef:0:0:ff:fe00:fc00");
  t.is(formatIp6(parseIp6("::")!), "0:0:0:0:0:0:0:0");
  t.is(formatIp6(parseIp6("::1")!), "0:0:0:0:0:0:0:1");
  t.is(formatIp6(parseIp6("FD00::1234")!), "fd00:0:0:0:0:0:0:1234");
  t.is(formatIp6(parseIp6("fe80::")!), "fe80:0:0:0:0:0:0:0");
  t.is(formatIp6(parseIp6("0001:0002:0003:0004:0005:0006:0007:0008")!), "1:2:3:4:5:6:7:8");
});

test("IPv6 addresses accept a dotted IPv4 tail", (t) => {
  t.is(formatIp6(parseIp6("::ffff:192.168.1.2")!), "0:0:0:0:0:ffff:c0a8:102");
  t.is(formatIp6(parseIp6("1:2:3:4:5:6:1.2.3.4")!), "1:2:3:4:5:6:102:304");
});

test("malformed IPv6 addresses are rejected", (t) => {
  for (const bad of ["foo", "1::2::3", ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::",
    "12345::", "fe80::1%eth0", "[fe80::1]", "1:", ":1", "1::2:", "g::", "1.2.3.4::", "::1.2.3", "::256.1.1.1", ""]) {
    t.is(parseIp6(bad), undefined, bad);
  }
});

test("connect addresses take IPv6 or, as an extension, dotted IPv4", (t) => {
  t.is(parseAddressText("127.0.0.1"), "127.0.0.1");
  t.is(parseAddressText("fdde:ad00:beef:0:9903:14b:27e0:5744"), "fdde:ad00:beef:0:9903:14b:27e0:5744");
  t.is(parseAddressText("1.2.3"), undefined);
  t.is(parseAddressText("foo"), undefined);
});
