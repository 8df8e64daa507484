// A simulated node as client connects to libcoap's coap-server-openssl over real loopback DTLS.
import test from "ava";
import { command, connectToCoapsServer, realNode, startCoapsServer, hexOf } from "./peers.js";

const fromHex = (hex: string): string => Buffer.from(hex, "hex").toString("latin1");

test.serial("a node connects to coap-server-openssl and prints its resources' payloads in hex", async (t) => {
  const server = await startCoapsServer();
  const node = await realNode();
  try {
    await connectToCoapsServer(node.console, server.port);

    await command(node.console, "coaps get .well-known/core con");
    const core = await node.console.waitFor(/coaps response from 0:0:0:0:0:0:0:1 with payload: ([0-9a-f]+)\r\n/, 5000);
    t.true(fromHex(/payload: ([0-9a-f]+)/.exec(core)![1]!).includes("</time>"), core);

    await command(node.console, "coaps get time");
    const time = await node.console.waitFor(/coaps response from 0:0:0:0:0:0:0:1 with payload: ([0-9a-f]+)\r\n/, 5000);
    t.regex(fromHex(/payload: ([0-9a-f]+)/.exec(time)![1]!), /^[A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d$/);

    // A URI the server does not have: libcoap's 4.04 carries a diagnostic payload; the code is not shown (§4).
    await command(node.console, "coaps get nothere con");
    await node.console.waitFor(`coaps response from 0:0:0:0:0:0:0:1 with payload: ${hexOf("Not Found")}\r\n`, 5000);

    await command(node.console, "coaps disconnect");
    await node.console.waitFor("coaps disconnected\r\n", 3000);
    t.notRegex(server.output(), /ERR|CRIT/);
  } finally {
    server.stop();
    node.close();
  }
});
