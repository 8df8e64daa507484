import test from "ava";
import { CoapCode, CoapType } from "../../src/coap/numbers.js";
import { getUriPath } from "../../src/coap/options.js";
import { pair, run } from "./helpers/endpoint-harness.js";

test("a CON GET to a registered resource gets a piggy-backed 2.05 and the client reports it", (t) => {
  const p = pair();
  p.server.registerResource("test-resource");
  const id = p.client.request(p.now, { method: "GET", path: "test-resource", confirmable: true });
  run(p);
  const [req, resp] = p.log;
  t.is(req!.msg.type, CoapType.CON);
  t.is(getUriPath(req!.msg.options), "test-resource");
  t.is(req!.msg.token.length, 2);
  t.is(resp!.msg.type, CoapType.ACK);
  t.is(resp!.msg.messageId, req!.msg.messageId);
  t.deepEqual([...resp!.msg.token], [...req!.msg.token]);
  t.deepEqual(p.serverEvents.map((e) => e.kind), ["request", "responseSent"]);
  const r = p.clientEvents[0];
  t.is(r?.kind, "response");
  if (r?.kind === "response") { t.is(r.requestId, id); t.is(r.code, CoapCode.CONTENT); t.deepEqual([...r.payload], [0x6f, 0x6b]); }
  t.is(p.client.pendingRequests, 0);
  t.is(p.client.pollTimeout(), undefined);
});
