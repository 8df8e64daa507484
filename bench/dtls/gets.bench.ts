// (b) Sequential CoAP CON GETs per second in one DTLS-PSK session against coap-server-openssl:
// ours (Node) vs the C reference client (same engine) vs npm node-coap-client.
// Targets: ours >= 0.5x C and >= 5x node-coap-client. Run: npx tsx bench/dtls/gets.bench.ts
import { performance } from "node:perf_hooks";
import { UdpDtls } from "../../test/dtls/helpers/udp-driver.js";
import { psk } from "../../test/dtls/helpers/pair.js";
import { buildReference, runReference, startCoapServer, median, verdict, loadNodeCoapClient, openPlainCoap } from "./common.js";

const COUNT = Number(process.env.DTLS_BENCH_GETS ?? 5000);
const exe = buildReference();
const server = await startCoapServer();

async function oursGets(n: number): Promise<number> {
  const c = await UdpDtls.connect("127.0.0.1", server.port, psk("secretPSK", "Client_identity"));
  const req = Uint8Array.of(0x42, 0x01, 0, 0, 0xbe, 0xef, 0xb4, 0x74, 0x69, 0x6d, 0x65); // CON GET /time
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    req[2] = (i >> 8) & 0xff;
    req[3] = i & 0xff;
    const res = await c.request(req);
    if (res[1] !== 0x45 || res[2] !== req[2] || res[3] !== req[3]) throw new Error("bad response");
  }
  const rate = n / ((performance.now() - t0) / 1000);
  c.close();
  return rate;
}

// The ceiling for any Node client: the same GET without DTLS.
async function plainNodeGets(n: number): Promise<number> {
  const plain = await openPlainCoap(server.port);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await plain.get(i);
  const rate = n / ((performance.now() - t0) / 1000);
  plain.close();
  return rate;
}

async function nodeCoapClientGets(n: number): Promise<number> {
  const CoapClient = await loadNodeCoapClient();
  const url = `coaps://127.0.0.1:${server.port}/time`;
  CoapClient.setSecurityParams("127.0.0.1", { psk: { Client_identity: "secretPSK" } });
  await CoapClient.request(url, "get"); // handshake outside the timing
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await CoapClient.request(url, "get");
    if (r.code.toString() !== "2.05") throw new Error(`node-coap-client got ${r.code.toString()}`);
  }
  const rate = n / ((performance.now() - t0) / 1000);
  CoapClient.reset();
  return rate;
}

try {
  runReference(exe, "gets", server.port, 500);
  await oursGets(500);
  const cRounds: number[] = [], ourRounds: number[] = [], plainRounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    cRounds.push(runReference(exe, "gets", server.port, COUNT / 5));
    ourRounds.push(await oursGets(COUNT / 5));
    plainRounds.push(await plainNodeGets(COUNT / 5));
  }
  const plain = median(plainRounds);
  const ncc = await nodeCoapClientGets(Math.min(COUNT / 5, 2000));
  const c = median(cRounds), ours = median(ourRounds);
  console.log(`Sequential CON GET /time in one DTLS-PSK session vs coap-server-openssl:`);
  console.log(`  C reference (same engine):   ${c.toFixed(0)} GETs/s`);
  console.log(`  ours (Node, DtlsSession):    ${ours.toFixed(0)} GETs/s`);
  console.log(`  npm node-coap-client:        ${ncc.toFixed(0)} GETs/s`);
  console.log(`  (Node dgram ceiling, plain CoAP without DTLS: ${plain.toFixed(0)} GETs/s; ours reaches ${(ours / plain).toFixed(2)} of it)`);
  console.log(`  ours / C = ${(ours / c).toFixed(2)}x (target >= 0.5x: ${verdict(ours / c >= 0.5)})`);
  console.log(`  ours / node-coap-client = ${(ours / ncc).toFixed(2)}x (target >= 5x: ${verdict(ours / ncc >= 5)})`);
} finally {
  server.stop();
}
