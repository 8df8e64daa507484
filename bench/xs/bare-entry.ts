// bare-pair.ts inside one XS machine (the in-process runner), with the device's DTLS glue:
// {"op":"gets","count":n} runs n GETs and answers the milliseconds they took, timed inside
// the machine (hostNow), as the Node side times its own.
/// <reference path="../../src/platform/moddable/xs-globals.d.ts" />
import { createNativeDtlsBinding } from "../../src/platform/moddable/dtls-native.js";
import { connectedBarePair } from "./bare-pair.js";

declare const hostNow: () => number;

const pair = connectedBarePair(createNativeDtlsBinding());
(globalThis as unknown as { handleLine(line: string): string }).handleLine = (line) => {
  const request = JSON.parse(line) as { op: string; count: number };
  if (request.op !== "gets") throw new Error(`bare pair: no op ${request.op}`);
  const t0 = hostNow();
  pair.gets(request.count);
  return JSON.stringify(hostNow() - t0);
};
