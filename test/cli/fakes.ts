// A recording serial writer and a scriptable fake agent for shell tests.
import { OtError } from "../../src/coaps/ot-error.js";
import type { CoapsControl, RequestSpec } from "../../src/coaps/types.js";
import { Shell } from "../../src/cli/shell.js";
import { coapsCommand } from "../../src/cli/coaps-commands.js";

export class RecordingPort {
  chunks: Uint8Array[] = [];
  write(bytes: Uint8Array): void { this.chunks.push(bytes.slice()); }
  text(): string { return this.chunks.map((c) => String.fromCharCode(...c)).join(""); }
  take(): string { const t = this.text(); this.chunks = []; return t; }
}

export class FakeAgent implements CoapsControl {
  calls: string[] = [];
  started = false;
  connected = false;
  active = false;
  uri = "";
  contentBytes: Uint8Array = new Uint8Array([0x30]);
  blockCount = 1;
  requests: RequestSpec[] = [];
  start(verifyPeer: boolean, maxAttempts: number): OtError {
    this.calls.push(`start ${verifyPeer} ${maxAttempts}`);
    if (this.started) return OtError.Already;
    this.started = true;
    return OtError.None;
  }
  stop(): void { this.calls.push("stop"); this.started = false; }
  connect(address: string, port: number): OtError {
    this.calls.push(`connect ${address} ${port}`);
    if (!this.started || this.active) return OtError.InvalidState;
    this.active = true;
    return OtError.None;
  }
  disconnect(): void { this.calls.push("disconnect"); }
  isClosed(): boolean { return !this.started; }
  isConnected(): boolean { return this.connected; }
  isConnectionActive(): boolean { return this.active; }
  setPsk(key: Uint8Array, identity: Uint8Array): void {
    this.calls.push(`psk ${Array.from(key).join(",")} ${Array.from(identity).join(",")}`);
  }
  setX509(): void { this.calls.push("x509"); }
  resourceUri(): string { return this.uri; }
  setResourceUri(uri: string): void { this.uri = uri; }
  content(): Uint8Array { return this.contentBytes; }
  setContent(content: Uint8Array): void { this.contentBytes = content; }
  setBlockCount(count: number): void { this.blockCount = count; }
  sendRequest(request: RequestSpec): OtError {
    this.requests.push(request);
    return this.connected ? OtError.None : OtError.InvalidState;
  }
  observe(uriPath: string, confirmable: boolean): OtError {
    this.calls.push(`observe ${uriPath} ${confirmable}`);
    return this.connected ? OtError.None : OtError.InvalidState;
  }
  cancelObserve(uriPath: string | undefined): OtError {
    this.calls.push(`cancel ${uriPath ?? "-"}`);
    return this.connected ? OtError.None : OtError.InvalidState;
  }
  maxSessions = 1;
  sessions(): number { return this.maxSessions; }
  setSessions(n: number): OtError {
    this.calls.push(`sessions ${n}`);
    if (n < 1 || n > 8) return OtError.InvalidArgs;
    if (this.started) return OtError.InvalidState;
    this.maxSessions = n;
    return OtError.None;
  }
}

export function makeShell(agent: CoapsControl = new FakeAgent()): { shell: Shell; port: RecordingPort } {
  const port = new RecordingPort();
  const shell = new Shell(port, [["coaps", coapsCommand(agent)]]);
  return { shell, port };
}

export const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
