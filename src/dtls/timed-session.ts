// TimedDtlsSession: a DtlsSession driven by the platform's Clock and Timers, with a send
// function and event callbacks, for programs that run one session and nothing else (the XS
// lane firmware, test peers, benchmarks). The CoAPS agent does not use it: it drives the
// sans-IO DtlsSession itself, next to its CoAP endpoint, under one timer.
//
//   const s = new TimedDtlsSession<Peer>({
//     binding, clock, timers, role, credentials, peer?,     // as DtlsSessionOptions, plus:
//     send(datagram, peer) { udp.write(...) },              // a throw costs that one datagram
//     events: { onAccepted(peer), onConnected(), onData(bytes), onClosed(reason, error) },
//   });
//   s.receive(datagram, from, transportId?)   s.send(bytes)   s.close()
//   s.state / s.error / s.peer / s.cipherSuite / s.keyLog()
//
// Callbacks run after the session has taken its input, so a handler may call send() or
// close(): that queues more output, which the same drain delivers in order. One timer is kept
// at the session's deadline.
import type { Clock, Timers, TimerHandle } from "../platform/clock.js";
import type { DtlsEngineState, DtlsErrorName } from "../platform/dtls-binding.js";
import { DtlsSession, type DtlsCloseReason, type DtlsSessionOptions } from "./session.js";

export interface DtlsSessionEvents<P> {
  onAccepted?(peer: P): void;
  onConnected?(): void;
  onData?(data: Uint8Array): void;
  onClosed?(reason: DtlsCloseReason, error: DtlsErrorName): void;
}

export interface TimedDtlsSessionOptions<P> extends DtlsSessionOptions<P> {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly send: (datagram: Uint8Array, peer: P) => void;
  readonly events?: DtlsSessionEvents<P>;
}

export class TimedDtlsSession<P> {
  readonly #session: DtlsSession<P>;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #sendFn: (datagram: Uint8Array, peer: P) => void;
  readonly #events: DtlsSessionEvents<P>;
  #timer: TimerHandle | undefined;
  #timerAt = 0;

  constructor(options: TimedDtlsSessionOptions<P>) {
    this.#clock = options.clock;
    this.#timers = options.timers;
    this.#sendFn = options.send;
    this.#events = options.events ?? {};
    this.#session = new DtlsSession<P>(options.clock.now(), options);
    this.#drain();
  }

  get state(): DtlsEngineState { return this.#session.state; }
  get error(): DtlsErrorName { return this.#session.error; }
  get peer(): P | undefined { return this.#session.peer; }
  get cipherSuite(): number { return this.#session.cipherSuite; }
  keyLog(): string | undefined { return this.#session.keyLog(); }

  receive(datagram: Uint8Array, from: P, transportId?: Uint8Array): void {
    this.#guarded(() => this.#session.handleDatagram(this.#clock.now(), from, datagram, transportId));
  }

  send(data: Uint8Array): void {
    this.#guarded(() => this.#session.send(this.#clock.now(), data));
  }

  close(): void {
    this.#guarded(() => this.#session.close(this.#clock.now()));
  }

  #guarded(op: () => void): void {
    try {
      op();
    } finally {
      this.#drain();
    }
  }

  /** Ships datagrams, delivers events, re-arms the timer; a nested drain (from a handler) is harmless. */
  #drain(): void {
    const s = this.#session;
    for (;;) {
      const t = s.pollTransmit();
      if (t !== undefined) {
        try {
          this.#sendFn(t.bytes, t.to);
        } catch {
          // A refused send is a lost datagram: DTLS retransmits handshake flights.
        }
        continue;
      }
      const e = s.pollEvent();
      if (e === undefined) break;
      switch (e.kind) {
        case "accepted": this.#events.onAccepted?.(e.peer); break;
        case "connected": this.#events.onConnected?.(); break;
        case "data": this.#events.onData?.(e.bytes); break;
        case "closed": this.#events.onClosed?.(e.reason, e.error); break;
      }
    }
    this.#arm();
  }

  #arm(): void {
    const deadline = this.#session.pollTimeout();
    if (deadline !== undefined && this.#timer !== undefined && this.#timerAt === deadline) return;
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = undefined;
    if (deadline === undefined) return;
    this.#timerAt = deadline;
    this.#timer = this.#timers.set(() => {
      this.#timer = undefined;
      this.#guarded(() => this.#session.handleTimeout(this.#clock.now()));
    }, Math.max(0, deadline - this.#clock.now()));
  }
}
