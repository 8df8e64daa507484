// DtlsBinding on the device: each method is one call into native/xs_dtls.c, a thin xsmc glue
// over the platform-neutral engine (native/dtls_engine.h). The C side throws Error(<name>)
// with a DtlsErrorName for engine failures, and "closed" for any call after free().
// Every method is exactly `[return] native(<name>).call(this, <its parameters>)`: the only shape
// xsc compiles into a direct host call (anything else warns "cannot optimize native" and
// costs a JS frame per call), so option unpacking happens in createEngine and the glue
// returns Uint8Arrays itself.
import type {
  DtlsBinding,
  DtlsEngine,
  DtlsEngineOptions,
  DtlsEngineState,
  DtlsErrorName,
} from "../dtls-binding.js";

class NativeDtlsEngine extends Native("xs_dtls_destructor") implements DtlsEngine {
  /** PSK: a = key, b = identity, c undefined. X.509: a = certificate, b = private key, c = CA chain. */
  constructor(server: boolean, x509: boolean, a: Uint8Array, b: Uint8Array, c: Uint8Array | undefined,
    verifyPeer: boolean, minMs: number, maxMs: number, now: number) {
    super();
    native("xs_dtls_create").call(this, server, x509, a, b, c, verifyPeer, minMs, maxMs, now);
  }
  setClientId(id: Uint8Array): void {
    return native("xs_dtls_set_client_id").call(this, id) as void;
  }
  feed(now: number, datagram: Uint8Array): void {
    return native("xs_dtls_feed").call(this, now, datagram) as void;
  }
  takeOutgoing(): Uint8Array | undefined {
    return native("xs_dtls_take_outgoing").call(this) as Uint8Array | undefined;
  }
  write(now: number, data: Uint8Array): void {
    return native("xs_dtls_write").call(this, now, data) as void;
  }
  read(): Uint8Array | undefined {
    return native("xs_dtls_read").call(this) as Uint8Array | undefined;
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

function createEngine(now: number, options: DtlsEngineOptions): DtlsEngine {
  const server = options.role === "server";
  const minMs = options.handshakeTimeoutMinMs ?? 0;
  const maxMs = options.handshakeTimeoutMaxMs ?? 0;
  const c = options.credentials;
  return c.mode === "psk"
    ? new NativeDtlsEngine(server, false, c.key, c.identity, undefined, false, minMs, maxMs, now)
    : new NativeDtlsEngine(server, true, c.certificate, c.privateKey, c.caChain, c.verifyPeer, minMs, maxMs, now);
}

/** The boards' `dtls` part. */
export function createNativeDtlsBinding(): DtlsBinding {
  return { createEngine };
}
