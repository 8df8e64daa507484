// The firmware entry shared by the simulator, the XS lane and the device: opens the console
// Serial, builds the CoAPS agent and the shell, and prints the first `> ` prompt.

import type { Platform } from "./platform/index.js";
import { CoapSecureAgent, type AgentOptions, type X509Material } from "./coaps/agent.js";
import { Shell } from "./cli/shell.js";
import { coapsCommand } from "./cli/coaps-commands.js";
import { printAgentEvent } from "./cli/coaps-output.js";
import { latin1Encode } from "./bytes/text.js";
import { BUILTIN_CA_PEM, BUILTIN_CERT_PEM, BUILTIN_KEY_PEM } from "./dtls/builtin-x509.js";

export interface CoapsAppOptions {
  /** Local UDP port of the agent; 5684 (the spec's) unless a host test needs another. */
  port?: number;
  /** Credentials for `coaps x509`; default: the project's built-in test credentials. */
  x509?: X509Material;
  /** See AgentOptions.acceptedHandshakeTimeouts (default: OpenThread's 116 s handshake). */
  acceptedHandshakeTimeouts?: AgentOptions["acceptedHandshakeTimeouts"];
  /** See AgentOptions.notificationConfirmableEvery (default 5). */
  notificationConfirmableEvery?: number;
  /**
   * Verbose logging: diagnostic lines (e.g. why `coaps start` failed) are also printed on the
   * console, each on its own line before the result line. They always go to platform.log.
   */
  verbose?: boolean;
}

export function startCoapsApp(platform: Platform, options: CoapsAppOptions = {}): { close(): void } {
  const agent = new CoapSecureAgent(platform, {
    ...(options.port !== undefined ? { port: options.port } : {}),
    x509: options.x509 ?? builtInX509(),
    ...(options.acceptedHandshakeTimeouts ? { acceptedHandshakeTimeouts: options.acceptedHandshakeTimeouts } : {}),
    ...(options.notificationConfirmableEvery !== undefined ? { notificationConfirmableEvery: options.notificationConfirmableEvery } : {}),
  });
  let shell: Shell | undefined;
  const port = platform.serial({
    onReadable: () => {
      let bytes: Uint8Array | undefined;
      while ((bytes = port.read()) !== undefined) shell?.input(bytes);
    },
  });
  const verbose = options.verbose === true;
  const log = (line: string): void => {
    platform.log?.(line);
    if (verbose) shell?.line(line);
  };
  shell = new Shell(port, [["coaps", coapsCommand(agent, { log })]]);
  const out = shell;
  agent.onEvent((event) => printAgentEvent(out, event));
  shell.start();
  return { close: () => agent.close() };
}

/** spec §3.5, §8.3: every node uses the same built-in test CA, certificate and key. */
function builtInX509(): X509Material {
  return { certificate: latin1Encode(BUILTIN_CERT_PEM), privateKey: latin1Encode(BUILTIN_KEY_PEM), caChain: latin1Encode(BUILTIN_CA_PEM) };
}
