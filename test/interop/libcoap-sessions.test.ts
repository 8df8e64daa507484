// `coaps sessions 8` over real loopback DTLS: eight coap-client-openssl processes started at
// once each GET the node's resource, and the node holds all eight sessions at the same time
// (every `coaps connected` comes before the first `coaps disconnected`: a slot stays busy through
// its guard, so a single-session node could not print that).
import test from "ava";
import { realNode } from "./peers.js";
import { CLIENTS, count, heldAtOnce, libcoapCrowd } from "./libcoap-crowd.js";

test.serial("eight libcoap clients at once each get the resource from a node with coaps sessions 8", async (t) => {
  const node = await realNode();
  try {
    const outputs = await libcoapCrowd(node.console, node.port);
    const text = node.console.transcript();
    for (const out of outputs) t.regex(out, /hello/, `client: ${out}\nnode: ${text}`); // coap-client exits 0 even on failure
    t.is(count(text, "coaps request from 0:0:0:0:0:0:0:1 GET\r\n"), CLIENTS, text);
    t.is(count(text, "coaps connected\r\n"), CLIENTS, text);
    t.true(heldAtOnce(text), `all ${CLIENTS} sessions were held at once:\n${text}`);
    t.deepEqual(node.suites, Array(CLIENTS).fill(0xc0a8));
  } finally {
    node.close();
  }
});
