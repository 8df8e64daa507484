/*
 * dtls_engine: a sans-IO DTLS 1.2 session over mbedTLS (2.28, 3.x, 4.x).
 *
 * The engine owns no socket, reads no clock and starts no thread, so the same C files
 * (native/dtls_*.c; dtls_engine_internal.h says which does what) serve the
 * N-API addon on the host, the xsmc module on the device and the C test drivers. The caller:
 *   - passes "now" (milliseconds, any origin, never decreasing) to every call that can run
 *     the protocol;
 *   - feeds each received datagram with dtls_engine_feed();
 *   - drains datagrams to send with dtls_engine_take_outgoing() after every call;
 *   - drains received application records with dtls_engine_read();
 *   - calls dtls_engine_on_timer() at (or after) dtls_engine_next_deadline().
 *
 * Mirrors src/platform/dtls-binding.ts: the state and error enums below are, in order, the
 * DtlsEngineState and DtlsErrorName strings there (dtls_state_name / dtls_error_name give
 * them).
 *
 * Queues: outgoing datagrams and received records wait in two fixed-size queues (dtls_queue.h,
 * allocated once at create; DTLS_ENGINE_TX_QUEUE_BYTES / DTLS_ENGINE_RX_QUEUE_BYTES). Nothing accepted
 * is dropped silently:
 *   - feed() on a connected engine returns DTLS_ERR_QUEUE_FULL, without touching the
 *     datagram, when the read queue has no room for the records it may hold: drain
 *     dtls_engine_read() and feed it again (or count it lost). A caller that drains read()
 *     after every feed, as DtlsSession does, never sees this.
 *   - write() returns DTLS_ERR_QUEUE_FULL, and encrypts nothing, when the send queue has no
 *     room for the record: drain take_outgoing() and retry.
 *   - handshake flights, and alerts, produced while the send queue is full are dropped like
 *     datagrams on a lossy link (DTLS retransmission recovers flights, and a peer's own timers
 *     end its side of a session whose fatal alert was lost); close() reports its lost
 *     close_notify in error().
 *
 * Suites: PSK mode offers/accepts only TLS_PSK_WITH_AES_128_CCM_8 (0xC0A8); certificate mode
 * only TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (0xC0AE) on P-256. DTLS 1.2 only, anti-replay on,
 * server cookies bound to the transport id the caller supplies.
 */
#ifndef DTLS_ENGINE_H
#define DTLS_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dtls_engine dtls_engine;

typedef enum { DTLS_ROLE_CLIENT = 0, DTLS_ROLE_SERVER = 1 } dtls_role;

typedef enum { DTLS_MODE_PSK = 0, DTLS_MODE_X509 = 1 } dtls_mode;

typedef enum {
  DTLS_STATE_LISTENING = 0, /* server: waiting for a cookie-verified ClientHello, no peer state */
  DTLS_STATE_HANDSHAKING,   /* client after create; server once a cookie verified */
  DTLS_STATE_CONNECTED,
  DTLS_STATE_CLOSED,        /* local close or peer close_notify */
  DTLS_STATE_FAILED         /* dtls_engine_error() says why */
} dtls_state;

typedef enum {
  DTLS_ERR_NONE = 0,
  DTLS_ERR_PEER_CLOSED,          /* close_notify received */
  DTLS_ERR_HANDSHAKE_TIMEOUT,    /* retransmissions exhausted */
  DTLS_ERR_BAD_RECORD_MAC,       /* wrong PSK / tampered Finished, sent or received */
  DTLS_ERR_HANDSHAKE_FAILURE,    /* no common suite, mode mismatch, other negotiation failure */
  DTLS_ERR_CERTIFICATE_REJECTED, /* peer certificate failed verification (either side) */
  DTLS_ERR_FATAL_ALERT,          /* some other fatal alert received */
  DTLS_ERR_INVALID_INPUT,        /* caller misuse: bad credentials, write when not connected */
  DTLS_ERR_OUT_OF_MEMORY,
  DTLS_ERR_INTERNAL,             /* any other mbedTLS error */
  DTLS_ERR_QUEUE_FULL            /* feed/write: no room in the read/send queue; nothing taken */
} dtls_error;

/* Credentials and options. Every buffer is copied (or parsed) during dtls_engine_create. */
typedef struct {
  dtls_role role;
  dtls_mode mode;
  /* PSK mode: raw bytes, key 1..32, identity 1..32. */
  const uint8_t *psk;
  size_t psk_len;
  const uint8_t *psk_identity;
  size_t psk_identity_len;
  /* Certificate mode: PEM text (a terminating NUL is not needed). */
  const uint8_t *cert_pem;
  size_t cert_pem_len;
  const uint8_t *key_pem;
  size_t key_pem_len;
  const uint8_t *ca_pem;
  size_t ca_pem_len;
  int verify_peer; /* nonzero: peer certificate REQUIRED; zero: NONE */
  /* Handshake retransmission bounds; 0 selects 8000 / 60000 ms. */
  uint32_t hs_timeout_min_ms;
  uint32_t hs_timeout_max_ms;
} dtls_config;

/* Entropy hook. Returns 0 on success. The default reads getrandom() on Linux; a device
 * installs its hardware RNG before creating the first engine. Not used with mbedTLS 4.x,
 * where PSA draws its own entropy. */
typedef int (*dtls_entropy_fn)(void *ctx, unsigned char *out, size_t len);
void dtls_engine_set_entropy(dtls_entropy_fn fn, void *ctx);

/* Creates an engine at the caller's clock reading now_ms (the same clock every later call
 * passes). On failure returns NULL and stores the reason in *err (if given): a malformed
 * credential, or (certificate mode) a private key that is not the certificate's, is
 * DTLS_ERR_INVALID_INPUT. A client is "handshaking", has its ClientHello queued (call
 * take_outgoing) and its first retransmission deadline at now_ms + hs_timeout_min_ms; a server
 * is "listening". */
dtls_engine *dtls_engine_create(const dtls_config *cfg, double now_ms, dtls_error *err);

/* Server: the transport id (address bytes + port, <= 32 bytes) of the peer whose datagram is
 * fed next. Needed for every datagram while listening; ignored afterwards. */
dtls_error dtls_engine_set_client_id(dtls_engine *e, const uint8_t *id, size_t len);

/* Processes one received datagram. Garbage, forged or replayed records are dropped without a
 * trace. A listening server answers every cookie-less (or wrongly cookied) ClientHello with a
 * HelloVerifyRequest and keeps nothing, even one that offers no cipher suite in common (for
 * which the engine writes the HelloVerifyRequest itself: mbedTLS checks suites first). Only a
 * peer whose cookie verified can end the listen: with no suite in common (a PSK node meeting
 * an x509 node) the server queues a handshake_failure alert and FAILS with
 * DTLS_ERR_HANDSHAKE_FAILURE, as OpenThread/mbedTLS nodes do (spec coaps-cli.md 8.1: both
 * sides print "coaps disconnected"). A connected server discards any datagram holding an
 * epoch-0 ClientHello (its peer reconnecting, or anyone else): the session stays. Returns
 * DTLS_ERR_INVALID_INPUT for misuse (listening with no client id) and DTLS_ERR_QUEUE_FULL as
 * described above; a failed or closed engine ignores datagrams. */
dtls_error dtls_engine_feed(dtls_engine *e, double now_ms, const uint8_t *data, size_t len);

/* Size of the next datagram to send, 0 if none. */
size_t dtls_engine_outgoing_size(const dtls_engine *e);
/* Copies the next datagram to send into dst and drops it from the queue. Returns its length,
 * 0 if none, or (size_t)-1 (datagram kept) if cap is too small. */
size_t dtls_engine_take_outgoing(dtls_engine *e, uint8_t *dst, size_t cap);

/* Encrypts one application record (len <= dtls_engine_max_record_payload) into the send
 * queue; DTLS_ERR_QUEUE_FULL (engine unchanged) when it does not fit. */
dtls_error dtls_engine_write(dtls_engine *e, double now_ms, const uint8_t *data, size_t len);

/* Same pattern as outgoing, for received application records. */
size_t dtls_engine_read_size(const dtls_engine *e);
size_t dtls_engine_read(dtls_engine *e, uint8_t *dst, size_t cap);

/* Runs retransmission / handshake timeout. Early calls are harmless. */
void dtls_engine_on_timer(dtls_engine *e, double now_ms);

/* 1 and *deadline_ms set when the engine wants on_timer at that absolute time, else 0. */
int dtls_engine_next_deadline(const dtls_engine *e, double *deadline_ms);

dtls_state dtls_engine_state(const dtls_engine *e);
dtls_error dtls_engine_error(const dtls_engine *e);
/* IANA number of the negotiated suite (0xC0A8 / 0xC0AE), 0 before the handshake. */
uint16_t dtls_engine_cipher_suite(const dtls_engine *e);
/* Largest application record payload write() accepts right now. */
size_t dtls_engine_max_record_payload(const dtls_engine *e);

/* Queues close_notify if connected; state becomes CLOSED (a failed engine stays FAILED). If
 * the alert cannot be queued, error() says why (DTLS_ERR_QUEUE_FULL, or INTERNAL /
 * OUT_OF_MEMORY from mbedTLS) and the session is closed anyway.
 * A failed or closed engine keeps its mbedTLS state (handshake buffers included) until
 * dtls_engine_free(); DtlsSession frees it as soon as it reports onClosed. */
void dtls_engine_close(dtls_engine *e, double now_ms);
/* Frees everything; NULL is fine. */
void dtls_engine_free(dtls_engine *e);
/* Releases the process-wide crypto state every engine shares: PSA's key slots and random
 * generator on Mbed TLS 3.x/4.x (nothing on 2.x). For a process that exits (test drivers,
 * tools), after its last dtls_engine_free(); a device never calls it. A later
 * dtls_engine_create() initialises PSA again. */
void dtls_engine_global_teardown(void);

/* NSS key-log line "CLIENT_RANDOM <64 hex> <96 hex>\n" once the master secret is known.
 * Returns its length (without NUL) or 0 when unavailable; writes nothing if cap is short. */
size_t dtls_engine_key_log(const dtls_engine *e, char *dst, size_t cap);

/* "listening" ... / "None", "PeerClosed" ... as in dtls-binding.ts. */
const char *dtls_state_name(dtls_state s);
const char *dtls_error_name(dtls_error err);

#ifdef __cplusplus
}
#endif
#endif
