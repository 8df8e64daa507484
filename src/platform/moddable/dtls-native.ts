// DtlsBinding on the device: each method is one call into native/xs_dtls.c, a thin xsmc glue
// over the platform-neutral engine (native/dtls_engine.h). The C side throws Error(<name>)
// with a DtlsErrorName for engine failures, and "closed" for any call after free().
import type { Clock } from "../clock.js";
import type {
  DtlsBinding,
  DtlsEngine,
  DtlsEngineOptions,
  DtlsEngineState,
  DtlsErrorName,
} from "../dtls-binding.js";

class NativeDtlsEngine extends Native("xs_dtls_destructor") implements DtlsEngine {
  constructor(options: DtlsEngineOptions, now: number) {
    super();
    const server = options.role === "server";
    const minMs = options.handshakeTimeoutMinMs ?? 0;
    const maxMs = options.handshakeTimeoutMaxMs ?? 0;
    const c = options.credentials;
    if (c.mode === "psk") {
      native("xs_dtls_create").call(this, server, false, c.key, c.identity, undefined, false, minMs, maxMs, now);
    } else {
      native("xs_dtls_create").call(this, server, true, c.certificate, c.privateKey, c.caChain, c.verifyPeer, minMs, maxMs, now);
    }
  }
  setClientId(id: Uint8Array): void {
    return native("xs_dtls_set_client_id").call(this, id) as void;
  }
  feed(now: number, datagram: Uint8Array): void {
    return native("xs_dtls_feed").call(this, now, datagram) as void;
  }
  takeOutgoing(): Uint8Array | undefined {
    const datagram = native("xs_dtls_take_outgoing").call(this) as ArrayBuffer | undefined;
    return datagram === undefined ? undefined : new Uint8Array(datagram);
  }
  write(now: number, data: Uint8Array): void {
    return native("xs_dtls_write").call(this, now, data) as void;
  }
  read(): Uint8Array | undefined {
    const record = native("xs_dtls_read").call(this) as ArrayBuffer | undefined;
    return record === undefined ? undefined : new Uint8Array(record);
  }
  handleTimer(now: number): void {
    return native("xs_dtls_handle_timer").call(this, now) as void;
  }
  nextDeadline(): number | undefined {
    return native("xs_dtls_next_deadline").call(this) as number | undefined;
  }
  state(): DtlsEngineState {
    return native("xs_dtls_state").call(this) as DtlsEngineState;
  }
  error(): DtlsErrorName {
    return native("xs_dtls_error").call(this) as DtlsErrorName;
  }
  cipherSuite(): number {
    return native("xs_dtls_cipher_suite").call(this) as number;
  }
  close(now: number): void {
    return native("xs_dtls_close").call(this, now) as void;
  }
  free(): void {
    return native("xs_dtls_free").call(this) as void;
  }
  // keyLog is left out on purpose: a device never exports session keys.
}

/** `now` for engine creation comes from the platform clock, as for every other engine call. */
export function createNativeDtlsBinding(clock: Clock): DtlsBinding {
  return { createEngine: (options: DtlsEngineOptions) => new NativeDtlsEngine(options, clock.now()) };
}
