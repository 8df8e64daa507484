// Runs the preload walk of test/helpers/preload-frozen.ts inside XS: every module the manifest
// preloads, imported here (test/xs/preload-frozen-xs.test.ts checks this list against the
// manifest), and each unfrozen object's path printed on the console, then "end".
import type { Platform } from "../../../src/platform/index.js";
import { unfrozenPaths } from "../../helpers/preload-frozen.js";
import * as m0 from "../../../src/app.js";
import * as m1 from "../../../src/coap/blockwise.js";
import * as m2 from "../../../src/coap/decode.js";
import * as m3 from "../../../src/coap/dedup.js";
import * as m4 from "../../../src/coap/encode.js";
import * as m5 from "../../../src/coap/endpoint-context.js";
import * as m6 from "../../../src/coap/endpoint-types.js";
import * as m7 from "../../../src/coap/endpoint.js";
import * as m8 from "../../../src/coap/errors.js";
import * as m9 from "../../../src/coap/exchanges.js";
import * as m10 from "../../../src/coap/index.js";
import * as m11 from "../../../src/coap/message.js";
import * as m12 from "../../../src/coap/numbers.js";
import * as m13 from "../../../src/coap/options.js";
import * as m14 from "../../../src/coap/server.js";
import * as m15 from "../../../src/coaps/agent.js";
import * as m16 from "../../../src/coaps/block-counter.js";
import * as m17 from "../../../src/coaps/coap-resource.js";
import * as m18 from "../../../src/coaps/ot-error.js";
import * as m19 from "../../../src/coaps/types.js";
import * as m20 from "../../../src/cli/ascii.js";
import * as m21 from "../../../src/cli/coaps-commands.js";
import * as m22 from "../../../src/cli/coaps-output.js";
import * as m23 from "../../../src/cli/parse.js";
import * as m24 from "../../../src/cli/shell.js";
import * as m25 from "../../../src/cli/tokenize.js";
import * as m26 from "../../../src/dtls/index.js";
import * as m27 from "../../../src/dtls/session.js";
import * as m28 from "../../../src/dtls/test-credentials.js";
import * as m29 from "../../../src/dtls/transport-id.js";
import * as m30 from "../../../src/net/address.js";
import * as m31 from "../../../src/platform/clock.js";
import * as m32 from "../../../src/platform/dtls-binding.js";
import * as m33 from "../../../src/platform/index.js";
import * as m34 from "../../../src/platform/random.js";
import * as m35 from "../../../src/platform/serial.js";
import * as m36 from "../../../src/platform/udp.js";

export const PRELOADED: Readonly<Record<string, object>> = {
  "app": m0,
  "coap/blockwise": m1,
  "coap/decode": m2,
  "coap/dedup": m3,
  "coap/encode": m4,
  "coap/endpoint-context": m5,
  "coap/endpoint-types": m6,
  "coap/endpoint": m7,
  "coap/errors": m8,
  "coap/exchanges": m9,
  "coap/index": m10,
  "coap/message": m11,
  "coap/numbers": m12,
  "coap/options": m13,
  "coap/server": m14,
  "coaps/agent": m15,
  "coaps/block-counter": m16,
  "coaps/coap-resource": m17,
  "coaps/ot-error": m18,
  "coaps/types": m19,
  "cli/ascii": m20,
  "cli/coaps-commands": m21,
  "cli/coaps-output": m22,
  "cli/parse": m23,
  "cli/shell": m24,
  "cli/tokenize": m25,
  "dtls/index": m26,
  "dtls/session": m27,
  "dtls/test-credentials": m28,
  "dtls/transport-id": m29,
  "net/address": m30,
  "platform/clock": m31,
  "platform/dtls-binding": m32,
  "platform/index": m33,
  "platform/random": m34,
  "platform/serial": m35,
  "platform/udp": m36,
};

export function startPreloadWalk(platform: Platform): { close(): void } {
  const serial = platform.serial({ onReadable: () => undefined });
  const say = (line: string) => serial.write(Uint8Array.from(`${line}\r\n`, (c) => c.charCodeAt(0) & 0xff));
  say(`walked ${Object.keys(PRELOADED).length} modules`);
  for (const path of unfrozenPaths(PRELOADED)) say(path);
  say("end");
  return { close: () => undefined };
}
