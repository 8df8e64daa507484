// A small firmware that exercises every native of the XS lane: a line console on the Serial,
// UDP ping-pong, timers (also through async/await), random bytes and a DTLS engine. It runs
// unchanged on Node and inside xsnap, so the two transcripts can be compared byte for byte.
import { TimedDtlsSession, transportIdOf } from "../../../src/dtls/index.js";
import type { DtlsEngine, Platform, UdpSocket } from "../../../src/platform/index.js";
import { latin1Decode, latin1Encode } from "../../../src/bytes/text.js";

interface Peer { readonly address: string; readonly port: number }

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

export function startLaneFirmware(platform: Platform, options: { port?: number }): { close(): void } {
  const { clock, timers } = platform;
  let pending = "";
  let socket: UdpSocket | undefined;
  let engine: DtlsEngine | undefined;
  let session: TimedDtlsSession<Peer> | undefined;
  const serial = platform.serial({ onReadable: () => onBytes() });
  const out = (line: string) => serial.write(latin1Encode(`${line}\r\n`));
  const sleep = (ms: number) => new Promise<void>((resolve) => { timers.set(resolve, ms); });

  function onBytes(): void {
    const bytes = serial.read();
    if (bytes === undefined) return;
    pending += latin1Decode(bytes);
    // A terminal sends CR, scripts may send LF or CR LF: any of them ends a line.
    for (let m = /\r\n?|\n/.exec(pending); m !== null; m = /\r\n?|\n/.exec(pending)) {
      const line = pending.slice(0, m.index);
      pending = pending.slice(m.index + m[0].length);
      run(line.split(" ").filter((w) => w !== ""));
      serial.write(latin1Encode("> "));
    }
  }

  function onDatagrams(): void {
    for (let d = socket?.read(); d !== undefined; d = socket?.read()) {
      if (session !== undefined) {
        session.receive(d.bytes, { address: d.address, port: d.port }, transportIdOf(d.address, d.port));
        continue;
      }
      const body = latin1Decode(d.bytes);
      out(`rx [${d.address}]:${d.port} "${body}" at ${clock.now()}`);
      if (body.startsWith("ping")) socket?.write(latin1Encode(`pong${body.slice(4)}`), d.address, d.port);
    }
  }

  function run(args: string[]): void {
    const [command, a = "", b = ""] = args;
    switch (command) {
      case "echo": out(args.slice(1).join(" ")); return;
      case "now": out(`now ${clock.now()}`); return;
      case "sleep": timers.set(() => out(`woke at ${clock.now()}`), Number(a)); return;
      case "cancel": timers.clear(timers.set(() => out("cancelled timer fired"), Number(a))); out("cancelled"); return;
      case "chain":
        void (async () => {
          for (let i = 1; i <= Number(a); i++) { await sleep(Number(b)); out(`step ${i} at ${clock.now()}`); }
        })();
        return;
      case "bind":
        socket?.close();
        socket = platform.udp({ port: Number(a), onReadable: onDatagrams });
        out(`bound ${a}`);
        return;
      case "send": socket?.write(latin1Encode(args.slice(3).join(" ")), a, Number(b)); return;
      case "secure": secure(a, b, args.slice(3)); return;
      case "rand": { const r = new Uint8Array(Number(a)); platform.random.fill(r); out(hex(r)); return; }
      case "dtls":
        try { dtls(a, b); } catch (error) { out(`error: ${(error as Error).name}: ${(error as Error).message}`); }
        return;
      case "throw": throw new RangeError(`asked to throw ${a}`);
      case "reject": void Promise.reject(new Error(`asked to reject ${a}`)); return;
      case "timer-throw": timers.set(() => { throw new TypeError(`timer threw ${a}`); }, Number(b) || 1); return;
      default: out(`unknown ${command ?? ""}`);
    }
  }

  // A real DTLS session (PSK) on the bound socket: "secure listen", "secure connect <addr> <port>",
  // "secure send <text>", "secure close". The server echoes each record back.
  function secure(step: string, arg: string, rest: string[]): void {
    if (step === "send") { session?.send(latin1Encode(`${arg} ${rest.join(" ")}`.trim())); return; }
    if (step === "close") { session?.close(); return; }
    const udp = socket;
    if (udp === undefined) { out("bind first"); return; }
    const server = step === "listen";
    const current: TimedDtlsSession<Peer> = new TimedDtlsSession<Peer>({
      binding: platform.dtls, clock, timers,
      role: server ? "server" : "client",
      credentials: { mode: "psk", key: latin1Encode("lane-secret"), identity: latin1Encode("lane") },
      ...(server ? {} : { peer: { address: arg, port: Number(rest[0]) } }),
      send: (datagram, peer) => udp.write(datagram, peer.address, peer.port),
      events: {
        onAccepted: (peer) => out(`secure accepted [${peer.address}]:${peer.port}`),
        onConnected: () => out(`secure connected suite=${current.cipherSuite.toString(16)} at ${clock.now()}`),
        onData: (data) => {
          out(`secure rx "${latin1Decode(data)}" at ${clock.now()}`);
          if (server) current.send(latin1Encode(`echo:${latin1Decode(data)}`));
        },
        onClosed: (reason, error) => { out(`secure closed ${reason} ${error} at ${clock.now()}`); session = undefined; },
      },
    });
    session = current;
  }

  function dtls(step: string, arg: string): void {
    if (step === "create") {
      engine = platform.dtls.createEngine(clock.now(), { role: "client", credentials: { mode: "psk", key: latin1Encode("secret"), identity: latin1Encode(arg) } });
    } else if (engine === undefined) {
      out("no engine"); return;
    } else if (step === "feed") engine.feed(clock.now(), latin1Encode(arg));
    else if (step === "write") engine.write(clock.now(), latin1Encode(arg));
    else if (step === "timer") engine.handleTimer(clock.now());
    else if (step === "close") engine.close(clock.now());
    else if (step === "free") { engine.free(); engine = undefined; out("freed"); return; }
    // "show": no call into the engine, only what its queries say now (after a call that threw).
    const sent: string[] = [], got: string[] = [];
    for (let d = engine.takeOutgoing(); d !== undefined; d = engine.takeOutgoing()) sent.push(latin1Decode(d));
    for (let r = engine.read(); r !== undefined; r = engine.read()) got.push(latin1Decode(r));
    out(`dtls ${engine.state()} ${engine.error()} suite=${engine.cipherSuite()} deadline=${engine.nextDeadline()} ` +
      `out=[${sent.join("|")}] in=[${got.join("|")}]`);
  }

  out(`lane firmware up, port ${options.port ?? 0}`);
  serial.write(latin1Encode("> "));
  return { close: () => { socket?.close(); engine?.free(); out("bye"); } };
}
