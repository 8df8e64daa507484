/*
 * dtls_engine_internal.h: the engine's state and the functions its files share. Not part of
 * the API (dtls_engine.h); only the engine's own files include it.
 *
 *   dtls_engine.c        the API: lifecycle, feed/read/write/timer/close, accessors, key log
 *   dtls_engine_setup.c  mbedTLS configuration: common, PSK, X.509, server cookies
 *   dtls_engine_drive.c  running mbedTLS: memory BIOs, virtual-time timer, failures, listener
 *   dtls_engine_hello.c  epoch-0 ClientHello records: finding one, checking its cookie, and
 *                        the HelloVerifyRequest the listener writes itself
 *   dtls_queue.c         the datagram/record queues
 *   dtls_compat.h        Mbed TLS 2.28 / 3.x / 4.x differences
 */
#ifndef DTLS_ENGINE_INTERNAL_H
#define DTLS_ENGINE_INTERNAL_H

#include "dtls_engine.h"
#include "dtls_compat.h"
#include "dtls_queue.h"

/* Queue sizes, fixed at create so nothing is allocated per record; a device build can
 * shrink them. */
#ifndef DTLS_ENGINE_TX_QUEUE_BYTES
#define DTLS_ENGINE_TX_QUEUE_BYTES (2 * (MBEDTLS_SSL_OUT_CONTENT_LEN + 512))
#endif
#ifndef DTLS_ENGINE_RX_QUEUE_BYTES
#define DTLS_ENGINE_RX_QUEUE_BYTES (2 * (MBEDTLS_SSL_IN_CONTENT_LEN + 2))
#endif
#define DTLS_MAX_CLIENT_ID 32

struct dtls_engine {
  dtls_role role;
  dtls_mode mode;
  dtls_state state;
  dtls_error error;
  int started;   /* client: handshake begun */
  int ssl_ready; /* ssl/conf initialised (free must clean up) */
  double now;
  /* timer (absolute, caller's clock) */
  int timer_armed;
  double timer_int, timer_fin;
  /* the datagram being fed: valid only inside dtls_engine_feed (in_ptr: not yet read by
   * mbedTLS; fed: the whole datagram) */
  const uint8_t *in_ptr;
  size_t in_len;
  const uint8_t *fed;
  size_t fed_len;
  dtls_queue tx, rx;
  uint8_t client_id[DTLS_MAX_CLIENT_ID];
  size_t client_id_len;
  uint16_t suite;
  int ciphersuites[2];
  /* key log */
  int have_keys;
  uint8_t client_random[32];
  uint8_t master_secret[48];

  mbedtls_ssl_context ssl;
  mbedtls_ssl_config conf;
  mbedtls_ssl_cookie_ctx cookie;
  mbedtls_x509_crt own_cert, ca_chain;
  mbedtls_pk_context own_key;
  dtls_compat_rng rng;
};

/* dtls_engine_setup.c: configures e->conf and e->ssl for cfg (mbedtls_ssl_setup included). */
dtls_error dtls_configure(dtls_engine *e, const dtls_config *cfg);

/* dtls_engine_drive.c */
/* Points mbedTLS's I/O at the engine's queues and its timer at the caller's clock. */
void dtls_attach_io(dtls_engine *e);
/* Runs the handshake or reads records with the datagram in e->in_ptr (if any). Returns 1 when
 * a connected engine left that datagram unread because the read queue is short of room. */
int dtls_drive(dtls_engine *e);
/* Moves records mbedTLS holds into the read queue while it has room. */
void dtls_pump_read(dtls_engine *e);
/* FAILED (or CLOSED for close_notify) for mbedTLS code `ret`. */
void dtls_fail(dtls_engine *e, int ret);
/* Room in the send queue for one record of `payload` bytes, header and MAC included. */
int dtls_tx_has_room(dtls_engine *e, size_t payload);

/* dtls_engine_hello.c */
#define DTLS_RECORD_HEADER 13 /* type(1) version(2) epoch(2) seq(6) length(2) */
#define DTLS_HS_HEADER 12     /* type(1) length(3) message_seq(2) fragment_offset(3) fragment_length(3) */
/* The first epoch-0 ClientHello record of a datagram (its header), or NULL; *body_len gets
 * the record's length field. */
const uint8_t *dtls_hello_find(const uint8_t *d, size_t len, size_t *body_len);
/* 1 when the datagram's ClientHello carries a cookie `cookie` issued to transport id `id`. */
int dtls_hello_has_valid_cookie(mbedtls_ssl_cookie_ctx *cookie, const uint8_t *d, size_t len, const uint8_t *id,
                                size_t id_len);
/* Queues on tx the HelloVerifyRequest answering the datagram's ClientHello, with a fresh
 * cookie for `id`. Returns 0 (nothing queued) when it cannot. */
int dtls_hello_queue_verify_request(mbedtls_ssl_cookie_ctx *cookie, dtls_queue *tx, const uint8_t *d, size_t len,
                                    const uint8_t *id, size_t id_len);

#endif
