// The `coaps` command table (spec §3). One sorted table of thin handlers: each parses its
// arguments, calls one agent method and returns an OtError; the shell prints the result line.

import { OtError } from "../coaps/ot-error.js";
import { startFailureLine } from "../coaps/start-failure.js";
import type { BlockSize, CoapsControl, RequestMethod } from "../coaps/types.js";
// Typed arguments are Latin-1 strings, one char per byte, so any byte typed on the UART reaches
// the agent unchanged: "the ASCII bytes of the tokens as typed".
import { latin1Decode, latin1Encode } from "../bytes/text.js";
import { peerAddress } from "../net/address.js";
import { parseUint } from "./parse.js";
import type { CommandHandler, Output } from "./shell.js";

type Handler = (agent: CoapsControl, args: readonly string[], out: Output, options: CoapsCommandOptions) => OtError;

export interface CoapsCommandOptions {
  /**
   * Where diagnostic lines go (the verbose console, the simulator log). OpenThread's result
   * line stays `Error 1: Failed` for every failed start; the reason is one such line.
   */
  readonly log?: (line: string) => void;
}

/** Buffer limits of cli_coap_secure (C strings with their NUL): inclusive maxima here. */
const MAX_PSK_CHARS = 32;
const MAX_URI_CHARS = 31;
const MAX_CONTENT_CHARS = 15;
const DEFAULT_PORT = 5684;

// Preloaded tables are frozen (a frozen Map is also what XS makes of a preloaded one).
const BLOCK_KEYWORDS: ReadonlyMap<string, BlockSize> = Object.freeze(new Map([
  ["block-16", 16], ["block-32", 32], ["block-64", 64], ["block-128", 128],
  ["block-256", 256], ["block-512", 512], ["block-1024", 1024],
] as const));

const yesNo = (out: Output, value: boolean): void => out.line(value ? "yes" : "no");

/** isclosed / isconnactive / isconnected share one shape (§3.10). */
const query = (predicate: (agent: CoapsControl) => boolean): Handler => (agent, args, out) => {
  if (args.length > 0) return OtError.InvalidArgs;
  yesNo(out, predicate(agent));
  return OtError.None;
};

/** get / put / post / delete (§3.11). The handler closes over a const copy of `method`: xsl keeps
 * a preloaded closure's binding in flash only if it is const (a parameter is not: "no const"). */
const request = (requestMethod: RequestMethod): Handler => {
  const method = requestMethod;
  return (agent, args) => {
    const uri = args[0];
    if (uri === undefined || uri.length > MAX_URI_CHARS) return OtError.InvalidArgs;
    const type = args[1];
    const block = type === undefined ? undefined : BLOCK_KEYWORDS.get(type);
    const confirmable = type === "con" || block !== undefined;
    let payload: Uint8Array | undefined;
    if (block !== undefined) {
      if (args[2] !== undefined) {
        const count = parseUint(args[2], 32);
        if (count === undefined) return OtError.InvalidArgs;
        agent.setBlockCount(count); // overwrites the node-wide setting, even for a GET (§2.2)
      }
    } else if (args[2] !== undefined) {
      payload = latin1Encode(args[2]);
    }
    return agent.sendRequest({ method, uriPath: uri, confirmable, block, payload });
  };
};

/**
 * `coaps connect <address> [<port>]` (§3.8); a dotted IPv4 address is an extension, and an
 * IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) connects to that IPv4 peer.
 */
const connect: Handler = (agent, args) => {
  if (args[0] === undefined) return OtError.InvalidArgs;
  const address = peerAddress(args[0]);
  if (address === undefined) return OtError.Parse;
  let port = DEFAULT_PORT;
  if (args[1] !== undefined) {
    const p = parseUint(args[1], 16);
    if (p === undefined) return OtError.InvalidArgs;
    port = p;
  }
  return agent.connect(address, port);
};

const disconnect: Handler = (agent) => {
  agent.disconnect();
  return OtError.None;
};

/** `coaps psk <psk> <identity>` (§3.4): the bytes as typed, not hex. */
const psk: Handler = (agent, args) => {
  const key = args[0], identity = args[1];
  if (key === undefined || identity === undefined) return OtError.InvalidArgs;
  if (key.length > MAX_PSK_CHARS || identity.length > MAX_PSK_CHARS) return OtError.InvalidArgs;
  agent.setPsk(latin1Encode(key), latin1Encode(identity));
  return OtError.None;
};

/** `coaps resource [<uri> [<block-count>]]` (§3.7): the count is checked before the rename. */
const resource: Handler = (agent, args, out) => {
  const uri = args[0];
  if (uri === undefined) {
    out.line(agent.resourceUri());
    return OtError.None;
  }
  if (uri.length > MAX_URI_CHARS) return OtError.InvalidArgs;
  if (args[1] !== undefined) {
    const count = parseUint(args[1], 32);
    if (count === undefined) return OtError.InvalidArgs;
    agent.setBlockCount(count);
  }
  agent.setResourceUri(uri);
  return OtError.None;
};

/** `coaps set [<content>]` (§3.6): not a credential command. */
const set: Handler = (agent, args, out) => {
  const content = args[0];
  if (content === undefined) {
    out.line(latin1Decode(agent.content()));
    return OtError.None;
  }
  if (content.length > MAX_CONTENT_CHARS) return OtError.InvalidArgs;
  agent.setContent(latin1Encode(content));
  return OtError.None;
};

/** `coaps start [true|false|<max-conn-attempts>]` (§3.2). */
const start: Handler = (agent, args, _out, options) => {
  const arg = args[0];
  let verifyPeer = true, attempts = 0;
  if (arg === "false") {
    verifyPeer = false;
  } else if (arg !== undefined && arg !== "true") {
    const n = parseUint(arg, 16);
    if (n === undefined) return OtError.InvalidArgs;
    attempts = n;
  }
  const result = agent.start(verifyPeer, attempts);
  if (typeof result === "number") return result;
  options.log?.(startFailureLine(result));
  return result.error;
};

/**
 * `coaps observe <uri> [<type>]` (extension, OpenThread's plain `coap observe` without the
 * address): `con` observes with a CON GET, any other word NON, as for `coaps get`. A block
 * type is refused: notifications are not block-wise.
 */
const observe: Handler = (agent, args) => {
  const uri = args[0];
  if (uri === undefined || uri.length > MAX_URI_CHARS || args.length > 2) return OtError.InvalidArgs;
  const type = args[1];
  if (type !== undefined && BLOCK_KEYWORDS.has(type)) return OtError.InvalidArgs;
  return agent.observe(uri, type === "con");
};

/** `coaps cancel [<uri>]` (extension, OpenThread's `coap cancel`): the URI, when given, must be the observed one. */
const cancel: Handler = (agent, args) => {
  if (args.length > 1) return OtError.InvalidArgs;
  return agent.cancelObserve(args[0]);
};

const stop: Handler = (agent) => {
  agent.stop();
  return OtError.None;
};

const x509: Handler = (agent) => {
  agent.setX509();
  return OtError.None;
};

/**
 * `coaps sessions [<n>]` (extension): no argument prints n; `<n>` in 1..8 sets it while the
 * transport is closed (InvalidState otherwise, InvalidArgs out of range).
 */
const sessions: Handler = (agent, args, out) => {
  if (args.length > 1) return OtError.InvalidArgs;
  if (args[0] === undefined) {
    out.line(String(agent.sessions()));
    return OtError.None;
  }
  const n = parseUint(args[0], 16);
  if (n === undefined) return OtError.InvalidArgs;
  return agent.setSessions(n);
};

/** Sorted by name: `coaps help` prints it in this order (a test checks both). */
export const COAPS_COMMANDS: ReadonlyArray<readonly [name: string, run: Handler]> = Object.freeze([
  Object.freeze(["connect", connect] as const),
  Object.freeze(["delete", request("DELETE")] as const),
  Object.freeze(["disconnect", disconnect] as const),
  Object.freeze(["get", request("GET")] as const),
  Object.freeze(["isclosed", query((a) => a.isClosed())] as const),
  Object.freeze(["isconnactive", query((a) => a.isConnectionActive())] as const),
  Object.freeze(["isconnected", query((a) => a.isConnected())] as const),
  Object.freeze(["post", request("POST")] as const),
  Object.freeze(["psk", psk] as const),
  Object.freeze(["put", request("PUT")] as const),
  Object.freeze(["resource", resource] as const),
  Object.freeze(["set", set] as const),
  Object.freeze(["start", start] as const),
  Object.freeze(["stop", stop] as const),
  Object.freeze(["x509", x509] as const),
]);

/**
 * Subcommands OpenThread's CLI does not have. They run like the others but `coaps help` does not
 * list them, so its output stays OpenThread's (the conformance transcripts pin it).
 */
export const COAPS_EXTENSION_COMMANDS: ReadonlyArray<readonly [name: string, run: Handler]> = Object.freeze([
  Object.freeze(["cancel", cancel] as const),
  Object.freeze(["observe", observe] as const),
  Object.freeze(["sessions", sessions] as const),
]);

const BY_NAME: ReadonlyMap<string, Handler> = Object.freeze(new Map([...COAPS_COMMANDS, ...COAPS_EXTENSION_COMMANDS]));

/** The top-level `coaps` command: bare `coaps` lists the subcommands and fails (§3.1). */
export function coapsCommand(agent: CoapsControl, options: CoapsCommandOptions = {}): CommandHandler {
  return (args, out) => {
    const sub = args[0];
    if (sub === undefined || sub === "help") {
      for (const [name] of COAPS_COMMANDS) out.line(name);
      return sub === undefined ? OtError.InvalidArgs : OtError.None;
    }
    const handler = BY_NAME.get(sub);
    return handler === undefined ? OtError.InvalidCommand : handler(agent, args.slice(1), out, options);
  };
}
